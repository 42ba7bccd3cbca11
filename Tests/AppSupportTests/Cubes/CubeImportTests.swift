import BeskplanCore
import CSVImport
import Foundation
import MappingFormat
import Testing
@testable import AppSupport
@testable import CubeImport
import Storage

/// PX and JSON-stat, read as the files of Statistikbanken and other offices are laid out. The
/// AUK01 files hold the real figures of `shared/real-data/dst-auk01-en.csv` (2025, five areas);
/// the files named `synthetic-*` hold invented figures, to exercise what real files rarely show.
@Suite("PX and JSON-stat")
struct CubeImportTests {
    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!.path
    }

    static func imported(
        _ name: String, mapping: String, format: FileImporter.Format = .auto, language: String? = nil, dataset: String? = nil
    ) async throws -> (FileImporter.Summary, [Observation]) {
        let env = try await AppEnvironment.open(database: .memory)
        let parsed = try MappingFile.parse(mapping, file: "mapping.yaml")
        let summary = try await FileImporter(env).importFile(
            fixture(name), format: format, mapping: parsed, language: language, dataset: dataset)
        let measure = parsed.measure ?? parsed.measures?.values.sorted().first ?? ""
        var all: [Observation] = []
        for id in Set([measure] + (parsed.measures.map { Array($0.values) } ?? [])) {
            all += try await env.store.observations(ObservationQuery(measure: id))
        }
        return (summary, all)
    }

    static let auk01 = try! String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Modules/CSVImport/Mappings/dst-auk01.yaml"), encoding: .utf8)

    static func value(_ observations: [Observation], _ area: String, _ period: String) -> Double? {
        observations.first { $0.series.area.rawValue == area && $0.period.description == period }?.value
    }

    @Test("AUK01 as a PX file (ISO-8859-1, TLIST(Q1)) gives the real export's figures through the same mapping, in Danish and in English")
    func auk01PX() async throws {
        let (summary, observations) = try await Self.imported("auk01-2025.px", mapping: Self.auk01)
        #expect(summary.kind.hasPrefix("PX (PC-Axis)"))
        #expect(summary.result.observations == 16 && summary.result.series == 4)
        #expect(summary.result.skipped.total == 4, "Landsdel Nordjylland is no kommune, region or the country")
        // The real export's own figures for these cells.
        let csv = try String(contentsOf: RealData.auk01.url, encoding: .utf8)
        #expect(csv.contains("Vesthimmerlands;Net unemployed recipients of social assistance;Total;Age, total;2025Q4;64"))
        #expect(Self.value(observations, "820", "2025K4") == 64 && Self.value(observations, "000", "2025K1") == 9316)
        #expect(Self.value(observations, "741", "2025K3") == 2 && Self.value(observations, "081", "2025K2") == 787)

        let (english, inEnglish) = try await Self.imported("auk01-2025.px", mapping: Self.auk01, language: "en")
        #expect(english.result.observations == 16)
        #expect(Set(inEnglish.map { "\($0.series.area.rawValue) \($0.period) \($0.value)" }) == Set(observations.map { "\($0.series.area.rawValue) \($0.period) \($0.value)" }))
        await #expect(throws: ImportError.self) { try await Self.imported("auk01-2025.px", mapping: Self.auk01, language: "fi") }
    }

    @Test("The PX inspection names the variables, their values with counts, the periods, the encoding and the languages")
    func inspectPX() throws {
        guard case .table(let i) = try FileInspection.inspect(Self.fixture("auk01-2025.px")) else {
            Issue.record("a PX file is inspected as PX")
            return
        }
        #expect(i.format == "PX (PC-Axis)")
        #expect(i.components.map(\.id) == ["område", "ydelsestype", "køn", "alder", "tid"])
        #expect(i.components[0].values.contains { $0.value == "Samsø" && $0.count == 4 })
        #expect(i.timeComponent == "tid" && i.firstPeriod?.description == "2025K1" && i.lastPeriod?.description == "2025K4")
        #expect(i.observationCount == 20 && i.missingCount == 0 && i.seriesCount == 5)
        #expect(i.details.contains { $0.label == "encoding" && $0.value == "iso-8859-1" })
        #expect(i.details.contains { $0.label == "languages" && $0.value == "da, en" })
        #expect(i.details.contains { $0.label == "language" && $0.value == "da" })
    }

    @Test("A content variable gives each content its measure; every PX missing symbol is counted, not stored; time need not be last")
    func contents() async throws {
        let mapping = """
            area: { from: område }
            period: { from: tid }
            measures: { Ledige fuldtidspersoner: ledighed.fuldtidspersoner, Ledighedsprocent: ledighed.procent }
            """
        let (summary, observations) = try await Self.imported("synthetic-contents.px", mapping: mapping)
        #expect(summary.result.observations == 3)
        let samsoe = observations.filter { $0.series.area == "741" }.map { "\($0.series.measure) \($0.period) \($0.value)" }.sorted()
        #expect(samsoe == ["ledighed.fuldtidspersoner 2024M01 12.0", "ledighed.procent 2024M01 2.5", "ledighed.procent 2024M02 2.6"])
        let reasons = summary.result.skipped.entries
        for symbol in ["..", ".", "...", "....", "-", ".....", "......"] {
            #expect(reasons["missing value (\"\(symbol)\")"] != nil, "\(symbol): \(reasons.keys.sorted())")
        }
        let inspection = try FileInspection.inspect(Self.fixture("synthetic-contents.px"))
        guard case .table(let i) = inspection else {
            Issue.record("a PX file is inspected as a table, not \(inspection)")
            return
        }
        #expect(i.details.contains { $0.label == "units" && $0.value == "personer, pct." })
        #expect(i.details.contains { $0.label == "title" && $0.value == "Syntetiske tal; ikke offentliggjorte" }, "a ';' inside quotes")
    }

    @Test("A DATA block with too few or too many cells, or without its end, is refused with both numbers")
    func badData() async throws {
        let text = try String(contentsOfFile: Self.fixture("synthetic-contents.px"), encoding: .utf8)
        let mapping = try MappingFile.parse(
            "{ area: { from: område }, period: { from: tid }, measures: { Ledige fuldtidspersoner: ledighed.fuldtidspersoner, Ledighedsprocent: ledighed.procent } }",
            file: "m")
        for (name, body, expected) in [
            ("few.px", text.replacingOccurrences(of: "\"......\";", with: ";"), "DATA holds 11 cells, but the variables make 12"),
            ("many.px", text.replacingOccurrences(of: "\"......\";", with: "\"......\" 7;"), "DATA holds more than the 12 cells"),
            ("short.px", text.replacingOccurrences(of: "\"......\";", with: ""), "the file ends early"),
        ] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-test-\(UUID())-\(name)").path
            try body.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let env = try await AppEnvironment.open(database: .memory)
            let error = await #expect(throws: ImportError.self) { try await FileImporter(env).importFile(path, mapping: mapping) }
            #expect(error?.message.contains(expected) == true, "\(name): \(error?.message ?? "-")")
            #expect(try await env.store.observations(ObservationQuery(measure: "ledighed.fuldtidspersoner")).isEmpty, "nothing is written")
        }
    }

    @Test("AUK01 as Statistikbanken's JSON-stat 1.x gives the same real figures")
    func auk01JSONStat() async throws {
        let mapping = "{ measure: kontanthjaelp.nettoledige_fuldtidspersoner, area: { from: OMRÅDE }, period: { from: Tid }, ignore: [ContentsCode] }"
        let (summary, observations) = try await Self.imported("auk01-2025.json", mapping: mapping)
        #expect(summary.kind.hasPrefix("JSON-stat") && summary.result.observations == 16)
        #expect(Self.value(observations, "820", "2025K4") == 64 && Self.value(observations, "741", "2025K1") == 7)
        // A variable the mapping leaves out would mix what it splits: refused, by name.
        let unaccounted = await #expect(throws: ImportError.self) {
            try await Self.imported("auk01-2025.json", mapping: mapping.replacingOccurrences(of: ", ignore: [ContentsCode]", with: ""))
        }
        #expect(unaccounted?.message.contains("variable 'ContentsCode'") == true, "\(unaccounted?.message ?? "-")")
    }

    @Test("JSON-stat 2.0 with sparse values and statuses, read by code: null and '..' are missing, 'p' is a value")
    func jsonStat2() async throws {
        let mapping = "{ measure: ledighed.procent, labels: code, area: { from: område }, period: { from: tid } }"
        let (summary, observations) = try await Self.imported("synthetic-2.0.json", mapping: mapping)
        #expect(summary.result.observations == 4)
        #expect(summary.result.skipped.entries["missing value (\"null\")"]?.count == 1)
        #expect(summary.result.skipped.entries["missing value (\"..\")"]?.count == 1)
        #expect(Self.value(observations, "773", "2024M03") == 9.5)
    }

    @Test("JSON-stat status as a list: one item holds for every cell, a shorter list for the cells it reaches")
    func statusLists() async throws {
        func dataset(_ status: String) -> String {
            #"{"version": "2.0", "class": "dataset", "id": ["område", "tid"], "size": [1, 3], "dimension": {"område": {"category": {"index": ["773"]}}, "tid": {"category": {"index": ["2024M01", "2024M02", "2024M03"]}}}, "value": [1, 2, 3], "status": "#
                + status + "}"
        }
        let mapping = try MappingFile.parse("{ measure: ledighed.procent, labels: code, area: { from: område }, period: { from: tid } }", file: "m.yaml")
        for (status, stored) in [(#"[".."]"#, 0), (#"[null, ".."]"#, 2), (#"["p", "p", "p"]"#, 3)] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-status-\(UUID()).json").path
            try dataset(status).write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let env = try await AppEnvironment.open(database: .memory)
            let summary = try? await FileImporter(env).importFile(path, mapping: mapping)
            #expect((summary?.result.observations ?? 0) == stored, "status \(status)")
        }
    }

    @Test("A JSON-stat bundle: every dataset, or the one --dataset names")
    func bundle() async throws {
        let mapping = "{ measure: befolkning.antal, area: { from: område }, period: { from: tid } }"
        let (all, _) = try await Self.imported("synthetic-bundle.json", mapping: mapping)
        #expect(all.result.observations == 3)
        let (one, observations) = try await Self.imported("synthetic-bundle.json", mapping: mapping, dataset: "anden")
        #expect(one.result.observations == 1 && observations.first?.value == 4)
        await #expect(throws: ImportError.self) { try await Self.imported("synthetic-bundle.json", mapping: mapping, dataset: "tredje") }
    }

    @Test("Recognised by content, not by name: PX is not taken for CSV; TLIST periods in the PX standard's form")
    func detection() throws {
        let head = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture("auk01-2025.px"))).prefix(4096))
        #expect(PXFormat().matches(head: head) && !JSONStatFormat().matches(head: head))
        let json = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture("synthetic-2.0.json"))).prefix(4096))
        #expect(JSONStatFormat().matches(head: json) && !PXFormat().matches(head: json))
        #expect(PXFile.period("20241", unit: "Q1") == "2024K1" && PXFile.period("202405", unit: "M1") == "2024M05")
        #expect(PXFile.period("2024", unit: "A1") == "2024" && PXFile.period("2024Q3", unit: "Q1") == "2024Q3")
        #expect(Array("12.5".utf8).withUnsafeBufferPointer(PXCells.number) == 12.5 && Array("-3".utf8).withUnsafeBufferPointer(PXCells.number) == -3)
    }

    @Test("Jobindsats' API v3 JSON reads through the table's CSV mapping: `group: measure` columns by their measure, null counted as suppressed; a v2 answer is refused naming v3")
    func jobindsats() async throws {
        let mapping = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Modules/CSVImport/Mappings/jobindsats-y60a02.yaml"), encoding: .utf8)
        let (summary, observations) = try await Self.imported("synthetic-jobindsats.json", mapping: mapping)
        #expect(summary.kind.hasPrefix("Jobindsats JSON") && summary.result.observations == 6)
        let values = Set(observations.map { "\($0.series.measure) \($0.series.area.rawValue) \($0.period) \($0.value)" })
        #expect(values.contains("ydelse.fuldtidspersoner 820 2024M01 987.5") && values.contains("ydelse.fuldtidspersoner 820 2024M02 987.25"))
        #expect(values.contains("ydelse.personer 000 2024M01 123456.0") && values.contains("ydelse.fuldtidspersoner 000 2024M01 100000.5"))
        #expect(!values.contains { $0.contains(" 741 ") }, "a suppressed cell is not stored, as 0 or otherwise")
        #expect(summary.result.skipped.total == 2 && "\(summary.result.skipped)".contains("suppressed by the source"), "\(summary.result.skipped)")
        let env = try await AppEnvironment.open(database: .memory)
        for (name, text) in [
            ("expired v2 key", #"{"Forkert nøgle eller nøglen er udløbet.":""}"#),
            ("v2 table", #"[{"Variables":[{"Name":"Area","Label":"Område"}],"Data":[["Norddjurs"]]}]"#),
        ] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-test-\(UUID()).json").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let error = await #expect(throws: ImportError.self, "\(name)") {
                try await FileImporter(env).importFile(path, format: .jobindsats, mapping: try MappingFile.parse(mapping, file: "m"))
            }
            #expect(error?.message.contains("API version 2, which was retired") == true && error?.message.contains("version 3") == true, "\(error?.message ?? "-")")
        }
        // tools/fuzz's finding: an empty answer (Foundation's reader leaked on it) is said in words.
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-test-\(UUID()).json").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let nothing = #expect(throws: ImportError.self) { try JobindsatsJSONFormat().inspect(ImportFile(path: empty)) }
        #expect(nothing?.message == "the file is empty: Jobindsats sent nothing")
    }

    @Test("A file larger than the reading window: value and status lists are counted, then read back a cell at a time, exactly")
    func jsonWindow() throws {
        let n = 300_000
        let values = (0..<n).map { $0 % 7 == 3 ? "null" : "\($0).\($0 % 1000)" }
        let statuses = (0..<n).map { $0 % 5 == 0 ? "\"..\"" : "null" }
        let text = "{\"status\": [" + statuses.joined(separator: ",") + "],\n \"label\": \"Sams\\u00f8\", \"value\": [ "
            + values.joined(separator: ", ") + " ]}"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-window-\(UUID()).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(text.utf8.count > 2 * JSONInput.window)
        let root = try JSONValue.parse(path: path, file: "w.json")
        #expect(root["label"]?.string == "Samsø")
        guard case .list(let valueSpan)? = root["value"], case .list(let statusSpan)? = root["status"] else {
            Issue.record("value and status stay in the file")
            return
        }
        #expect(valueSpan.count == n && statusSpan.count == n)
        let valueReader = try JSONListReader(path: path, file: "w.json", offset: valueSpan.offset)
        let statusReader = try JSONListReader(path: path, file: "w.json", offset: statusSpan.offset)
        var wrong = 0
        for i in 0..<n {
            let expected: JSONListReader.Item = i % 7 == 3 ? .null : .number(Double("\(i).\(i % 1000)")!)
            if try valueReader.next() != expected { wrong += 1 }
            if try statusReader.next() != (i % 5 == 0 ? .string("..") : .null) { wrong += 1 }
        }
        #expect(wrong == 0)
        #expect(try valueReader.next() == nil && statusReader.next() == nil)
        try String(text.dropLast(40)).write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ImportError.self) { try JSONValue.parse(path: path, file: "w.json") }
        #expect(error?.message == "not JSON: the file ends inside a list" && error?.line == 2, "\(String(describing: error))")
    }

    @Test("The JSON reader: escapes and surrogate pairs, lists of numbers, and mistakes at their line and column")
    func json() throws {
        let value = try JSONValue.parse(Array(#"{"a": "Sams\u00f8 \ud83d\ude00\n", "b": [1, -2.5, null, 3e2], "c": [1, "x"]}"#.utf8), file: "t.json")
        #expect(value["a"]?.string == "Samsø 😀\n")
        guard case .numbers(let numbers)? = value["b"] else { Issue.record("a list of numbers is kept as numbers"); return }
        #expect(numbers == [1, -2.5, nil, 300])
        #expect(value["c"]?.items?.count == 2)
        for (text, expected) in [("{\"a\": [1, 2}", "1:12"), ("{\"a\": tru}", "1:7"), ("\n\n[1,", "3:4"), ("{\"a\": \"x}", "1:7"), ("[1] 2", "more after")] {
            let error = #expect(throws: ImportError.self) { try JSONValue.parse(Array(text.utf8), file: "t.json") }
            #expect(error.map { "\($0.line):\($0.column) \($0.message)".contains(expected) } == true, "\(text): \(error.map { "\($0.line):\($0.column) \($0.message)" } ?? "-")")
        }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: ImportError.self) { try JSONValue.parse(Array(deep.utf8), file: "t.json") }
    }

    @Test("Hostile sizes are refused before anything that large is made: JSON-stat sizes, sparse cubes, PX variables")
    func hostileSizes() async throws {
        let env = try await AppEnvironment.open(database: .memory)
        let mapping = try MappingFile.parse("{ measure: befolkning.antal, area: { from: a }, period: { from: t } }", file: "m")
        let manyVariables = (0..<64).map { "v\($0)" }
        let px = "CHARSET=\"ANSI\";\nSTUB=" + manyVariables.map { "\"\($0)\"" }.joined(separator: ",") + ";\n"
            + manyVariables.map { "VALUES(\"\($0)\")=\"a\",\"b\";" }.joined(separator: "\n") + "\nDATA=;\n"
        for (name, text, expected) in [
            ("huge.json", #"{"dataset": {"dimension": {"id": ["a"], "size": [1e12], "a": {"category": {"index": ["x"]}}}, "value": []}}"#, "more cells than any file holds"),
            ("sparse.json", #"{"class": "dataset", "version": "2.0", "id": ["a", "t"], "size": [1, 1], "dimension": {"a": {"category": {"index": ["741"]}}, "t": {"category": {"index": ["2024"]}}}, "value": {"5": 1}}"#, "outside"),
            ("wide.px", px, "more cells than any file holds"),
        ] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-test-\(UUID())-\(name)").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let error = await #expect(throws: ImportError.self) { try await FileImporter(env).importFile(path, mapping: mapping) }
            #expect(error?.message.contains(expected) == true, "\(name): \(error?.message ?? "-")")
        }
    }
}
