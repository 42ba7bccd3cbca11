@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing
import Storage

/// Following a plan up over the API: notes before a final follow-up, the årshjul, publishing.
@Suite("Follow-up, årshjul and publishing over the API")
struct WorkflowTests {
    static let plan = "/api/v1/kommuner/samsoe/plans/2024"

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
    }

    @Test("A follow-up is final only when every target evaluated ikke opfyldt or i risiko has a note", arguments: TestServer.kinds)
    func finalNeedsNotes(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        // Vesthimmerland's 2019 plan has targets ikke opfyldt in the demo data; two users of its own.
        let accounts = AccountService(server.environment, cost: 4)
        var tokens: [String: String] = [:]
        for (name, role) in [("v-updater", Account.Role.updater), ("v-editor", .editor)] {
            try await accounts.addUser(username: name, kommune: "820", role: role, password: TestServer.password, actor: "test")
            tokens[name] = try await accounts.createToken(username: name, label: "test", actor: "test").token
        }
        let tokensByName = tokens
        @Sendable func bearer(_ name: String) -> HTTPFields { [.authorization: "Bearer \(tokensByName[name]!)"] }
        let plan = "/api/v1/kommuner/vesthimmerland/plans/2019"
        try await server.app.test(.router) { client in
            let status = plan + "/followup?asOf=2025-12-31"
            let missing = try await client.execute(uri: status, method: .get, headers: bearer("v-updater")) {
                #expect($0.status == .ok)
                let body = try Self.json($0.body)
                #expect(body["final"] as? Bool == false)
                return body["missingNotes"] as? [String] ?? []
            }
            #expect(missing == ["4.1", "4.2", "4.7", "4.8", "4.11"])
            let final = plan + "/followup/final?asOf=2025-12-31"
            try await client.execute(uri: final, method: .post, headers: bearer("v-editor")) {
                #expect($0.status == .unprocessableContent)
                let body = try Self.json($0.body)
                #expect((body["type"] as? String)?.hasSuffix("notes-missing") == true)
                #expect(missing.allSatisfy { target in (body["detail"] as? String)?.contains(target) == true }, "\(body)")
            }
            // An updater writes the notes; an updater may not make the follow-up final, an editor may.
            for target in missing {
                try await client.execute(
                    uri: plan + "/assessments", method: .post, headers: bearer("v-updater").merging([.contentType: "application/json"]),
                    body: ByteBuffer(string: #"{"target": "\#(target)", "status": "ikke_opfyldt", "note": "Udvalget er orienteret om årsagen."}"#)
                ) { #expect($0.status == .created) }
                if target == missing.first {
                    try await client.execute(uri: final, method: .post, headers: bearer("v-editor")) {
                        #expect($0.status == .unprocessableContent, "one note is not all of them")
                    }
                }
            }
            try await client.execute(uri: final, method: .post, headers: bearer("v-updater")) { #expect($0.status == .forbidden) }
            try await client.execute(uri: final, method: .post, headers: bearer("v-editor")) {
                #expect($0.status == .created, "\(String($0.body))")
            }
            try await client.execute(uri: status, method: .get, headers: bearer("v-updater")) {
                let body = try Self.json($0.body)
                #expect(body["final"] as? Bool == true && body["by"] as? String == "v-editor" && body["asOf"] as? String == "2025-12-31")
                #expect((body["missingNotes"] as? [String])?.isEmpty == true)
            }
            let audit = try await server.environment.store.auditLog(limit: 5, kommune: "820")
            #expect(audit.first?.action == "kommune.followup.final" && audit.first?.actor == "v-editor")
            #expect(!audit.contains { $0.action == "report.approved" }, "a draft plan's follow-up keeps no report for the public")
        }
    }

    @Test("The årshjul as JSON and as an iCalendar file a calendar can subscribe to with a token in its URL")
    func yearwheel() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            let months = try await client.execute(uri: Self.plan + "/aarshjul", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .ok)
                return try Self.json($0.body)["months"] as? [[String: Any]] ?? []
            }
            let february = try #require(months.first { $0["month"] as? Int == 2 })
            #expect(february["name"] as? String == "Februar")
            let targets = february["targets"] as? [[String: Any]] ?? []
            #expect(targets.contains { $0["audience"] as? String == "Social- og Beskæftigelsesudvalget" && $0["frequency"] as? String == "årligt" })

            let ics = Self.plan + "/aarshjul.ics"
            let text = try await client.execute(uri: ics + "?token=" + server.tokens["a-viewer"]!, method: .get) {
                #expect($0.status == .ok)
                #expect($0.headers[.contentType]?.hasPrefix("text/calendar") == true)
                return String($0.body)
            }
            #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
            let lines = text.components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.utf8.count <= 75 }, "lines are folded at 75 octets")
            #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == months.count)
            // February 2024 begins on a Thursday: the follow-ups are due that day.
            #expect(lines.contains("DTSTART;VALUE=DATE:20240201"))
            #expect(text.contains("SUMMARY:Opfølgning på beskæftigelsesplanen"))
            // Without a token, or with another kommune's, no calendar.
            try await client.execute(uri: ics, method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: ics + "?token=bp_wrong", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: ics + "?token=" + server.tokens["b-editor"]!, method: .get) { #expect($0.status == .forbidden) }
        }
    }

    @Test("With --public, the public sees a kommune's approved plan only after its admin publishes it")
    func publicPages() async throws {
        var configuration = ServerConfiguration()
        configuration.publicPages = true
        let server = try await TestServer.make(configuration: configuration)
        try await server.app.test(.router) { client in
            try await client.execute(uri: Self.plan, method: .get) { #expect($0.status == .unauthorized) }
            let publication = "/api/v1/kommuner/samsoe/publication"
            let publish = ByteBuffer(string: #"{"published": true}"#)
            let json: HTTPFields = [.contentType: "application/json"]
            try await client.execute(uri: publication, method: .put, headers: server.bearer("a-editor").merging(json), body: publish) {
                #expect($0.status == .forbidden, "publishing is the admin's")
            }
            try await client.execute(uri: publication, method: .put, headers: server.bearer("a-admin").merging(json), body: publish) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: Self.plan, method: .get) {
                #expect($0.status == .ok)
                #expect(String($0.body).contains("godkendt"))
            }
            try await client.execute(uri: Self.plan + "/reports/followup?format=html", method: .get) {
                #expect($0.status == .ok && String($0.body).contains("<html"))
            }
            // The public reads, never writes, lists or sees drafts; other kommuner stay closed.
            try await client.execute(uri: Self.plan + "/versions", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: Self.plan + "/assessments", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/kommuner/morsoe/plans/2021", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/kommuner/samsoe/plans/2025/carry-forward", method: .post, headers: server.bearer("a-editor")) {
                #expect($0.status == .created)
            }
            try await client.execute(uri: "/api/v1/kommuner/samsoe/plans/2025", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(
                uri: publication, method: .put, headers: server.bearer("a-admin").merging(json), body: ByteBuffer(string: #"{"published": false}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: Self.plan, method: .get) { #expect($0.status == .unauthorized) }
        }
        // Without --public, publishing shows nothing.
        let closed = try await TestServer.make()
        try await closed.environment.store.recordEvent(KommuneEvent(kommune: TestServer.kommuneA, kind: .published, author: "a-admin"))
        try await closed.app.test(.router) { client in
            try await client.execute(uri: Self.plan, method: .get) { #expect($0.status == .unauthorized) }
        }
    }
}
