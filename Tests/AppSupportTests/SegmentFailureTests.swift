import BeskplanCore
import Foundation
import MappingFormat
import Storage
import Testing
import XMLImport
import CSVImport
@testable import AppSupport

/// A large file read in segments that fails in its last segment: the attempt is rolled back, the
/// file read whole names the true line, and a database that already held data holds exactly
/// what it held.
@Suite("A failed segmented import")
struct SegmentFailureTests {
    /// What the store holds, as text: every observation of every measure, every plan version and
    /// the audit log.
    static func contents(_ env: AppEnvironment) async throws -> String {
        var lines: [String] = []
        for measure in env.measures.all {
            for o in try await env.store.observations(ObservationQuery(measure: measure.id)) {
                lines.append("\(o.series) \(o.period) \(o.value.bitPattern)")
            }
        }
        lines += try await env.store.plans().map { "\($0)" }
        lines += try await env.store.auditLog(limit: 10_000).map { "\($0)" }
        return lines.joined(separator: "\n")
    }

    /// A database with the demo data, and what it holds.
    static func environment() async throws -> (AppEnvironment, String) {
        let env = try await AppEnvironment.open(database: .memory)
        try await Demo.loadBundledData(into: env)
        let contents = try await contents(env)
        #expect(contents.count > 100_000)
        return (env, contents)
    }

    /// Imports `text` in segments (every file counts as large) and expects `message` at `line`.
    static func expectFailure(
        _ name: String, _ text: String, mapping: String? = nil, line: Int, message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let (env, before) = try await environment()
        try await withTemporaryFile(name, Data(text.utf8)) { path in
            let loaded = try mapping.map { try MappingFile.parse($0, file: "m.yaml") }
            let importer = FileImporter(env, segmentMinimumSize: 0)
            // The file really is cut: the error comes from its last segment, then from reading it whole.
            let segments: Int? = switch name.suffix(3) {
            case "csv": try CSVSource.segments(
                path: path, mapping: loaded!, catalog: ImportCatalog(measures: env.measures), parts: 2, minimumSize: 0)?.segments.count
            case "xml" where text.contains("urn:beskplan:feed"): try FeedSource.segments(path: path, parts: 2, minimumSize: 0)?.count
            default: try SDMXSource.segments(path: path, parts: 2, minimumSize: 0)?.count
            }
            #expect(segments == 2, sourceLocation: sourceLocation)
            await #expect(sourceLocation: sourceLocation) {
                try await importer.importFile(path, mapping: loaded)
            } throws: { error in
                String(describing: error) == "\(path):\(line):\(message)"
            }
        }
        #expect(try await contents(env) == before, "the database changed", sourceLocation: sourceLocation)
    }

    @Test("A feed that fails in its last segment")
    func feed() async throws {
        let bad = "  <series measure=\"ydelse.fuldtidspersoner\" area=\"101\"><obs period=\"2019M13\" value=\"1\"/></series>\n"
        let text = SegmentedImportTests.feed(areas: SegmentedImportTests.areas, last: bad)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("2019M13") }! + 1
        try await Self.expectFailure(
            "feed.xml", text, line: line,
            message: "1: '2019M13' is not a valid period: month must be 1–12 in 2019")
    }

    @Test("A CSV file that fails in its last segment")
    func csv() async throws {
        var text = "OMRÅDE;TID;INDHOLD\n"
        for area in SegmentedImportTests.areas {
            for month in 1...12 { text += "\(area);2019M\(month < 10 ? "0" : "")\(month);\(month),5\n" }
        }
        text += "Samsø;2020M01;12x\n"
        let lines = text.split(separator: "\n").count
        try await Self.expectFailure(
            "national.csv", text,
            mapping: "{ measure: ydelse.fuldtidspersoner, area: { from: OMRÅDE }, period: { from: TID }, dimensions: { ydelse: { value: kontanthjaelp } } }",
            line: lines, message: "3: '12x' is not a number in this file's format (decimal comma, thousands dot)")
    }

    @Test("An SDMX message that fails in its last segment")
    func sdmx() async throws {
        var series = ""
        for area in SegmentedImportTests.areas {
            series += "    <Series OMRÅDE=\"\(area)\" YDELSESTYPE=\"KON\" KØN=\"TOT\">\n"
            for year in 2010...2019 { series += "      <Obs TIME_PERIOD=\"\(year)-Q2\" OBS_VALUE=\"\(year - 2000).5\"/>\n" }
            series += "    </Series>\n"
        }
        series += "    <Series OMRÅDE=\"101\" YDELSESTYPE=\"KON\" KØN=\"TOT\">\n      <Obs TIME_PERIOD=\"2020-Q2\" OBS_VALUE=\"abc\"/>\n    </Series>\n"
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
            xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">
              <message:DataSet ss:structureRef="AUK01">
            \(series)  </message:DataSet>
            </message:StructureSpecificData>

            """
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("abc") }! + 1
        try await Self.expectFailure(
            "auk01.xml", text,
            mapping: "{ measure: ydelse.fuldtidspersoner, area: { from: OMRÅDE }, dimensions: { ydelse: { from: YDELSESTYPE, codes: { KON: kontanthjaelp } } }, select: { KØN: TOT } }",
            line: line, message: "7: 'abc' is not a number")  // column 7: where its <Obs starts
    }
}
