import BeskplanCore
import Foundation
import MappingFormat
import Storage
import Testing
@testable import AppSupport

/// Statistics tables read in segments or whole give the same result, and a cell given twice is
/// caught wherever in the file the two rows are.
@Suite("Tables in segments")
struct TableImportTests {
    static let mapping = """
        { measure: ydelse.fuldtidspersoner, area: { from: OMRÅDE }, period: { from: TID },
          dimensions: { ydelse: { value: kontanthjaelp } }, select: { KØN: [I alt] } }
        """

    /// Twenty areas by month; `extra` rows are appended at the end.
    static func table(extra: String = "") -> String {
        var text = "OMRÅDE;KØN;TID;INDHOLD\n"
        for area in SegmentedImportTests.areas {
            let name = AreaCatalog.standard[AreaCode(area)]!.name
            for month in 1...12 {
                text += "\(name);I alt;2019M\(month < 10 ? "0" : "")\(month);\(month)\n"
                text += "Landsdel Fyn;I alt;2019M\(month < 10 ? "0" : "")\(month);\(month)\n"
            }
            text += "\(name);Mænd;2019M01;1\n"
        }
        return text + extra
    }

    static func imported(_ text: String, segmented: Bool) async throws -> FileImporter.Summary {
        let env = try await AppEnvironment.open(database: .memory)
        return try await withTemporaryFile("table.csv", Data(text.utf8)) { path in
            try await FileImporter(env, segmentMinimumSize: segmented ? 0 : .max)
                .importFile(path, mapping: try MappingFile.parse(mapping, file: "m.yaml"))
        }
    }

    @Test("Skips in every segment are counted at the file's own lines, the same as read whole")
    func skipLines() async throws {
        let whole = try await Self.imported(Self.table(), segmented: false)
        let parts = try await Self.imported(Self.table(), segmented: true)
        #expect(whole.result.skipped.sorted.map(\.count) == [240, 20])
        #expect(parts.result.skipped.sorted.map(\.reason) == whole.result.skipped.sorted.map(\.reason))
        #expect(parts.result.skipped.sorted.map(\.count) == whole.result.skipped.sorted.map(\.count))
        #expect(parts.result.skipped.sorted.map(\.firstLine) == whole.result.skipped.sorted.map(\.firstLine))
        #expect(whole.result.skipped.sorted.map(\.firstLine) == [3, 26])
        #expect(parts.result.observations == whole.result.observations)
    }

    @Test("A cell given again in the last segment is caught as when the file is read whole")
    func givenTwiceAcrossSegments() async throws {
        let first = AreaCatalog.standard[AreaCode(SegmentedImportTests.areas[0])]!.name
        let text = Self.table(extra: "\(first);I alt;2019M03;99\n")
        let line = text.split(separator: "\n").count
        for segmented in [false, true] {
            await #expect {
                try await Self.imported(text, segmented: segmented)
            } throws: { error in
                (error as? ImportError)?.line == line && (error as? ImportError)?.message
                    == "\(first), marts 2019 (fuldtidspersoner på offentlig forsørgelse, kontanthjaelp) is given twice, on line 6 and "
                    + "here; a table has one value per cell: is an area text on one of the lines another area's?"
            }
        }
    }

    @Test("A mapping's own area texts are read as a person writes them; skipAreas: may skip a known area")
    func mappingAreas() async throws {
        let env = try await AppEnvironment.open(database: .memory)
        let text = "KOMMUNE;OMRÅDE;TID;INDHOLD\nx;Hele landet;2024M01;5\nx;Aarhus;2024M01;7\nx;Kbh;2024M01;9\n"
        try await withTemporaryFile("local.csv", Data(text.utf8)) { path in
            let mapping = try MappingFile.parse("""
                { measure: ydelse.fuldtidspersoner, area: { from: OMRÅDE, codes: { Kbh: koebenhavn } }, period: { from: TID },
                  dimensions: { ydelse: { value: kontanthjaelp } }, ignore: [KOMMUNE], skipAreas: [hele landet] }
                """, file: "m.yaml")
            let summary = try await FileImporter(env).importFile(path, mapping: mapping)
            #expect(summary.result.observations == 2)
            #expect(summary.result.skipped.sorted.map(\.reason) == ["area 'Hele landet' is in the mapping's skipAreas:"])
            let stored = try await env.store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner"))
            #expect(stored.map(\.series.area) == ["101", "751"])
        }
    }
}
