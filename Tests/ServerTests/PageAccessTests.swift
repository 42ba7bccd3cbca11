@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing
import Storage

/// The web pages behind their gate, through the router: every page × anonymous, each role of
/// kommune A, a user of kommune B and the operator, decided by the same table as the API.
@Suite("Page access")
struct PageAccessTests {
    /// Each page's route, for kommune A's 2024 plan.
    static let routes: [(page: String, method: HTTPRequest.Method, uri: String)] = [
        ("dashboard", .get, "/kommuner/samsoe/2024"), ("target", .get, "/kommuner/samsoe/2024/maal/1.1"),
        ("addNote", .post, "/kommuner/samsoe/2024/maal/1.1/noter"), ("plan", .get, "/kommuner/samsoe/2024/plan"),
        ("versions", .get, "/kommuner/samsoe/2024/plan/versioner"), ("savePlan", .post, "/kommuner/samsoe/2024/plan"),
        ("approvePlan", .post, "/kommuner/samsoe/2024/plan/godkend"), ("carryForward", .post, "/kommuner/samsoe/2026/plan/videreforer"),
        ("followUp", .get, "/kommuner/samsoe/2024/opfoelgning"), ("finalizeFollowUp", .post, "/kommuner/samsoe/2024/opfoelgning/endelig"),
        ("yearwheel", .get, "/kommuner/samsoe/2024/aarshjul"), ("compare", .get, "/kommuner/samsoe/2024/sammenlign"),
        ("compare", .get, "/kommuner/samsoe/2024/sammenlign.xlsx"),
        ("data", .get, "/kommuner/samsoe/2024/data"), ("template", .get, "/kommuner/samsoe/2024/data/skabelon.csv"),
        ("localFigures", .post, "/kommuner/samsoe/2024/data/egne-tal"),
        ("admin", .get, "/kommuner/samsoe/admin"), ("addUser", .post, "/kommuner/samsoe/admin/brugere"),
        ("changeUser", .post, "/kommuner/samsoe/admin/brugere/a-viewer"),
        ("planFields", .get, "/kommuner/samsoe/2024/plan/felter"), ("savePlanFields", .post, "/kommuner/samsoe/2024/plan/felter"),
        ("upload", .post, "/kommuner/samsoe/2024/data/upload"), ("checkPlan", .post, "/kommuner/samsoe/2024/plan/kontrol"),
        ("createToken", .post, "/kommuner/samsoe/admin/tokens"), ("revokeToken", .post, "/kommuner/samsoe/admin/tokens/1/spaer"),
    ]

    @Test("Every kommune page is in the table; anonymous is sent to log in; B's user and lesser roles get 403", arguments: TestServer.kinds)
    func matrix(kind: TestServer.Kind) async throws {
        // Every page of a kommune is in the matrix; the others are open or public.
        #expect(Set(Self.routes.map(\.page)) == Set(PageID.allCases.map(\.rawValue)).subtracting(["home", "login", "logout", "public"]))
        let server = try await TestServer.make(kind)
        try await server.app.test(.router) { client in
            for route in Self.routes {
                try await client.execute(uri: route.uri, method: route.method) { response in
                    #expect(response.status == .seeOther && response.headers[.location]?.hasPrefix("/login") == true, "anonymous \(route.page)")
                }
                for caller in TestServer.callers {
                    // The hand-written policy, not `Access`: this checks the policy, not only the wiring.
                    let allowed = AccessPolicy.allows(page: PageID(rawValue: route.page)!, caller.name)
                    try await client.execute(uri: route.uri, method: route.method, headers: server.bearer(caller.name)) { response in
                        switch (allowed, route.method) {
                        case (true, .post):
                            // Through the gate's role check, then held to the CSRF token a bearer caller does not have.
                            #expect(response.status == .forbidden && String(response.body).contains("Formularen er udløbet"), "\(caller.name) \(route.page)")
                        case (true, _):
                            #expect(response.status == .ok, "\(caller.name) \(route.page): \(response.status)")
                            #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src 'self'") == true)
                        default:
                            #expect(response.status == .forbidden && String(response.body).contains("Du har ikke adgang"), "\(caller.name) \(route.page)")
                        }
                        if caller.kommune == TestServer.kommuneB { #expect(response.status == .forbidden) }
                    }
                }
            }
        }
    }

    @Test("A page escapes what users wrote: a note with markup shows as text")
    func escaping() async throws {
        let server = try await TestServer.make()
        try await server.environment.store.saveAssessment(Assessment(
            kommune: TestServer.kommuneA, year: 2024, target: "1.1", status: .vurderet, note: "<script>alert(1)</script> & co",
            date: "2024-06-01", author: "a-updater"))
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/kommuner/samsoe/2024/maal/1.1", method: .get, headers: server.bearer("a-viewer")) {
                let page = String($0.body)
                #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"))
                #expect(!page.contains("<script>alert(1)"))
            }
            // The login form sends a visitor back only to a page of this site.
            #expect(SignInController.safeNext("https://evil.example/") == "/" && SignInController.safeNext("//evil.example") == "/")
            #expect(SignInController.safeNext("/\t/evil.example") == "/" && SignInController.safeNext("/\\evil.example") == "/", "a browser drops tabs")
            #expect(SignInController.safeNext("/kommuner/samsoe/2024") == "/kommuner/samsoe/2024")
        }
    }
}
