@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing

/// Observations out and statistics files in, over the API.
@Suite("Observations and imports over the API")
struct DataTests {
    /// A feed with one Samsø series and, if `alsoMorsoe`, one of Morsø's.
    static func feed(alsoMorsoe: Bool = false) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="urn:beskplan:feed:1" source="test">
          <series measure="samsoe.aktive_sager" area="741">
            <obs period="2024U10" value="149"/>
            <obs period="2024U20" value="147"/>
          </series>
        \(alsoMorsoe ? #"  <series measure="samsoe.aktive_sager" area="773"><obs period="2024U10" value="9"/></series>"# : "")
        </feed>

        """
    }

    static func summary(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
    }

    @Test("An editor uploads the kommune's own figures; a file with another kommune's is refused whole", arguments: TestServer.kinds)
    func localUpload(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        let editor = server.bearer("a-editor").merging([.contentType: "application/octet-stream"])
        try await server.app.test(.router) { client in
            let before = try await server.environment.store.revision()
            try await client.execute(
                uri: "/api/v1/kommuner/samsoe/imports?filename=aktive.xml", method: .post, headers: editor,
                body: ByteBuffer(string: Self.feed(alsoMorsoe: true))
            ) {
                #expect($0.status == .unprocessableContent)
                let body = String($0.body)
                #expect(body.contains("Morsø") && body.contains("aktive.xml") && !body.contains("/tmp"), "\(body)")
            }
            #expect(try await server.environment.store.revision() == before, "nothing stored")

            try await client.execute(uri: "/api/v1/kommuner/samsoe/imports?dryRun=true", method: .post, headers: editor, body: ByteBuffer(string: Self.feed())) {
                let s = try Self.summary($0.body)
                #expect($0.status == .ok && s["dryRun"] as? Bool == true && s["observations"] as? Int == 2)
            }
            #expect(try await server.environment.store.revision() == before)
            try await client.execute(uri: "/api/v1/kommuner/samsoe/imports", method: .post, headers: editor, body: ByteBuffer(string: Self.feed())) {
                let s = try Self.summary($0.body)
                #expect($0.status == .ok && s["kind"] as? String == "beskplan feed" && s["observations"] as? Int == 2, "\(s)")
                #expect(s["importId"] as? Int != nil)
            }
            // As `beskplan observations` shows them, in JSON and CSV.
            let query = "/api/v1/observations?measure=samsoe.aktive_sager&area=samsoe&from=2024U01"
            try await client.execute(uri: query, method: .get, headers: server.bearer("a-viewer")) {
                let rows = try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [[String: Any]] ?? []
                #expect(rows.map { $0["value"] as? Double } == [149, 147], "\(String($0.body))")
            }
            try await client.execute(uri: query + "&format=csv", method: .get, headers: server.bearer("a-viewer")) {
                #expect(String($0.body) == "MAALING;OMRÅDE;TID;INDHOLD\nsamsoe.aktive_sager;741;2024U10;149\nsamsoe.aktive_sager;741;2024U20;147\n")
            }
            try await client.execute(uri: "/api/v1/observations?measure=ingen.saadan", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .badRequest)
            }
            let audit = try await server.environment.store.auditLog(limit: 3, kommune: TestServer.kommuneA)
            #expect(audit.contains { $0.action == "observations.import" && $0.actor == "a-editor" })
        }
    }

    @Test("A CSV upload carries its mapping beside it (multipart) or names a shipped one; a file past the limit is 413")
    func multipartAndLimits() async throws {
        var configuration = ServerConfiguration()
        configuration.limits.importSize = 64 << 10
        let server = try await TestServer.make(configuration: configuration)
        // Uploads of other runs (another checkout's, one killed midway) are not this test's.
        let uploads: @Sendable () throws -> Set<String> = { Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("beskplan-upload-") }) }
        let before = try uploads()
        try await server.app.test(.router) { client in
            let boundary = "beskplan-test-boundary"
            let mapping = "name: test\nmeasure: samsoe.aktive_sager\narea: { from: OMRÅDE }\nperiod: { from: TID }\nvalue: INDHOLD\n"
            let csv = "OMRÅDE;TID;INDHOLD\nSamsø;2024U30;151\n"
            let body = """
                --\(boundary)\r
                Content-Disposition: form-data; name="file"; filename="C:\\\\eksport\\\\aktive.csv"\r
                Content-Type: application/octet-stream\r
                \r
                \(csv)\r
                --\(boundary)\r
                Content-Disposition: form-data; name="mapping"\r
                Content-Type: text/plain\r
                \r
                \(mapping)\r
                --\(boundary)--\r

                """
            try await client.execute(
                uri: "/api/v1/kommuner/samsoe/imports", method: .post,
                headers: server.bearer("a-editor").merging([.contentType: "multipart/form-data; boundary=\(boundary)"]),
                body: ByteBuffer(string: body)
            ) {
                let s = try Self.summary($0.body)
                #expect($0.status == .ok && s["observations"] as? Int == 1 && s["file"] as? String == "aktive.csv", "\(String($0.body))")
            }
            // CSV without any mapping: the error says what to send.
            try await client.execute(
                uri: "/api/v1/imports", method: .post, headers: server.bearer("ops").merging([.contentType: "application/octet-stream"]),
                body: ByteBuffer(string: csv)
            ) {
                #expect($0.status == .unprocessableContent && String($0.body).contains("mapping"), "\(String($0.body))")
            }
            // Too large, with a length and without (chunked): 413 either way, and the server goes on.
            let big = ByteBuffer(repeating: UInt8(ascii: "x"), count: 65 << 10)
            try await client.execute(
                uri: "/api/v1/imports", method: .post, headers: server.bearer("ops").merging([.contentType: "application/octet-stream"]), body: big
            ) { #expect($0.status == .contentTooLarge) }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            // Tests running beside this one keep uploads of their own: only a file holding what this test sent is its.
            let sent = [csv, mapping]
            let leftovers = try uploads().subtracting(before).filter { name in
                guard let data = FileManager.default.contents(atPath: NSTemporaryDirectory() + "/" + name) else { return false }
                let text = String(decoding: data, as: UTF8.self)
                return sent.contains(text) || text.hasPrefix("xxxx")
            }
            #expect(leftovers.isEmpty, "uploads are removed: \(leftovers)")
        }
    }
}
