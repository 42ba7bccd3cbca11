@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing

/// What a kommune's admin does over the API (users, the audit log) and what every user does
/// with their own API tokens.
@Suite("Users, tokens and the audit log over the API")
struct AdminTests {
    static let json: HTTPFields = [.contentType: "application/json"]

    @Test("An admin adds, changes and disables the kommune's users, and never reaches another kommune's", arguments: TestServer.kinds)
    func users(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        let admin = server.bearer("a-admin").merging(Self.json)
        try await server.app.test(.router) { client in
            let users = "/api/v1/kommuner/samsoe/users"
            try await client.execute(
                uri: users, method: .post, headers: admin,
                body: ByteBuffer(string: #"{"username": "ny-analytiker", "role": "viewer", "password": "mindst-ti-tegn"}"#)
            ) {
                #expect($0.status == .created, "\(String($0.body))")
                #expect(!String($0.body).contains("mindst-ti-tegn") && !String($0.body).contains("$2"), "no password or hash in the answer")
            }
            try await client.execute(
                uri: users, method: .post, headers: admin, body: ByteBuffer(string: #"{"username": "kort", "role": "viewer", "password": "kort"}"#)
            ) { #expect($0.status == .badRequest || $0.status == .unprocessableContent) }
            try await client.execute(
                uri: users, method: .post, headers: admin, body: ByteBuffer(string: #"{"username": "boss", "role": "operator", "password": "mindst-ti-tegn"}"#)
            ) { #expect($0.status == .badRequest, "an admin cannot make an operator") }
            let names = try await client.execute(uri: users, method: .get, headers: server.bearer("a-admin")) {
                #expect($0.status == .ok)
                return (try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [[String: Any]] ?? []).compactMap { $0["username"] as? String }
            }
            #expect(Set(names) == ["a-viewer", "a-updater", "a-editor", "a-admin", "ny-analytiker"])

            // The new user signs in; disabled, their token stops working at once.
            try await client.execute(uri: users + "/a-viewer", method: .patch, headers: admin, body: ByteBuffer(string: #"{"disabled": true}"#)) {
                #expect($0.status == .ok && String($0.body).contains("\"disabled\":true"))
            }
            try await client.execute(uri: "/api/v1/kommuner/samsoe/plans", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: users + "/a-updater", method: .patch, headers: admin, body: ByteBuffer(string: #"{"role": "editor"}"#)) {
                #expect($0.status == .ok && String($0.body).contains("\"role\":\"editor\""))
            }
            // Another kommune's user is not found through this kommune; nor does an admin lock themself out.
            try await client.execute(uri: users + "/b-editor", method: .patch, headers: admin, body: ByteBuffer(string: #"{"disabled": true}"#)) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: users + "/a-admin", method: .patch, headers: admin, body: ByteBuffer(string: #"{"role": "viewer"}"#)) {
                #expect($0.status == .conflict)
            }
            try await client.execute(uri: "/api/v1/kommuner/morsoe/users", method: .get, headers: server.bearer("a-admin")) {
                #expect($0.status == .forbidden)
            }
            #expect(try await server.environment.store.account(username: "b-editor")?.disabled == false)
        }
    }

    @Test("Each user makes, lists and revokes their own API tokens; the token is shown once")
    func tokens() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            let token = try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: server.bearer("a-viewer").merging(Self.json),
                body: ByteBuffer(string: #"{"label": "Power BI"}"#)
            ) {
                #expect($0.status == .created)
                return try #require(try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [String: Any])
            }
            let secret = try #require(token["token"] as? String)
            let id = try #require(token["id"] as? Int)
            #expect(secret.hasPrefix("bp_"))
            let mine: HTTPFields = [.authorization: "Bearer \(secret)"]
            try await client.execute(uri: "/api/v1/tokens", method: .get, headers: mine) {
                #expect($0.status == .ok && String($0.body).contains("Power BI") && !String($0.body).contains(secret))
            }
            // Someone else's token is not yours to revoke.
            try await client.execute(uri: "/api/v1/tokens/\(id)", method: .delete, headers: server.bearer("b-editor")) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/tokens/\(id)", method: .delete, headers: server.bearer("a-viewer")) {
                #expect($0.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/tokens", method: .get, headers: mine) { #expect($0.status == .unauthorized) }
        }
    }

    @Test("Audit rows name the kommune and the address; an admin reads their kommune's, as JSON or CSV, the operator any", arguments: TestServer.kinds)
    func audit(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        try await server.app.test(.router) { client in
            for (user, plan, target) in [("a-updater", "samsoe/plans/2024", "1.1"), ("b-editor", "morsoe/plans/2021", "6.1")] {
                try await client.execute(
                    uri: "/api/v1/kommuner/\(plan)/assessments", method: .post, headers: server.bearer(user).merging(Self.json),
                    body: ByteBuffer(string: #"{"target": "\#(target)", "status": "opfyldt", "note": "Som aftalt i udvalget"}"#)
                ) { #expect($0.status == .created) }
            }
            let entries = try await client.execute(uri: "/api/v1/kommuner/samsoe/audit", method: .get, headers: server.bearer("a-admin")) {
                #expect($0.status == .ok)
                return try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [[String: Any]] ?? []
            }
            let assessment = try #require(entries.first { $0["action"] as? String == "assessment.save" })
            #expect(assessment["actor"] as? String == "a-updater" && assessment["kommune"] as? String == "741")
            #expect(assessment["address"] != nil, "the client's address is recorded")
            #expect(entries.allSatisfy { $0["kommune"] as? String == "741" }, "only Samsø's rows")
            #expect(entries.contains { $0["action"] as? String == "user.add" && ($0["subject"] as? String)?.contains("a-viewer") == true })

            let csv = try await client.execute(uri: "/api/v1/kommuner/samsoe/audit?format=csv", method: .get, headers: server.bearer("a-admin")) {
                #expect($0.status == .ok && $0.headers[.contentType]?.hasPrefix("text/csv") == true)
                return String($0.body)
            }
            let lines = csv.components(separatedBy: "\r\n")
            #expect(lines.first == #""id","at","actor","action","subject","detail","kommune","address""#)
            #expect(lines.count == entries.count + 2)  // header, rows, and the final line break
            #expect(!csv.contains(#""773""#), "no row of Morsø's (a hash in a detail may hold the digits)")

            try await client.execute(uri: "/api/v1/kommuner/samsoe/audit", method: .get, headers: server.bearer("a-editor")) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/audit?kommune=morsoe", method: .get, headers: server.bearer("ops")) {
                let rows = try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [[String: Any]] ?? []
                #expect(rows.contains { $0["actor"] as? String == "b-editor" } && rows.allSatisfy { $0["kommune"] as? String == "773" })
            }
        }
    }
}
