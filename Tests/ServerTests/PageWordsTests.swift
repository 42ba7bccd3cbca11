@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing

/// A person reads names and words on the pages, never a measure id or a `key=value`.
@Suite("Pages in words")
struct PageWordsTests {
    /// The text a reader sees: without tags, attributes, and the YAML editor's own text (the plan language).
    static func visibleText(_ html: String) -> String {
        var text = html.replacingOccurrences(of: "<textarea[^>]*>[\\s\\S]*?</textarea>", with: " ", options: .regularExpression)
        text = text.replacingOccurrences(of: "<svg[\\s\\S]*?</svg>", with: " ", options: .regularExpression)
        text = text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        return text
    }

    @Test("Every page of every seed plan reads measure names and Danish words, never ids or key=value", arguments: TestServer.seedPlans)
    func noIDs(kommune: String, year: Int) async throws {
        let server = try await TestServer.make()
        let ids = server.environment.measures.all.map(\.id)
        let base = "/kommuner/\(kommune)/\(year)"
        let stored = try await PlanService(server.environment).require(try server.environment.scope(kommune), year: year)
        let pages = ["", "/plan", "/plan/versioner", "/opfoelgning", "/aarshjul", "/data", "/sammenlign"]
            + stored.plan.targets.map { "/maal/\($0.id)" }
        try await server.app.test(.router) { client in
            for page in pages {
                try await client.execute(uri: base + page, method: .get, headers: server.bearer("ops")) { response in
                    #expect(response.status == .ok, "\(base + page)")
                    let text = Self.visibleText(String(response.body))
                    for id in ids where text.contains(id) {
                        Issue.record("\(base + page) shows the measure id \(id)")
                    }
                    if let pair = text.range(of: "\\b[a-z_]+=[a-z_0-9-]+", options: .regularExpression) {
                        Issue.record("\(base + page) shows \(text[pair])")
                    }
                }
            }
        }
    }
}

extension TestServer {
    /// The demo's seed plans, by kommune and year.
    static let seedPlans: [(String, Int)] = [
        ("samsoe", 2024), ("norddjurs", 2024), ("jammerbugt", 2021), ("morsoe", 2021), ("vesthimmerland", 2020), ("vesthimmerland", 2019),
    ]
}
