import BeskplanCore
import Foundation
import MappingFormat
import Storage
import CSVImport
import Testing
import XMLImport
@testable import AppSupport

/// Writes `data` to `name` in a new directory, removed after `body`.
func withTemporaryFile<T>(_ name: String, _ data: Data, _ body: (String) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent(name).path
    try data.write(to: URL(fileURLWithPath: path))
    return try await body(path)
}

/// Large feeds are read in segments on every core; the result must be the file's, whatever
/// the file holds where it is cut.
@Suite("Segmented feed import")
struct SegmentedImportTests {
    /// A feed of `areas` × 3 ydelsesgrupper, monthly 2019–2020; `middle` goes between the series
    /// of the first and the second half, `last` after them all.
    static func feed(areas: [String], middle: String = "", last: String = "") -> String {
        var series: [String] = []
        for area in areas {
            for group in ["kontanthjaelp", "sygedagpenge", "a_dagpenge"] {
                var text = "  <series measure=\"ydelse.fuldtidspersoner\" area=\"\(area)\">\n"
                text += "    <dim name=\"ydelse\" value=\"\(group)\"/>\n"
                for year in 2019...2020 {
                    for month in 1...12 {
                        text += "    <obs period=\"\(year)M\(month < 10 ? "0" : "")\(month)\" value=\"\(Int(area)! + month).5\"/>\n"
                    }
                }
                series.append(text + "  </series>\n")
            }
        }
        let half = series.count / 2
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="urn:beskplan:feed:1" source="test" synthetic="true">

            """ + series[..<half].joined() + middle + series[half...].joined() + last + "</feed>\n"
    }

    static let areas = AreaCatalog.standard.all.map(\.code.rawValue).filter { $0 != "000" }.prefix(20).map { $0 }

    func withFile<T>(_ text: String, _ body: (String) async throws -> T) async throws -> T {
        try await withTemporaryFile("feed.xml", Data(text.utf8), body)
    }

    func imported(_ text: String, segmented: Bool) async throws -> (FileImporter.Summary, [Observation]) {
        try await withFile(text) { path in try await imported(path: path, segmented: segmented) }
    }

    func imported(path: String, segmented: Bool) async throws -> (FileImporter.Summary, [Observation]) {
        let env = try await AppEnvironment.open(database: .memory)
        let importer = FileImporter(env, segmentMinimumSize: segmented ? 0 : .max)
        let summary = try await importer.importFile(path)
        let all = try await env.store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner"))
        return (summary, all)
    }

    @Test("A feed read in segments stores exactly what reading it whole stores")
    func sameAsWhole() async throws {
        let text = Self.feed(areas: Self.areas)
        let (whole, expected) = try await imported(text, segmented: false)
        let (parts, actual) = try await imported(text, segmented: true)
        #expect(expected.count == 20 * 3 * 24)
        #expect(actual.map(\.series) == expected.map(\.series))
        #expect(actual.map(\.period) == expected.map(\.period))
        #expect(actual.map(\.value) == expected.map(\.value))
        #expect(parts.result.series == whole.result.series)
        #expect(parts.result.observations == whole.result.observations)
    }

    @Test("The segmented reader really cuts the file, and every segment validates on its own")
    func cutsAndValidates() async throws {
        let (segments, result) = try await withFile(Self.feed(areas: Self.areas)) { path in
            let env = try await AppEnvironment.open(database: .memory)
            let segments = try #require(try FeedSource.segments(path: path, parts: 3, minimumSize: 0))
            let result = await FileImporter(env).importSegmented(ImportOrigin(source: "feed"), dryRun: false, progress: nil) {
                try segments.map { try FeedSource(segment: $0, catalog: ImportCatalog(measures: env.measures)) }
            }
            return (segments, result)
        }
        #expect(segments.count == 3)
        #expect(segments.dropFirst().allSatisfy {
            let head = String(decoding: $0.head, as: UTF8.self)
            return head.hasPrefix("<?xml") && head.contains("<feed xmlns=\"urn:beskplan:feed:1\"") && !head.contains("<series")
        })
        #expect(segments.dropLast().allSatisfy { String(decoding: $0.tail, as: UTF8.self) == "</feed>\n" })
        #expect(result?.observations == 20 * 3 * 24)
    }

    @Test("A cut that lands inside a comment is not trusted: the file is read whole")
    func cutInsideComment() async throws {
        // The comment is most of the file, so its middle is where the cut is searched for.
        let commented = String(
            repeating: "  <series measure=\"no.such.measure\" area=\"999\"><obs period=\"2020\" value=\"1\"/></series>\n",
            count: 400)
        let text = Self.feed(areas: Self.areas, middle: "<!--\n\(commented)-->\n")
        let (_, expected) = try await imported(Self.feed(areas: Self.areas), segmented: false)
        let (summary, actual) = try await imported(text, segmented: true)
        #expect(summary.result.observations == expected.count)
        #expect(actual == expected)
    }

    @Test("A series given again at the end of the file keeps its last values")
    func laterSegmentWins() async throws {
        let again = """
              <series measure="ydelse.fuldtidspersoner" area="\(Self.areas[0])">
                <dim name="ydelse" value="kontanthjaelp"/>
                <obs period="2019M01" value="-1"/>
              </series>

            """
        let (summary, actual) = try await imported(Self.feed(areas: Self.areas, last: again), segmented: true)
        #expect(summary.result.replaced == 1)
        let value = actual.first {
            $0.series.area.rawValue == Self.areas[0] && $0.series.dimensions["ydelse"] == "kontanthjaelp"
                && $0.period == .month(2019, 1)
        }?.value
        #expect(value == -1)
    }

    @Test("An error in the second half names its line in the file")
    func errorLine() async throws {
        let bad = "  <series measure=\"ydelse.fuldtidspersoner\" area=\"101\"><obs period=\"2019M13\" value=\"1\"/></series>\n"
        let text = Self.feed(areas: Self.areas, last: bad)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("2019M13") }! + 1
        await #expect {
            _ = try await imported(text, segmented: true)
        } throws: { error in
            let message = String(describing: error)
            return message.contains("feed.xml:\(line):") && message.contains("2019M13")
        }
    }
}

/// A source that hands out its chunks, the first only once `gate` opens.
final class GatedSource: ObservationSource, ReadProgress, @unchecked Sendable {
    // Unchecked: used by one producer thread; the semaphore is thread-safe.
    let gate: DispatchSemaphore?
    var chunks: [ObservationChunk]
    var bytesRead: Int64 = 0
    let totalBytes: Int64 = 1

    init(_ chunks: [ObservationChunk], gate: DispatchSemaphore? = nil) {
        self.chunks = chunks
        self.gate = gate
    }

    func nextChunk() throws -> ObservationChunk? {
        if let gate, bytesRead == 0 { gate.wait() }
        bytesRead = 1
        return chunks.isEmpty ? nil : chunks.removeFirst()
    }
}

@Suite("Import pipeline")
struct ImportPipelineTests {
    static let series = SeriesKey(measure: "ydelse.fuldtidspersoner", area: "101", dimensions: ["ydelse": "kontanthjaelp"])

    @Test("A series an earlier segment delivers after a later one did is an order conflict")
    func orderConflict() throws {
        let gate = DispatchSemaphore(value: 0)
        let chunk = ObservationChunk(series: Self.series, points: [DataPoint(period: .month(2019, 1), value: 1)])
        let pipeline = ImportPipeline(segments: [GatedSource([chunk], gate: gate), GatedSource([chunk])])
        // Segment 0 waits for the gate, so the first chunk is segment 1's.
        #expect(try pipeline.nextChunk()?.series == Self.series)
        gate.signal()
        #expect(throws: ImportPipeline<GatedSource>.OrderConflict.self) { try pipeline.nextChunk() }
    }

    @Test("Segments with different series pass in whatever order they arrive")
    func differentSeries() throws {
        let other = SeriesKey(measure: "ydelse.fuldtidspersoner", area: "101", dimensions: ["ydelse": "sygedagpenge"])
        let first = ObservationChunk(series: Self.series, points: [DataPoint(period: .month(2019, 1), value: 1)])
        let second = ObservationChunk(series: other, points: [DataPoint(period: .month(2019, 1), value: 2)])
        let pipeline = ImportPipeline(segments: [GatedSource([first]), GatedSource([second, second])])
        var values: [Double] = []
        while let chunk = try pipeline.nextChunk() { values += chunk.points.map(\.value) }
        #expect(values.sorted() == [1, 2, 2])
    }
}

/// Large CSV files are cut at line starts where the series changes, each segment after a copy
/// of the header line.
@Suite("Segmented CSV import")
struct SegmentedCSVImportTests {
    static let mapping = """
        measure: ydelse.fuldtidspersoner
        area: { from: OMRÅDE }
        period: { from: TID }
        dimensions:
          ydelse: { from: YDELSESTYPE, codes: { Kontanthjælp: kontanthjaelp, Sygedagpenge: sygedagpenge } }
        """

    /// Rows by series (area, ydelse), then month; `extra` rows are appended at the end.
    static func csv(extra: [String] = []) -> String {
        var rows = ["OMRÅDE;YDELSESTYPE;TID;INDHOLD"]
        for area in SegmentedImportTests.areas {
            for group in ["Kontanthjælp", "Sygedagpenge"] {
                for month in 1...24 {
                    rows.append("\(area);\(group);\(2018 + (month - 1) / 12)M\(String(format: "%02d", (month - 1) % 12 + 1));\(Int(area)! + month),5")
                }
            }
        }
        return (rows + extra).joined(separator: "\r\n") + "\r\n"
    }

    func imported(_ data: Data, segmented: Bool) async throws -> (FileImporter.Summary, [Observation]) {
        try await withTemporaryFile("national.csv", data) { path in
            let env = try await AppEnvironment.open(database: .memory)
            let mapping = try MappingFile.parse(Self.mapping, file: "m.yaml")
            let summary = try await FileImporter(env, segmentMinimumSize: segmented ? 0 : .max).importFile(path, mapping: mapping)
            return (summary, try await env.store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner")))
        }
    }

    @Test("A CSV read in segments stores what reading it whole stores, in UTF-8 and in Windows-1252")
    func sameAsWhole() async throws {
        let text = Self.csv()
        for data in [Data(text.utf8), text.data(using: .windowsCP1252)!] {
            let (_, expected) = try await imported(data, segmented: false)
            let (summary, actual) = try await imported(data, segmented: true)
            #expect(expected.count == 20 * 2 * 24)
            #expect(actual == expected)
            #expect(summary.result.observations == expected.count)
        }
    }

    @Test("Every segment reads cleanly with the dialect found for the whole file: Windows-1252 with ';', UTF-8 with ','",
          arguments: [(String.Encoding.windowsCP1252, ";", "windows-1252"), (.utf8, ",", "utf-8")])
    func segmentsReadCleanly(encoding: String.Encoding, separator: String, name: String) async throws {
        // With ',' between fields the values are written with a decimal point.
        let text = separator == ";" ? Self.csv() : Self.csv().replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: ";", with: ",")
        let (detected, result) = try await withTemporaryFile("national.csv", text.data(using: encoding)!) { path in
            let env = try await AppEnvironment.open(database: .memory)
            let mapping = try MappingFile.parse(Self.mapping, file: "m.yaml")
            let catalog = ImportCatalog(measures: env.measures)
            let (segments, detected) = try #require(
                try CSVSource.segments(path: path, mapping: mapping, catalog: catalog, parts: 2, minimumSize: 0))
            let result = await FileImporter(env).importSegmented(ImportOrigin(source: "csv"), dryRun: false, progress: nil) {
                try segments.map { try CSVSource(path: path, mapping: mapping, catalog: catalog, encoding: detected, segment: $0) }
            }
            return (detected, result)
        }
        #expect(detected == name)
        #expect(result?.observations == 20 * 2 * 24)
        #expect(result?.series == 40)
    }

    @Test("Cuts fall where the series changes, and each segment after the first starts with the header")
    func cutsAtSeriesBoundaries() async throws {
        let bytes = Array(Self.csv().utf8)
        let (segments, encoding) = try await withTemporaryFile("national.csv", Data(bytes)) { path in
            try #require(try CSVSource.segments(
                path: path, mapping: try MappingFile.parse(Self.mapping, file: "m.yaml"),
                catalog: ImportCatalog(measures: .standard), parts: 3, minimumSize: 0))
        }
        #expect(encoding == "utf-8")
        #expect(segments.count == 3)
        for segment in segments.dropFirst() {
            #expect(String(decoding: segment.head, as: UTF8.self) == "OMRÅDE;YDELSESTYPE;TID;INDHOLD\r\n")
            let cut = Int(segment.range.lowerBound)
            let before = String(decoding: bytes[..<(cut - 2)], as: UTF8.self).split(separator: "\r\n").last!
            let after = String(decoding: bytes[cut...], as: UTF8.self).split(separator: "\r\n").first!
            #expect(before.split(separator: ";").prefix(2) != after.split(separator: ";").prefix(2))
        }
    }

    @Test("A cell given again at the end is an error naming both lines; a bad number in the second half names its line")
    func orderAndErrors() async throws {
        let again = Self.csv(extra: ["\(SegmentedImportTests.areas[0]);Kontanthjælp;2018M01;-1"])
        let last = again.components(separatedBy: "\r\n").count - 1
        await #expect {
            _ = try await imported(Data(again.utf8), segmented: true)
        } throws: { error in
            String(describing: error).contains("national.csv:\(last):1: ") && String(describing: error).contains("is given twice, on line 2 and here")
        }

        let text = Self.csv(extra: ["101;Sygedagpenge;2019M01;l.234,5"])
        let line = text.components(separatedBy: "\r\n").firstIndex { $0.hasSuffix("l.234,5") }! + 1
        await #expect {
            _ = try await imported(Data(text.utf8), segmented: true)
        } throws: { error in
            String(describing: error).contains("national.csv:\(line):4: 'l.234,5' is not a number")
        }
    }
}
