@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresStorage
@testable import Server
import Storage
import Testing

/// Saving plans, assessing targets and fetching reports through the API, as an editor's and an
/// updater's scripts do.
@Suite("Plans, assessments and reports over the API")
struct PlanEditingTests {
    static let plan = "/api/v1/kommuner/samsoe/plans/2024"

    static let draft = "/api/v1/kommuner/samsoe/plans/2025"

    static func yaml(_ client: some TestClientProtocol, _ server: TestServer, _ uri: String = plan) async throws -> String {
        try await client.execute(uri: uri, method: .get, headers: server.bearer("a-editor").merging([.accept: "application/yaml"])) {
            String($0.body)
        }
    }

    static func save(
        _ client: some TestClientProtocol, _ server: TestServer, _ yaml: String, ifMatch: String?, as user: String = "a-editor",
        to uri: String = plan
    ) async throws -> (HTTPResponse.Status, String, String?) {
        var headers = server.bearer(user).merging([.contentType: "application/yaml"])
        if let ifMatch { headers[.ifMatch] = ifMatch }
        return try await client.execute(uri: uri + "/versions", method: .put, headers: headers, body: ByteBuffer(string: yaml)) {
            ($0.status, String($0.body), $0.headers[.eTag])
        }
    }

    @Test("A save is a new version guarded by If-Match: a stale ETag is 412, none is 428; an approved plan is frozen",
          arguments: TestServer.kinds)
    func versions(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        try await server.app.test(.router) { client in
            // Samsø's 2024 plan is adopted: no edit lands on it.
            let adopted = try await Self.yaml(client, server)
            let frozen = try await Self.save(client, server, adopted, ifMatch: "\"1\"")
            #expect(frozen.0 == .conflict && frozen.1.contains("plan-frozen"), "\(frozen.1)")

            // Next year's plan starts as a copy, a draft, and is edited.
            try await client.execute(uri: Self.draft + "/carry-forward", method: .post, headers: server.bearer("a-editor")) {
                #expect($0.status == .created, "\(String($0.body))")
                #expect($0.headers[.eTag] == "\"1\"")
            }
            let original = try await Self.yaml(client, server, Self.draft)
            #expect(original.contains("status: udkast") && original.contains("videreført"), "\(original.prefix(400))")
            let edited = original.replacingOccurrences(of: "title: Beskæftigelsesplan 2025", with: "title: Beskæftigelsesplan 2025 (rettet)")
            #expect(edited != original)

            let (status, body, etag) = try await Self.save(client, server, edited, ifMatch: "\"1\"", to: Self.draft)
            #expect(status == .created, "\(body)")
            #expect(etag == "\"2\"")
            #expect(body.contains("(rettet)") && body.contains("a-editor"))

            let stale = try await Self.save(client, server, edited, ifMatch: "\"1\"", to: Self.draft)
            #expect(stale.0 == .preconditionFailed && stale.1.contains("version-conflict"))
            let blind = try await Self.save(client, server, edited, ifMatch: nil, to: Self.draft)
            #expect(blind.0 == .preconditionRequired)
            // A plan says it is adopted only through the approval.
            let selfApproved = edited.replacingOccurrences(of: "status: udkast", with: "status: godkendt")
            let refused = try await Self.save(client, server, selfApproved, ifMatch: "\"2\"", to: Self.draft)
            #expect(refused.0 == .conflict && refused.1.contains("approve-separately"), "\(refused.1)")

            try await client.execute(uri: Self.draft + "/diff", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .ok)
                let diff = try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [String: Any]
                #expect(diff?["from"] as? String == "2025 v1" && diff?["to"] as? String == "2025 v2")
                #expect((diff?["changes"] as? [String])?.contains { $0.contains("(rettet)") } == true, "\(String($0.body))")
            }
            try await client.execute(uri: Self.draft + "/diff?from=1&to=7", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: Self.draft + "/versions", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .ok)
                let versions = try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [[String: Any]]
                #expect(versions?.compactMap { $0["version"] as? Int } == [1, 2])
            }

