@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PlanFormat
@testable import Server
import Storage
import Testing

/// A plan over several years through the pages and the API, and the carry into a new year on the
/// plan page, which lists what the new year's rules forced.
@Suite("Plan periods on the pages and the API")
struct PlanPeriodPageTests {
    @Test("Carried on the plan page from 2024 into 2025: the page lists each change the 2025 rules forced", arguments: TestServer.kinds)
    func carryOnThePage(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        try await server.app.test(.router) { client in
            let editor = try await WebFormTests.Browser.signIn(client, "a-editor")
            let (headers, body) = editor.form([])
            let location = try await client.execute(uri: "/kommuner/samsoe/2025/plan/videreforer", method: .post, headers: headers, body: body) {
                #expect($0.status == .seeOther)
                return $0.headers[.location] ?? ""
            }
            #expect(location == "/kommuner/samsoe/2025/plan?gemt=1&viderefoert=2024")
            try await client.execute(uri: location, method: .get, headers: editor.headers) {
                let html = String($0.body)
                #expect(html.contains("Det, årets regler ændrede"), "\(html)")
                #expect(html.contains("Ændret: Mål 1, ") && html.contains("er nu et lokalt mål: ministermålene er afskaffet (Lov nr. 1656 af 30. december 2024, fra 1. januar 2025)."))
            }
            // Without the carry's mark, the plan page says nothing of it.
            try await client.execute(uri: "/kommuner/samsoe/2025/plan", method: .get, headers: editor.headers) {
                #expect(!String($0.body).contains("Det, årets regler ændrede"))
            }
        }
    }

    @Test("The API's carry answers with the new version and the same list of forced changes", arguments: TestServer.kinds)
    func carryOverTheAPI(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        let seed = try #require(try await server.environment.store.currentPlan(kommune: TestServer.kommuneA, year: 2024)).plan
        let expected = PlanCarryForward.carry(from: seed, to: 2025).changes
        #expect(!expected.isEmpty)
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/api/v1/kommuner/samsoe/plans/2025/carry-forward", method: .post, headers: server.bearer("a-editor")) {
                #expect($0.status == .created)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [String: Any])
                #expect(json["version"] as? Int == 1 && json["year"] as? Int == 2025 && json["status"] as? String == "udkast")
                let changes = json["forcedChanges"] as? [[String: Any]] ?? []
                #expect(changes.map { $0["text"] as? String ?? "" } == expected.map(\.text))
                #expect(changes.first?["kind"] as? String == "goalSet" && changes.first?["applied"] as? Bool == true)
            }
        }
    }

    @Test("A plan for 2026–2027 is found by 2027: the follow-up page, the evaluation and the årshjul read 2027's targets", arguments: TestServer.kinds)
    func anyYearOfThePeriod(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        let env = server.environment
        let seed = try #require(try await env.store.currentPlan(kommune: TestServer.kommuneA, year: 2024)).plan
        var plan = PlanCarryForward.carry(from: seed, to: 2026, through: 2027).plan
        plan.goals[0].targets = plan.goals[0].targets.map { var t = $0; if t.year == 2027 { t.id += "b" }; return t }
        try await PlanService(env).save(plan, expecting: 0, author: "test")
        let targets2027 = plan.forYear(2027).targets.map(\.id)
        #expect(targets2027.contains { $0.hasSuffix("b") })
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/api/v1/kommuner/samsoe/plans/2027/evaluation", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .ok)
                let json = try JSONSerialization.jsonObject(with: Data(String($0.body).utf8)) as? [String: Any]
                #expect(json?["year"] as? Int == 2027)
                let ids = (json?["targets"] as? [[String: Any]])?.compactMap { $0["target"] as? String } ?? []
                #expect(ids == targets2027, "2027's targets, not 2026's: \(ids)")
            }
            try await client.execute(uri: "/api/v1/kommuner/samsoe/plans/2028/evaluation", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .notFound, "2028 is outside the period")
            }
            let viewer = try await WebFormTests.Browser.signIn(client, "a-viewer")
            try await client.execute(uri: "/kommuner/samsoe/2027/opfoelgning", method: .get, headers: viewer.headers) {
                let html = String($0.body)
                #expect($0.status == .ok)
                #expect(targets2027.allSatisfy { html.contains(">\($0)<") || html.contains("\($0) ") }, "every 2027 target is on the page")
            }
        }
    }
}
