@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresStorage
@testable import Server
import Testing

/// Signing in and out, tokens, throttling: what a browser and a script see.
@Suite("Sessions and tokens")
struct SessionTests {
    static func login(_ client: some TestClientProtocol, _ username: String, _ password: String = TestServer.password)
        async throws -> (cookie: String?, csrf: String?, status: HTTPResponse.Status)
    {
        try await client.execute(
            uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"username": "\#(username)", "password": "\#(password)"}"#)
        ) { response in
            let cookie = response.headers[.setCookie]
            let csrf = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["csrfToken"] as? String
            return (cookie, csrf, response.status)
        }
    }

    @Test("A login sets an HttpOnly SameSite cookie; writes need the CSRF token; logout ends the session", arguments: TestServer.kinds)
    func loginAndLogout(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        try await server.app.test(.router) { client in
            let (setCookie, csrf, status) = try await Self.login(client, "a-editor")
            #expect(status == .created)
            let cookieLine = try #require(setCookie)
            #expect(cookieLine.contains("HttpOnly") && cookieLine.contains("SameSite=Strict") && !cookieLine.contains("%3D"))
            let cookie = String(cookieLine.split(separator: ";")[0])
            try await client.execute(uri: "/api/v1/session", method: .get, headers: [.cookie: cookie]) {
                #expect($0.status == .ok)
                #expect(String($0.body).contains("a-editor"))
            }
            // A write by cookie without its CSRF token is refused, and the session lives on.
            try await client.execute(uri: "/api/v1/session", method: .delete, headers: [.cookie: cookie]) {
                #expect($0.status == .forbidden)
                #expect(String($0.body).contains("csrf"))
            }
            let token = try #require(csrf)
            try await client.execute(
                uri: "/api/v1/session", method: .delete, headers: [.cookie: cookie, .init("X-CSRF-Token")!: token]
            ) {
                #expect($0.status == .noContent)
                #expect($0.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/api/v1/session", method: .get, headers: [.cookie: cookie]) {
                #expect($0.status == .unauthorized, "the session is gone after logout")
            }
        }
        let actions = try await server.environment.store.auditLog(limit: 10).map(\.action)
        #expect(actions.contains("login") && actions.contains("logout"))
    }

    @Test("A wrong password is 401 and audited; five in a row and the next try is refused with 429")
    func throttling() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            for _ in 0..<5 {
                let wrong = try await Self.login(client, "a-viewer", "forkert-kode")
                #expect(wrong.status == .unauthorized)
            }
            let right = try await Self.login(client, "a-viewer")
            #expect(right.status == .tooManyRequests, "even the right password waits")
            let other = try await Self.login(client, "a-editor")
            #expect(other.status == .created, "another user is not held up")
            let nobody = try await Self.login(client, "nobody-here", "x")
            #expect(nobody.status == .unauthorized)
        }
        let failed = try await server.environment.store.auditLog(limit: 50).filter { $0.action == "login.failed" }
        #expect(failed.count == 7, "five wrong passwords, the refused sixth try, the unknown user")
        #expect(!failed.contains { $0.detail.contains("forkert-kode") }, "a tried password is never recorded")
    }

    @Test("Twelve guesses sent at once count each other: at most five are checked, the rest are refused", arguments: TestServer.kinds)
    func parallelGuesses(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        try await server.app.test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<12 { group.addTask { try await Self.login(client, "a-admin", "gæt-et-kodeord").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count <= 5, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 7, "\(statuses)")
        }
    }

    @Test("Expired sessions, disabled users and revoked tokens are let in no more")
    func revocation() async throws {
        var configuration = ServerConfiguration()
        configuration.sessionIdle = 1
        configuration.revisionInterval = .milliseconds(200)
        // The server's clock, moved by the test: no waiting.
        let (clock, time) = AppClock.manual(Date())
        let server = try await TestServer.make(configuration: configuration, clock: clock)
        let accounts = AccountService(server.environment, cost: 4)
        // The changes below are made beside the server, as another process would: seen once the revision interval has passed.
        let seen = 0.3
        try await server.app.test(.router) { client in
            let login = try await Self.login(client, "a-viewer")
            let cookie = String(try #require(login.cookie).split(separator: ";")[0])
            try await client.execute(uri: "/api/v1/session", method: .get, headers: [.cookie: cookie]) {
                #expect($0.status == .ok, "within its idle limit")
            }
            time.advance(by: 1.2)
            try await client.execute(uri: "/api/v1/session", method: .get, headers: [.cookie: cookie]) {
                #expect($0.status == .unauthorized, "idle past its limit")
            }
            try await client.execute(uri: "/api/v1/areas", method: .get, headers: server.bearer("a-admin")) { #expect($0.status == .ok) }
            try await accounts.disable(username: "a-admin", actor: "test")
            time.advance(by: seen)
            try await client.execute(uri: "/api/v1/areas", method: .get, headers: server.bearer("a-admin")) {
                #expect($0.status == .unauthorized, "a disabled user's token")
            }
            let editor = try await server.environment.store.account(username: "a-editor")
            let tokens = try await server.environment.store.tokens(accountID: try #require(editor).id)
            let id = try #require(tokens.first?.id)
            try await client.execute(uri: "/api/v1/areas", method: .get, headers: server.bearer("a-editor")) { #expect($0.status == .ok) }
            try await server.environment.store.revokeToken(id: id, actor: "test")
            time.advance(by: seen)
            try await client.execute(uri: "/api/v1/areas", method: .get, headers: server.bearer("a-editor")) {
                #expect($0.status == .unauthorized, "a revoked token")
            }
            try await client.execute(uri: "/api/v1/areas", method: .get, headers: [.authorization: "Bearer bp_made-up"]) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test("Two server processes on one PostgreSQL database share sessions: signed in on one, known to the other",
          .enabled(if: TestServer.kinds.contains(.postgres)))
    func sharedSessions() async throws {
        let first = try await TestServer.make(.postgres)
        let cookie = try await first.app.test(.router) { client in
            let login = try await Self.login(client, "a-updater")
            return String(try #require(login.cookie).split(separator: ";")[0])
        }
        // The second application shares nothing with the first but the database.
        guard case .postgres(let url) = first.environment.database else { Issue.record("not PostgreSQL"); return }
        let other = try AppEnvironment(store: try PostgresStore(url: url), database: .postgres(url))
        let secondApp = try buildApplication(configuration: ServerConfiguration(), environment: other)
        try await secondApp.test(.router) { client in
            try await client.execute(uri: "/api/v1/session", method: .get, headers: [.cookie: cookie]) {
                #expect($0.status == .ok)
                #expect(String($0.body).contains("a-updater"))
            }
        }
    }
}