            // Approval: a new version, godkendt, dated; after it, the plan is frozen too.
            try await client.execute(
                uri: Self.draft + "/approval", method: .post,
                headers: server.bearer("a-editor").merging([.contentType: "application/json", .ifMatch: "\"2\""]),
                body: ByteBuffer(string: #"{"body": "Kommunalbestyrelsen", "date": "2025-03-27"}"#)
            ) {
                #expect($0.status == .created, "\(String($0.body))")
                #expect(String($0.body).contains("\"status\":\"godkendt\"") && String($0.body).contains("\"version\":3"))
            }
            let approved = try await Self.yaml(client, server, Self.draft)
            #expect(approved.contains("Kommunalbestyrelsen") && approved.contains("2025-03-27"), "\(approved.prefix(600))")
            #expect(try await Self.save(client, server, edited, ifMatch: "\"3\"", to: Self.draft).0 == .conflict)
            try await client.execute(
                uri: Self.draft + "/approval", method: .post, headers: server.bearer("a-editor").merging([.contentType: "application/json"]),
                body: ByteBuffer(string: "{}")
            ) {
                #expect($0.status == .conflict && String($0.body).contains("already-approved"), "\(String($0.body))")
            }
            // A year that has a plan is not carried into again.
            try await client.execute(uri: Self.draft + "/carry-forward", method: .post, headers: server.bearer("a-editor")) {
                #expect($0.status == .conflict && String($0.body).contains("plan-exists"))
            }
            let audit = try await server.environment.store.auditLog(limit: 30)
            #expect(audit.contains { $0.action == "plan.save" && $0.actor == "a-editor" && $0.kommune == "741" })
        }
    }

    @Test("A plan with mistakes, for another kommune, or built to explode is 422 with each problem's line and column")
    func invalidPlans() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            let original = try await Self.yaml(client, server)
            let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let measureLine = try #require(lines.firstIndex { $0.contains("measure: ") })
            var broken = lines
            broken[measureLine] = broken[measureLine].replacingOccurrences(
                of: #"measure: \S+"#, with: "measure: ingen.saadan.maaling", options: .regularExpression)
            let (status, body, _) = try await Self.save(client, server, broken.joined(separator: "\n"), ifMatch: "\"1\"")
            #expect(status == .unprocessableContent)
            let problem = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            let errors = problem?["errors"] as? [[String: Any]]
            #expect(errors?.first?["line"] as? Int == measureLine + 1, "\(body)")
            #expect((errors?.first?["message"] as? String)?.contains("ingen.saadan.maaling") == true)

            let other = original.replacingOccurrences(of: "kommune: '741'", with: "kommune: '773'")
            #expect(try await Self.save(client, server, other, ifMatch: "\"1\"").0 == .unprocessableContent)

            let laughs = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            let bomb = try await Self.save(client, server, laughs, ifMatch: "\"1\"")
            #expect(bomb.0 == .unprocessableContent && bomb.1.contains("anchors"), "\(bomb.1)")
            let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
            #expect(try await Self.save(client, server, "a: " + deep, ifMatch: "\"1\"").0 == .unprocessableContent)
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("An updater assesses a target with a note; an unknown target or an empty note is refused", arguments: TestServer.kinds)
    func assessments(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        try await server.app.test(.router) { client in
            let json = server.bearer("a-updater").merging([.contentType: "application/json"])
            try await client.execute(
                uri: Self.plan + "/assessments", method: .post, headers: json,
                body: ByteBuffer(string: #"{"target": "1.1", "status": "ikke_opfyldt", "note": "Undersøgelsen er udskudt til efteråret", "date": "2024-09-30"}"#)
            ) {
                #expect($0.status == .created, "\(String($0.body))")
            }
            try await client.execute(
                uri: Self.plan + "/assessments", method: .post, headers: json,
                body: ByteBuffer(string: #"{"target": "9.9", "status": "opfyldt", "note": "x"}"#)
            ) { #expect($0.status == .unprocessableContent) }
            try await client.execute(
                uri: Self.plan + "/assessments", method: .post, headers: json,
                body: ByteBuffer(string: #"{"target": "1.1", "status": "opfyldt", "note": "   "}"#)
            ) { #expect($0.status == .unprocessableContent) }
            try await client.execute(uri: Self.plan + "/assessments", method: .get, headers: server.bearer("a-viewer")) {
                #expect(String($0.body).contains("Undersøgelsen er udskudt") && String($0.body).contains("a-updater"))
            }
            // The evaluation shows the hand assessment.
            try await client.execute(uri: Self.plan + "/evaluation?asOf=2024-12-31", method: .get, headers: server.bearer("a-viewer")) {
                #expect(String($0.body).contains("ikke_opfyldt"))
            }
        }
    }

    @Test("A cached evaluation is renewed when an assessment lands through another process on the same database",
          arguments: TestServer.kinds)
    func cacheFollowsTheStore(kind: TestServer.Kind) async throws {
        var configuration = ServerConfiguration()
        configuration.revisionInterval = .milliseconds(200)
        let (clock, time) = AppClock.manual(Date())
        let first = try await TestServer.make(kind, configuration: configuration, clock: clock)
        // A second application over the same database: on SQLite the same store, on PostgreSQL a pool of its own.
        let otherStore: any Store
        if case .postgres(let url) = first.environment.database { otherStore = try PostgresStore(url: url) } else {
            otherStore = first.environment.store
        }
        let second = try buildApplication(
            configuration: ServerConfiguration(), environment: try AppEnvironment(store: otherStore, database: first.environment.database))
        @Sendable func status(_ client: some TestClientProtocol) async throws -> String? {
            try await client.execute(uri: Self.plan + "/evaluation?asOf=2024-12-31", method: .get, headers: first.bearer("a-viewer")) { response in
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let targets = json?["targets"] as? [[String: Any]]
                return targets?.first { $0["target"] as? String == "1.1" }?["status"] as? String
            }
        }
        try await first.app.test(.router) { client in
            let before = try await status(client)
            #expect(try await status(client) == before, "the same answer from the cache")
            try await second.test(.router) { other in
                try await other.execute(
                    uri: Self.plan + "/assessments", method: .post,
                    headers: first.bearer("a-updater").merging([.contentType: "application/json"]),
                    body: ByteBuffer(string: #"{"target": "1.1", "status": "opfyldt", "note": "Undersøgelsen viste 87 % tilfredse"}"#)
                ) { #expect($0.status == .created) }
            }
            // Until its revision interval has passed, the first process answers from its cache; then it looks again.
            #expect(try await status(client) == before, "within the interval, the cached answer")
            time.advance(by: 0.3)
            #expect(try await status(client) == "opfyldt", "the first process sees the assessment made through the second")
        }
    }

    @Test("Reports come in HTML, Markdown and DOCX, and their tables in XLSX, with their content types and file names")
    func reports() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            let cases: [(String, String, String)] = [
                ("plan?format=html", "text/html", "samsoe-2024-plan.html"),
                ("followup?format=md", "text/markdown", "samsoe-2024-followup.md"),
                ("plan?format=docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "samsoe-2024-plan.docx"),
                ("followup?format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "samsoe-2024-followup.xlsx"),
            ]
            for (path, type, file) in cases {
                try await client.execute(uri: Self.plan + "/reports/" + path, method: .get, headers: server.bearer("a-viewer")) {
                    #expect($0.status == .ok, "\(path): \(String($0.body).prefix(300))")
                    #expect($0.headers[.contentType]?.hasPrefix(type) == true, "\(path): \($0.headers[.contentType] ?? "-")")
                    #expect($0.headers[.contentDisposition] == "attachment; filename=\"\(file)\"")
                    if path.contains("docx") || path.contains("xlsx") { #expect(Array($0.body.readableBytesView.prefix(2)) == Array("PK".utf8)) }
                    if path.contains("xlsx") {
                        // A workbook, not a document: its parts are named in the archive's directory.
                        let names = String(decoding: $0.body.readableBytesView, as: UTF8.self)
                        #expect(names.contains("xl/workbook.xml") && names.contains("xl/worksheets/sheet1.xml"))
                    }
                    if path.contains("html") { #expect(String($0.body).contains("Samsø")) }
                }
            }
            try await client.execute(uri: Self.plan + "/reports/budget", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .badRequest)
            }
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var fields = self
        fields.append(contentsOf: other)
        return fields
    }
}
