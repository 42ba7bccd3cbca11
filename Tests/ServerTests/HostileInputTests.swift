import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing

/// What an attacker or a broken client sends: each a clear 4xx in problem details, and the
/// server answers normally afterwards.
@Suite("Hostile input")
struct HostileInputTests {
    @Test("Oversized, mistyped, malformed and path-climbing requests are 4xx problems; the server stays healthy")
    func hostile() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            let json: HTTPFields = [.contentType: "application/json"]
            let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: 5 << 20)
            let cases: [(String, HTTPRequest.Method, HTTPFields, ByteBuffer?, HTTPResponse.Status)] = [
                ("/api/v1/session", .post, json, huge, .contentTooLarge),
                ("/api/v1/session", .post, [.contentType: "text/plain"], ByteBuffer(string: "anna"), .unsupportedMediaType),
                ("/api/v1/session", .post, json, ByteBuffer(string: #"{"username": 1"#), .badRequest),
                ("/api/v1/session", .post, json, ByteBuffer(string: #"{"user": "anna"}"#), .badRequest),
                ("/api/v1/kommuner/samsoe/plans/abc", .get, server.bearer("a-viewer"), nil, .badRequest),
                ("/api/v1/kommuner/samsoe/plans/2024/evaluation?asOf=igår", .get, server.bearer("a-viewer"), nil, .badRequest),
                // Found by schemathesis: year 18 was accepted and answered as "18-01-15", no date.
                ("/api/v1/kommuner/samsoe/plans/2024/evaluation?asOf=0018-01-15", .get, server.bearer("a-viewer"), nil, .badRequest),
                ("/api/v1/../../etc/passwd", .get, server.bearer("a-viewer"), nil, .notFound),
                ("/api/v1/kommuner/%2e%2e/plans", .get, server.bearer("a-viewer"), nil, .notFound),
            ]
            for (uri, method, headers, body, expected) in cases {
                try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                    #expect(response.status == expected, "\(method) \(uri): \(response.status) \(String(response.body).prefix(200))")
                    let text = String(response.body)
                    #expect(!text.contains("/work/") && !text.contains("Swift") && !text.contains("SELECT"), "\(uri): \(text)")
                }
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/areas", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test("The contract is served at /api/v1/openapi.yaml as it is in the repository")
    func servesContract() async throws {
        let server = try await TestServer.make()
        let file = try String(contentsOf: TestServer.documentURL, encoding: .utf8)
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/api/v1/openapi.yaml", method: .get) {
                #expect($0.status == .ok)
                #expect(String($0.body) == file)
                #expect($0.headers[.contentType]?.hasPrefix("application/yaml") == true)
            }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("X-Forwarded-For names the client only when a trusted proxy sends it, and only its last untrusted hop")
    func forwardedFor() {
        let proxies: Set<String> = ["10.0.0.5", "10.0.0.6"]
        #expect(Authenticator.client(forwardedFor: "203.0.113.9", peer: "198.51.100.1", trustedProxies: proxies) == "198.51.100.1")
        #expect(Authenticator.client(forwardedFor: "203.0.113.9", peer: "10.0.0.5", trustedProxies: proxies) == "203.0.113.9")
        #expect(Authenticator.client(forwardedFor: "1.2.3.4, 203.0.113.9, 10.0.0.6", peer: "10.0.0.5", trustedProxies: proxies)
            == "203.0.113.9", "a client cannot pick its address by writing the header itself")
        #expect(Authenticator.client(forwardedFor: nil, peer: "10.0.0.5", trustedProxies: proxies) == "10.0.0.5")
    }
}
