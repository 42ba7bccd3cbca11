import AppSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
@testable import Server
import Testing
import Storage

/// Who may do what, through the router: every operation × every kind of caller.
@Suite("Access")
struct AccessTests {
    @Test("Every operation of openapi.yaml is in the access table, and the table names no other")
    func tableCoversTheContract() {
        let documented = Set(TestServer.operations.map(\.id))
        #expect(documented.count >= 30)
        #expect(documented == Set(Access.operations.keys))
    }

    /// The path of an operation for kommune A, plan year 2024.
    static func path(_ template: String) -> String {
        "/api/v1" + template.replacingOccurrences(of: "{kommune}", with: "samsoe").replacingOccurrences(of: "{year}", with: "2024")
            .replacingOccurrences(of: "{kind}", with: "plan").replacingOccurrences(of: "{username}", with: "a-viewer")
            .replacingOccurrences(of: "{id}", with: "999999")
            + (template == "/observations" ? "?measure=ydelse.fuldtidspersoner&area=samsoe" : "")
    }

    @Test("The matrix: every operation × anonymous, each role of kommune A, a user of kommune B and the operator", arguments: TestServer.kinds)
    func matrix(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        try await server.app.test(.router) { client in
            for operation in TestServer.operations where operation.id != "createSession" {
                let uri = Self.path(operation.path)
                // Anonymous: never in.
                try await client.execute(uri: uri, method: operation.method) { response in
                    #expect(response.status == .unauthorized, "anonymous \(operation.id): \(response.status)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
                for caller in TestServer.callers {
                    // The hand-written policy, not `Access`: this checks the policy, not only the wiring.
                    let allowed = AccessPolicy.allows(operation: operation.id, caller.name)
                    try await client.execute(uri: uri, method: operation.method, headers: server.bearer(caller.name)) { response in
                        if allowed && operation.method != .get {
                            // Let through the gate; the handler judged the (missing) body. The writes' own tests send real ones.
                            #expect(![.unauthorized, .forbidden].contains(response.status), "\(caller.name) \(operation.id): \(response.status)")
                        } else if allowed {
                            #expect(response.status.kind == .successful, "\(caller.name) \(operation.id): \(response.status) \(String(response.body))")
                        } else {
                            #expect(response.status == .forbidden, "\(caller.name) \(operation.id): \(response.status)")
                        }
                        // Kommune isolation, said without the table: B's user never reads or writes A's.
                        if caller.kommune == TestServer.kommuneB && operation.path.contains("{kommune}") {
                            #expect(response.status == .forbidden, "\(caller.name) reached kommune A through \(operation.id)")
                        }
                    }
                }
            }
        }
    }

    @Test("Roles in words: a viewer reads its own kommune's plan; the operator reads any; only the operator reads the audit log")
    func rolesInWords() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/api/v1/kommuner/741/plans/2024", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .ok)
                #expect(String($0.body).contains("Samsø") || String($0.body).contains("741"))
            }
            try await client.execute(uri: "/api/v1/kommuner/samsoe/plans", method: .get, headers: server.bearer("ops")) {
                #expect($0.status == .ok)
                #expect($0.headers[.cacheControl] == "no-store", "a kommune's data is not cached")
            }
            // The kommune by its name, percent-encoded as a browser sends it, is the same kommune to the gate and the handler.
            try await client.execute(uri: "/api/v1/kommuner/Sams%C3%B8/plans", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .ok)
                #expect(String($0.body).contains("\"741\""))
            }
            try await client.execute(uri: "/api/v1/kommuner/Mors%C3%B8/plans", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/audit", method: .get, headers: server.bearer("a-admin")) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/audit", method: .get, headers: server.bearer("ops")) {
                #expect($0.status == .ok)
                #expect(String($0.body).contains("user.add"))
            }
            // A kommune that does not exist, or a region, is a 404 before any access is decided.
            for uri in ["/api/v1/kommuner/atlantis/plans", "/api/v1/kommuner/081/plans", "/api/v1/kommuner/..%2F..%2Fetc/plans"] {
                try await client.execute(uri: uri, method: .get, headers: server.bearer("a-viewer")) {
                    #expect($0.status == .notFound, "\(uri)")
                    #expect(!String($0.body).contains("/work"), "no file path in a response")
                }
            }
        }
    }

    @Test("An answer kept for one caller is given to another only if the gate lets them in, and with the same headers")
    func keptAnswersPassTheGate() async throws {
        let server = try await TestServer.make()
        let plan = "/api/v1/kommuner/samsoe/plans/2024"
        try await server.app.test(.router) { client in
            let hitsBefore = try await MetricsTests.value(MetricsTests.scrape(client, server), Self.hits)
            for uri in [plan + "/evaluation?asOf=2025-03-01", plan + "/reports/plan?format=html"] {
                // Made, then kept: both answers alike, the handler's own header (the report's file name) included.
                var answers: [(body: String, disposition: String?, type: String?)] = []
                for caller in ["a-viewer", "a-viewer", "ops"] {
                    try await client.execute(uri: uri, method: .get, headers: server.bearer(caller)) {
                        #expect($0.status == .ok, "\(caller) \(uri): \($0.status)")
                        answers.append((String($0.body), $0.headers[.contentDisposition], $0.headers[.contentType]))
                    }
                }
                #expect(answers.allSatisfy { $0 == answers[0] }, "\(uri): the operator, who may read any kommune, is given the same answer")
                #expect(uri.contains("evaluation") || answers[0].disposition?.hasSuffix(".html\"") == true)
                // Kommune B's user sends the same text as the same audience: the gate's own refusal, not the kept answer.
                try await client.execute(uri: uri, method: .get, headers: server.bearer("b-editor")) {
                    #expect($0.status == .forbidden, "\(uri): \($0.status)")
                    #expect(String($0.body).contains("din egen kommunes data"))
                }
                try await client.execute(uri: uri, method: .get) { #expect($0.status == .unauthorized, "\(uri): anonymous") }
            }
            let hits = try await MetricsTests.value(MetricsTests.scrape(client, server), Self.hits) - hitsBefore
            #expect(hits >= 4, "the repeats were answered from what was kept (\(hits) hits)")
        }
    }

    private static let hits = #"beskplan_read_cache_total{result="hit"}"#
}
