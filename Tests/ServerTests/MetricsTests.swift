import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing

/// `GET /metrics` (issue 25): what a region's monitoring scrapes, and who may.
@Suite("Metrics")
struct MetricsTests {
    @Test("The operator reads requests by route template and status, their durations, imports and the read cache's hits; a kommune's admin may not")
    func metrics() async throws {
        let server = try await TestServer.make()
        let evaluation = "/api/v1/kommuner/samsoe/plans/2024/evaluation?asOf=2025-03-01"
        try await server.app.test(.router) { client in
            let before = try await Self.scrape(client, server)
            for _ in 0..<3 {
                try await client.execute(uri: evaluation, method: .get, headers: server.bearer("a-viewer")) { #expect($0.status == .ok) }
            }
            try await client.execute(uri: "/api/v1/kommuner/samsoe/plans/1999", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .notFound)
            }
            let csv = "OMRÅDE;TID;INDHOLD\nSamsø;2024U30;151\n"
            try await client.execute(
                uri: "/api/v1/kommuner/samsoe/imports?filename=aktive.csv&mapping=ingen-saadan", method: .post,
                headers: server.bearer("a-editor").merging([.contentType: "application/octet-stream"]), body: ByteBuffer(string: csv)
            ) { #expect($0.status.code >= 400) }
            let after = try await Self.scrape(client, server)

            let route = #"http_route="/api/v1/kommuner/{kommune}/plans/{year}/evaluation""#
            #expect(after.contains { $0.hasPrefix("beskplan_http_requests_total{") && $0.contains(route) && $0.contains(#"http_response_status_code="200""#) },
                    "requests are counted by their route's template, never by the kommune or year asked for")
            #expect(!after.contains { $0.contains("samsoe/plans/2024") }, "no concrete path becomes a label")
            #expect(after.contains { $0.hasPrefix("beskplan_http_request_duration_seconds_bucket{") && $0.contains(route) }, "a latency histogram")
            #expect(after.contains { $0.contains(#"http_response_status_code="404""#) })
            #expect(Self.value(after, #"beskplan_read_cache_total{result="hit"}"#) - Self.value(before, #"beskplan_read_cache_total{result="hit"}"#) >= 2,
                    "the repeated evaluations were answered from the cache")
            #expect(Self.value(after, #"beskplan_imports_total{result="refused"}"#) > Self.value(before, #"beskplan_imports_total{result="refused"}"#))
            #expect(after.contains { $0.hasPrefix("beskplan_import_duration_seconds_bucket{") })

            // Only the operator: not a kommune's admin, not anonymous (the router's requests come from no address).
            for headers in [server.bearer("a-admin"), HTTPFields()] {
                try await client.execute(uri: "/metrics", method: .get, headers: headers) { #expect($0.status == .forbidden) }
            }
        }
    }

    /// The exposition's lines, as the operator reads them.
    static func scrape(_ client: some TestClientProtocol, _ server: TestServer) async throws -> [String] {
        try await client.execute(uri: "/metrics", method: .get, headers: server.bearer("ops")) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            return String(response.body).split(separator: "\n").map(String.init)
        }
    }

    /// A sample's value (0 where it is not there yet).
    static func value(_ lines: [String], _ sample: String) -> Double {
        lines.first { $0.hasPrefix(sample + " ") }.flatMap { Double($0.dropFirst(sample.count + 1)) } ?? 0
    }
}
