@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Reports
@testable import Server
import Storage
import Testing

/// The sentences drafted from the figures on the plan page: marked "forslag" until an editor keeps
/// them, as written or rewritten, in the plan; the report then shows the plan's own words.
@Suite("Text drafted from the figures, on the plan page")
struct TextDraftPageTests {
    @Test("An editor rewrites a drafted sentence and keeps it: a new version, and the report shows it instead of the proposal", arguments: TestServer.kinds)
    func acceptRewritten(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        try await server.app.test(.router) { client in
            try await client.execute(uri: PlanEditingTests.draft + "/carry-forward", method: .post, headers: server.bearer("a-editor")) {
                #expect($0.status == .created)
            }
            let editor = try await WebFormTests.Browser.signIn(client, "a-editor")
            let page = "/kommuner/samsoe/2025/plan"
            let draftID = "tekst-2025-nettoledige-kontanthjaelp"
            try await client.execute(uri: page, method: .get, headers: editor.headers) {
                let html = String($0.body)
                #expect(html.contains("Tekst skrevet ud fra tallene") && html.contains(#"name="id" value="\#(draftID)""#), "\(html)")
                #expect(html.contains("Antallet af nettoledige kontanthjælpsmodtagere i Samsø") && html.contains(">forslag<"))
            }
            let report = PlanEditingTests.draft + "/reports/plan?format=md"
            try await client.execute(uri: report, method: .get, headers: server.bearer("a-viewer")) {
                #expect(String($0.body).contains("Forslag (skrevet af beskplan ud fra tallene"))
            }

            let rewritten = "Ledigheden blandt kontanthjælpsmodtagere på Samsø er lav, og vi vil holde den der."
            let (headers, body) = editor.form([("version", "1"), ("id", draftID), ("text", rewritten)])
            try await client.execute(uri: page + "/tekst", method: .post, headers: headers, body: body) {
                #expect($0.status == .seeOther && $0.headers[.location] == page + "?gemt=2", "\(String($0.body))")
            }
            let saved = try #require(try await server.environment.store.currentPlan(kommune: TestServer.kommuneA, year: 2025))
            #expect(saved.plan.sections.last == Section(id: draftID, title: "Nettoledige kontanthjælpsmodtagere", text: rewritten))
            try await client.execute(uri: report, method: .get, headers: server.bearer("a-viewer")) {
                let md = String($0.body)
                #expect(md.contains(rewritten) && !md.contains("Antallet af nettoledige kontanthjælpsmodtagere i Samsø"), "\(md)")
                #expect(!md.contains("## Nettoledige kontanthjælpsmodtagere\n\nLedigheden"), "kept text stands in its section, not among the narrative")
            }
            // A text for no drafted section, or an empty one, saves nothing.
            let (badHeaders, badBody) = editor.form([("version", "2"), ("id", "tekst-findes-ikke"), ("text", "x")])
            try await client.execute(uri: page + "/tekst", method: .post, headers: badHeaders, body: badBody) { #expect($0.status == .badRequest) }
            #expect(try await server.environment.store.currentPlan(kommune: TestServer.kommuneA, year: 2025)?.info.version == 2)
        }
    }
}
