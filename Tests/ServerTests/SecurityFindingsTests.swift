@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Storage
import Testing

/// Findings of the outside security test (issue 28), each reproduced as the attack was made.
@Suite("Security findings")
struct SecurityFindingsTests {
    @Test("2. A query spelled another way (an encoded name, a duplicate) cannot file its answer under a plain query's key")
    func cachePoisoning() async throws {
        var configuration = ServerConfiguration()
        configuration.publicPages = true
        let server = try await TestServer.make(configuration: configuration)
        try await server.environment.store.recordEvent(KommuneEvent(kommune: TestServer.kommuneA, kind: .published, author: "a-admin"))
        let plan = "/api/v1/kommuner/samsoe/plans/2024"
        try await server.app.test(.router) { client in
            for headers in [HTTPFields(), server.bearer("a-viewer")] {  // anonymously, and as a user of the kommune
                // The attacker's request is answered as the generated decoder reads it: the first asOf, 2019.
                try await client.execute(uri: plan + "/evaluation?%61sOf=2019-01-01&asOf=2025-03-01", method: .get, headers: headers) {
                    #expect($0.status == .ok)
                    #expect(String($0.body).contains(#""asOf":"2019-01-01""#))
                }
                for uri in [plan + "/evaluation?asOf=2025-03-01", plan + "/evaluation?utm=x&asOf=2025-03-01"] {
                    try await client.execute(uri: uri, method: .get, headers: headers) {
                        #expect(String($0.body).contains(#""asOf":"2025-03-01""#), "\(uri): \(String($0.body).prefix(80))")
                    }
                }
                try await client.execute(uri: plan + "/reports/plan?%66ormat=docx&format=html", method: .get, headers: headers) {
                    #expect($0.headers[.contentType]?.contains("wordprocessingml") == true)
                }
                try await client.execute(uri: plan + "/reports/plan?format=html", method: .get, headers: headers) { response in
                    #expect(response.headers[.contentType]?.hasPrefix("text/html") == true, "\(response.headers[.contentType] ?? "-")")
                    #expect(String(response.body).lowercased().hasPrefix("<!doctype html"))
                    #expect(response.headers[.contentDisposition]?.hasSuffix(".html\"") == true)
                }
            }
        }
    }

