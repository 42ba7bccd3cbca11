import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import TestSupport
import Testing

/// The comparison page ranks fairly: a count per 1,000 inhabitants, not the largest kommune first;
/// the ministry's own benchmark rank beside its measures. On the demo's real data (AUK01, FOLK1AM, Y30R21).
@Suite("Comparing all 98 kommuner")
struct CompareTests {
    static let page = "/kommuner/samsoe/2024/sammenlign"

    @Test("A count is ranked per 1,000 inhabitants by default (best first); ?visning=antal shows the counts")
    func perInhabitant() async throws {
        let server = try await TestServer.make(allRealData: true)
        try await server.app.test(.router) { client in
            let viewer = try await WebFormTests.Browser.signIn(client, "a-viewer")
            try await client.execute(uri: Self.page + "?measure=kontanthjaelp.nettoledige_fuldtidspersoner", method: .get, headers: viewer.headers) {
                let html = String($0.body)
                #expect(html.contains("pr. 1.000 indbyggere (alle aldre; tal for 16-66 år mangler), laveste tal først"), "\(html)")
                #expect(html.contains("Vis antal"))
                // The per-1,000 column is sorted, lowest first, and København is not first merely for being largest.
                let values = Self.column(html, 3).compactMap(DanishNumber.parse)
                #expect(values.count == 98 && values == values.sorted(), "\(values.prefix(5))")
                #expect(Self.column(html, 2).first != "København")
            }
            try await client.execute(uri: Self.page + "?measure=kontanthjaelp.nettoledige_fuldtidspersoner&visning=antal", method: .get, headers: viewer.headers) {
                let html = String($0.body)
                #expect(html.contains("Vis pr. 1.000 indbyggere") && !html.contains("alle aldre"))
                #expect(Self.column(html, 2).last == "København", "the largest count is last when lower is better")
            }
        }
    }

    @Test("Where the measure is Y30R21's, the ministry's own rank is shown")
    func benchmarkRank() async throws {
        let server = try await TestServer.make(allRealData: true)
        try await server.app.test(.router) { client in
            let viewer = try await WebFormTests.Browser.signIn(client, "a-viewer")
            try await client.execute(uri: Self.page + "?measure=benchmark.faktisk_andel", method: .get, headers: viewer.headers) {
                let html = String($0.body)
                #expect(html.contains("I ministeriets benchmark (Jobindsats Y30R21) er Samsø nr. 62 af 98 for 12 mdr. til og med 4. kvartal 2022."), "\(html)")
            }
        }
    }

    @Test("The ranking to Excel: the page's 98 kommuner in its order, the figures as numbers, the source under it")
    func workbook() async throws {
        let server = try await TestServer.make(allRealData: true)
        try await server.app.test(.router) { client in
            let viewer = try await WebFormTests.Browser.signIn(client, "a-viewer")
            let measure = "?measure=kontanthjaelp.nettoledige_fuldtidspersoner"
            var names: [String] = []
            try await client.execute(uri: Self.page + measure, method: .get, headers: viewer.headers) {
                let html = String($0.body)
                names = Self.column(html, 2)
                #expect(html.contains("href=\"/kommuner/samsoe/2024/sammenlign.xlsx\(measure)\""), "the page links its workbook")
            }
            try await client.execute(uri: Self.page + ".xlsx" + measure, method: .get, headers: viewer.headers) {
                #expect($0.status == .ok)
                #expect($0.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("compare-\(UUID().uuidString).xlsx").path
                try Data($0.body.readableBytesView).write(to: URL(fileURLWithPath: path))
                let sheet = try #require(try ReadSheet.read(path).first)
                #expect(sheet.column("B").map(\.value) == names.map { .text($0) })
                #expect(sheet.column("A").map(\.value) == (1...98).map { .number(Double($0)) })
                let perThousand = sheet.column("C").compactMap { if case .number(let v) = $0.value { v } else { nil } }
                #expect(perThousand.count == 98 && perThousand == perThousand.sorted())
                #expect(sheet.column("D").count == 98 && sheet.column("D").allSatisfy { $0.type == "int" || $0.type == "float" })
                guard case .text(let source)? = sheet.cells.last?.value else { Issue.record("no source line"); return }
                #expect(source.hasPrefix("Kilde: Danmarks Statistik, AUK01, data pr. "), "\(source)")
            }
        }
    }

    /// The texts of one column of the ranking table (1: rank, 2: kommune, 3: value).
    static func column(_ html: String, _ n: Int) -> [String] {
        guard let body = html.components(separatedBy: "<tbody>").last?.components(separatedBy: "</tbody>").first else { return [] }
        return body.components(separatedBy: "<tr").dropFirst().compactMap { row in
            // The text between one tag's end and the next tag's start, cell by cell.
            let cells = row.components(separatedBy: ">").dropFirst().compactMap { $0.components(separatedBy: "<").first }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard cells.count >= n else { return nil }
            return cells[n - 1].replacingOccurrences(of: " (denne kommune)", with: "")
        }
    }
}