    @Test("3. A sign-in form posted from another site does not sign the visitor's browser in (login CSRF)")
    func loginCSRF() async throws {
        let server = try await TestServer.make()
        let form = ByteBuffer(string: "username=a-viewer&password=\(TestServer.password)")
        let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        let json = ByteBuffer(string: #"{"username": "a-viewer", "password": "\#(TestServer.password)"}"#)
        try await server.app.test(.router) { client in
            let elsewhere: [HTTPFields] = [
                [.origin: "https://evil.example"], [.referer: "https://evil.example/side"], [.origin: "null"],
                [.origin: "http://localhost.evil.example"], [.origin: "http://localhost:8081"],
            ]
            for headers in elsewhere {
                try await client.execute(uri: "/login", method: .post, headers: formType.merging(headers), body: form) {
                    #expect($0.status == .forbidden, "\(headers)")
                    #expect($0.headers[.setCookie] == nil, "no session for \(headers)")
                }
                try await client.execute(
                    uri: "/api/v1/session", method: .post, headers: HTTPFields([HTTPField(name: .contentType, value: "application/json")]).merging(headers), body: json
                ) {
                    #expect($0.status == .forbidden, "\(headers)")
                    #expect($0.headers[.setCookie] == nil)
                }
            }
            // From this site's own form (the router's requests are sent to `localhost`), and from a script.
            for headers: HTTPFields in [[.origin: "http://localhost"], [.referer: "http://localhost/login?next=/"], [:]] {
                try await client.execute(uri: "/login", method: .post, headers: formType.merging(headers), body: form) {
                    #expect($0.status == .seeOther && $0.headers[.setCookie] != nil, "\(headers)")
                }
            }
        }
    }

    @Test("4. Password spraying from one address is refused across usernames, and failed sign-ins keep the caches")
    func passwordSpraying() async throws {
        let server = try await TestServer.make()
        // Real users (with cheap test hashes): a name no one has is checked against a decoy of the
        // real cost, seconds of CPU each in a debug build, which would starve the rest of the suite.
        let accounts = AccountService(server.environment, cost: 4)
        for i in 1...16 {
            try await accounts.addUser(username: "bruger\(i)", kommune: TestServer.kommuneA, role: .viewer, password: TestServer.password, actor: "test")
        }
        let revision = try await AuditService(server.environment).revision()
        try await server.app.test(.router) { client in
            // 16 usernames, one password, sent at once from one address (as the test found).
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 1...16 {
                    group.addTask {
                        try await client.execute(
                            uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                            body: ByteBuffer(string: #"{"username": "bruger\#(i)", "password": "Sommer2026!"}"#)
                        ) { $0.status }
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == SignIn.failuresPerAddress, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 16 - SignIn.failuresPerAddress, "\(statuses)")
            // The address is refused for a real user too, with the right password, until the window passes.
            try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username": "a-viewer", "password": "\#(TestServer.password)"}"#)
            ) { #expect($0.status == .tooManyRequests) }
        }
        #expect(try await AuditService(server.environment).revision() == revision, "failed sign-ins leave the caches' revision as it was")
    }

    @Test("5. The web upload form caps its text fields and refuses a body cut off before its closing boundary")
    func uploadFormEdges() async throws {
        let server = try await TestServer.make()
        let upload = WebFormTests.data + "/upload?"
        try await server.app.test(.router) { client in
            let editor = try await WebFormTests.Browser.signIn(client, "a-editor")
            // Thousands of short fields beside a small file (the test sent 15,000 in 61 MB).
            var parts: [(name: String, filename: String?, content: String)] = [("file", "egne-tal.xml", DataTests.feed())]
            for i in 0..<2000 { parts.append(("felt\(i)", nil, String(repeating: "x", count: 40))) }
            let (type, body) = WebFormTests.multipart(parts)
            try await client.execute(uri: upload + editor.csrfQuery, method: .post, headers: editor.headers.merging(type), body: body) {
                #expect($0.status == .contentTooLarge, "\($0.status)")
                #expect($0.headers[.location] == nil, "nothing is kept to preview")
                #expect(String($0.body).contains("for mange eller for lange felter"))
            }
            // The same file, with the closing boundary cut off: refused, not previewed as if whole.
            let (whole, complete) = WebFormTests.multipart([("mapping", nil, ""), ("file", "egne-tal.xml", DataTests.feed())])
            let text = String(buffer: complete)
            let cut = try #require(text.range(of: "--", options: .backwards)).lowerBound
            for truncated in [String(text[..<cut]), String(text[..<text.index(cut, offsetBy: -40)])] {
                try await client.execute(
                    uri: upload + editor.csrfQuery, method: .post, headers: editor.headers.merging(whole), body: ByteBuffer(string: truncated)
                ) {
                    #expect($0.status == .badRequest, "\($0.status)")
                    #expect($0.headers[.location] == nil)
                    #expect(String($0.body).contains("ikke sendt helt"))
                }
            }
            // Whole, the form is taken.
            try await client.execute(uri: upload + editor.csrfQuery, method: .post, headers: editor.headers.merging(whole), body: complete) {
                #expect($0.status == .seeOther)
            }
        }
    }

    @Test("6. The audit CSV guards a field that starts with TAB or CR, as it guards = + - @")
    func auditFormulaGuard() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            // The approved seed is frozen: a new year's plan carries the title instead.
            try await client.execute(
                uri: "/api/v1/kommuner/samsoe/plans/2025/carry-forward?from=2024", method: .post, headers: server.bearer("a-editor")
            ) { #expect($0.status == .created, "\(String($0.body))") }
            // Saved as an editor's save is, the title lands in the audit row's detail.
            let plans = PlanService(server.environment)
            let scope = try server.environment.scope("samsoe")
            for title in ["\t=1+2", "\r=3+4"] {
                let stored = try await plans.require(scope, year: 2025)
                var plan = stored.plan
                plan.title = title
                try await plans.save(plan, expecting: stored.info.version, author: "a-editor")
            }
            try await client.execute(
                uri: "/api/v1/kommuner/samsoe/audit?format=csv", method: .get, headers: server.bearer("a-admin")
            ) { response in
                let csv = String(response.body)
                #expect(csv.contains("\"'\t=1+2\""), "a TAB before a formula is guarded: \(csv.prefix(400))")
                #expect(csv.contains("\"'\r=3+4\""), "a CR before a formula is guarded")
            }
        }
    }

    @Test("7. A carriage return in a plan's text does not start a property of the årshjul's calendar")
    func calendarCarriageReturn() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            try await client.execute(
                uri: "/api/v1/kommuner/samsoe/plans/2025/carry-forward?from=2024", method: .post, headers: server.bearer("a-editor")
            ) { #expect($0.status == .created) }
            let scope = try server.environment.scope("samsoe")
            let stored = try await PlanService(server.environment).require(scope, year: 2025)
            var plan = stored.plan
            let g = try #require(plan.goals.firstIndex { $0.targets.contains { $0.followUp != nil } })
            let t = try #require(plan.goals[g].targets.firstIndex { $0.followUp != nil })
            plan.goals[g].targets[t].followUp?.audience = "Udvalget\rDESCRIPTION:ondt\r\nX-EVIL:1"
            try await PlanService(server.environment).save(plan, expecting: stored.info.version, author: "a-editor")
            try await client.execute(
                uri: "/api/v1/kommuner/samsoe/plans/2025/aarshjul.ics", method: .get, headers: server.bearer("a-viewer")
            ) { response in
                #expect(response.status == .ok)
                let text = String(response.body)
                let lines = text.components(separatedBy: "\r\n")
                #expect(!lines.contains { $0.contains("\r") || $0.contains("\n") }, "no bare CR or LF inside a line")
                #expect(!lines.contains { $0.hasPrefix("DESCRIPTION:ondt") || $0.hasPrefix("X-EVIL") }, "\(lines.filter { $0.contains("ondt") })")
            }
        }
    }

    @Test("8. A kommune named in the path percent-encoded is the same kommune to the page's gate and its handler")
    func encodedKommuneOnPages() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            for uri in ["/kommuner/Sams%C3%B8/2024", "/kommuner/Sams%C3%B8/2024/plan", "/kommuner/Sams%C3%B8/2024/data"] {
                try await client.execute(uri: uri, method: .get, headers: server.bearer("a-viewer")) {
                    #expect($0.status == .ok, "\(uri): \($0.status)")
                }
            }
        }
    }

    @Test("9. An admin adding a user whose name is taken elsewhere is answered as for a name taken at home, without where")
    func usernameTakenElsewhere() async throws {
        let server = try await TestServer.make()
        let json: HTTPFields = [.contentType: "application/json"]
        try await server.app.test(.router) { client in
            var answers: [String] = []
            // `b-editor` is a user of kommune B, `a-viewer` of the admin's own, `ops` the operator.
            for name in ["b-editor", "a-viewer", "ops"] {
                try await client.execute(
                    uri: "/api/v1/kommuner/samsoe/users", method: .post, headers: server.bearer("a-admin").merging(json),
                    body: ByteBuffer(string: #"{"username": "\#(name)", "role": "viewer", "password": "\#(TestServer.password)"}"#)
                ) { response in
                    #expect(response.status == .conflict)
                    let problem = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                    #expect((problem["type"] as? String)?.hasSuffix("username-taken") == true, "\(problem)")
                    answers.append("\(problem["title"] ?? "") \(problem["detail"] ?? "")")
                }
            }
            #expect(Set(answers).count == 1, "the same answer wherever the name is taken: \(answers)")
            #expect(answers.allSatisfy { !$0.contains("Morsø") && !$0.contains("773") && !$0.contains("b-editor") && !$0.contains("operat") })
            // The admin page says the same.
            let admin = try await WebFormTests.Browser.signIn(client, "a-admin")
            let (headers, body) = admin.form([("username", "b-editor"), ("role", "viewer"), ("password", TestServer.password)])
            try await client.execute(uri: "/kommuner/samsoe/admin/brugere", method: .post, headers: headers, body: body) {
                #expect($0.status == .conflict)
                #expect(String($0.body).contains("Brugernavnet er optaget"))
            }
        }
    }

    @Test("10. A user disabled and enabled again does not get their old API tokens back")
    func reenabledTokens() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/api/v1/areas", method: .get, headers: server.bearer("a-viewer")) { #expect($0.status == .ok) }
            for disabled in [true, false] {
                try await client.execute(
                    uri: "/api/v1/kommuner/samsoe/users/a-viewer", method: .patch,
                    headers: server.bearer("a-admin").merging([.contentType: "application/json"]),
                    body: ByteBuffer(string: #"{"disabled": \#(disabled)}"#)
                ) { #expect($0.status == .ok, "\(String($0.body))") }
            }
            try await client.execute(uri: "/api/v1/areas", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .unauthorized, "the old token was revoked when the user was disabled")
            }
            let tokens = try await AccountService(server.environment).tokens(
                of: try #require(try await AccountService(server.environment).user("a-viewer", in: try server.environment.scope("samsoe"))))
            #expect(tokens.allSatisfy { $0.revoked })
        }
    }

    @Test("11. An uploaded mapping with YAML anchors and aliases is refused at its line, as a plan is, before it is expanded")
    func mappingAliases() async throws {
        let server = try await TestServer.make()
        let boundary = "beskplan-test-boundary"
        // A small alias bomb: each level names the one before it ten times.
        var mapping = "name: bombe\nmeasure: samsoe.aktive_sager\narea: { from: OMRÅDE }\nperiod: { from: TID }\nvalue: INDHOLD\n"
        mapping += "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1..<8 { mapping += "x\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let csv = "OMRÅDE;TID;INDHOLD\nSamsø;2024U30;151\n"
        let body = """
            --\(boundary)\r
            Content-Disposition: form-data; name="file"; filename="aktive.csv"\r
            Content-Type: application/octet-stream\r
            \r
            \(csv)\r
            --\(boundary)\r
            Content-Disposition: form-data; name="mapping"; filename="bombe.yaml"\r
            Content-Type: application/yaml\r
            \r
            \(mapping)\r
            --\(boundary)--\r

            """
        try await server.app.test(.router) { client in
            try await client.execute(
                uri: "/api/v1/kommuner/samsoe/imports", method: .post,
                headers: server.bearer("a-editor").merging([.contentType: "multipart/form-data; boundary=\(boundary)"]),
                body: ByteBuffer(string: body)
            ) { response in
                let text = String(response.body)
                #expect(response.status == .unprocessableContent, "\(text.prefix(300))")
                #expect(text.contains("anchors") && text.contains("linje 6"), "the refusal names the first anchor's line: \(text.prefix(300))")
            }
        }
    }

    @Test("12. The Markdown report carries plan text and notes as text: no HTML, no links")
    func markdownEscapes() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            try await client.execute(
                uri: "/api/v1/kommuner/samsoe/plans/2025/carry-forward?from=2024", method: .post, headers: server.bearer("a-editor")
            ) { #expect($0.status == .created) }
            let plans = PlanService(server.environment)
            let stored = try await plans.require(try server.environment.scope("samsoe"), year: 2025)
            var plan = stored.plan
            plan.title = "Plan <script>alert(1)</script>"
            plan.goals[0].title = "Mål <img src=x onerror=alert(2)>"
            try await plans.save(plan, expecting: stored.info.version, author: "a-editor")
            try await client.execute(
                uri: "/api/v1/kommuner/samsoe/plans/2025/assessments", method: .post,
                headers: server.bearer("a-updater").merging([.contentType: "application/json"]),
                body: ByteBuffer(string: #"{"target": "1.1", "status": "paa_vej", "note": "Se \\[her\\](javascript:alert(3)) og [her](javascript:alert(4)) <b>nu</b>"}"#)
            ) { #expect($0.status == .created, "\(String($0.body))") }
            for kind in ["plan", "followup"] {
                try await client.execute(
                    uri: "/api/v1/kommuner/samsoe/plans/2025/reports/\(kind)?format=md", method: .get, headers: server.bearer("a-viewer")
                ) { response in
                    let markdown = String(response.body)
                    #expect(response.status == .ok)
                    #expect(!markdown.contains("<script") && !markdown.contains("<img") && !markdown.contains("<b>"), "\(kind): no HTML")
                    #expect(markdown.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(kind): the title reads as written")
                    // Without the escaped backslashes and brackets, no `](` is left to close a link.
                    let unescaped = markdown.replacingOccurrences(of: "\\\\", with: "").replacingOccurrences(of: "\\]", with: "")
                    #expect(!unescaped.contains("](javascript:"), "\(kind): no link")
                }
            }
            try await client.execute(
                uri: "/api/v1/kommuner/samsoe/plans/2025/reports/followup?format=md", method: .get, headers: server.bearer("a-viewer")
            ) { #expect(String($0.body).contains(#"Se \\\[her\\\](javascript:alert(3)) og \[her\](javascript:alert(4)) &lt;b&gt;nu&lt;/b&gt;"#)) }
        }
    }
}
