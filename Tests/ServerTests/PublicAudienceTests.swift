import Crypto
@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Storage
import Testing

/// What an anonymous caller sees of a published kommune (issue 28, finding 1; docs/server.md,
/// "What the public sees"): the approved plan's evaluation as its members see it, except that a
/// hand assessment shows only once the year's follow-up is final — its status, note and date as
/// of that day — and never who wrote it.
@Suite("The public's view of a published kommune")
struct PublicAudienceTests {
    static let plan = "/api/v1/kommuner/samsoe/plans/2024"
    static let json: HTTPFields = [.contentType: "application/json"]

    @Test("1. The public sees a hand assessment only once the follow-up is final, and never its author")
    func publicProjection() async throws {
        var configuration = ServerConfiguration()
        configuration.publicPages = true
        let (clock, _) = AppClock.manual(try #require(Timestamp.date("2025-03-15T10:00:00Z")))
        let server = try await TestServer.make(configuration: configuration, clock: clock)
        try await server.app.test(.router) { client in
            try await client.execute(
                uri: "/api/v1/kommuner/samsoe/publication", method: .put, headers: server.bearer("a-admin").merging(Self.json),
                body: ByteBuffer(string: #"{"published": true}"#)
            ) { #expect($0.status == .ok) }
            try await assess(client, server, status: "paa_vej", note: "Første note om læringen", date: "2025-01-10")

            // Before the follow-up is final: the members read the note and its author, the public neither.
            let members = try await evaluation(client, headers: server.bearer("a-viewer"))
            let early = try await evaluation(client)
            #expect(members.milestone["explanation"] as? String == "Vurderet 2025-01-10 af a-updater: Første note om læringen — på vej.")
            #expect(early.milestone["status"] as? String == "afventer_vurdering")
            #expect(early.milestone["statusText"] as? String == "afventer vurdering")
            #expect(early.milestone["explanation"] as? String
                == "Målet vurderes af jobcentret, ikke ud fra tal; vurderingen vises, når årets opfølgning er endelig.")
            Self.expectSameElsewhere(early, members, differing: ["status", "statusText", "explanation"])
            for format in ["md", "html"] {
                let report = try await body(client, Self.plan + "/reports/followup?format=\(format)")
                #expect(!report.contains("Første note") && !report.contains("a-updater"), "\(format) before the follow-up is final")
            }

            // The follow-up as of 31 January is made final; a later note, dated after it, stays the members'.
            try await client.execute(
                uri: Self.plan + "/followup/final?asOf=2025-01-31", method: .post, headers: server.bearer("a-editor")
            ) { #expect($0.status == .created, "\(String($0.body))") }
            try await assess(client, server, status: "i_risiko", note: "Senere note", date: "2025-02-20")

            let final = try await evaluation(client)
            #expect(final.milestone["status"] as? String == "paa_vej", "the status as of the final follow-up's day")
            #expect(final.milestone["statusText"] as? String == "på vej")
            #expect(final.milestone["explanation"] as? String == "Vurderet 2025-01-10: Første note om læringen — på vej.")
            let membersNow = try await evaluation(client, headers: server.bearer("a-viewer"))
            #expect(membersNow.milestone["status"] as? String == "i_risiko")
            Self.expectSameElsewhere(final, membersNow, differing: ["status", "statusText", "explanation"])

            var seen: [String: String] = [:]
            for format in ["md", "html"] { seen["report.\(format)"] = try await body(client, Self.plan + "/reports/followup?format=\(format)") }
            seen["evaluation"] = try await body(client, Self.plan + "/evaluation")
            seen["page"] = try await body(client, "/offentlig/samsoe")
            // The follow-up's report as kept when it was made final: linked from the public page with
            // its hash, and what the API gives the public, byte for byte.
            #expect(seen["page"]?.contains("Dokumenterne, som de blev godkendt") == true
                && seen["page"]?.contains(#"href="/offentlig/samsoe/2024/opfoelgning.html""#) == true)
            let kept = try await body(client, "/offentlig/samsoe/2024/opfoelgning.html")
            #expect(kept == seen["report.html"], "the API serves the public the kept document")
            #expect(seen["page"]?.contains(ApprovedReportTestsHash.sha256(kept)) == true, "the page gives the kept document's SHA-256")
            // The plan itself: the approved version, without who saved it (its members see that).
            let plan = try await body(client, Self.plan)
            #expect(!plan.contains(#""author""#), "\(plan.prefix(300))")
            try await client.execute(uri: Self.plan, method: .get, headers: server.bearer("a-viewer")) {
                #expect(String($0.body).contains(#""author""#))
            }
            for (name, text) in seen {
                #expect(text.contains("Første note om læringen"), "\(name) shows the final follow-up's note")
                #expect(!text.contains("Senere note"), "\(name) shows no note dated after the final follow-up")
                #expect(!text.contains("a-updater") && !text.contains("a-editor") && !text.contains("a-admin"), "\(name) names no user")
            }
        }
    }

    /// One evaluation as JSON objects: the document, and target 1.1 (a milestone).
    struct Evaluation {
        let document: [String: Any]
        let targets: [[String: Any]]
        var milestone: [String: Any] { targets.first { $0["target"] as? String == "1.1" } ?? [:] }
    }

    func evaluation(_ client: some TestClientProtocol, headers: HTTPFields = [:]) async throws -> Evaluation {
        try await client.execute(uri: Self.plan + "/evaluation", method: .get, headers: headers) { response in
            #expect(response.status == .ok, "\(String(response.body))")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            return Evaluation(document: document, targets: document["targets"] as? [[String: Any]] ?? [])
        }
    }

    func body(_ client: some TestClientProtocol, _ uri: String) async throws -> String {
        try await client.execute(uri: uri, method: .get) { response in
            #expect(response.status == .ok, "\(uri): \(response.status)")
            return String(response.body)
        }
    }

    func assess(_ client: some TestClientProtocol, _ server: TestServer, status: String, note: String, date: String) async throws {
        try await client.execute(
            uri: Self.plan + "/assessments", method: .post, headers: server.bearer("a-updater").merging(Self.json),
            body: ByteBuffer(string: #"{"target": "1.1", "status": "\#(status)", "note": "\#(note)", "date": "\#(date)"}"#)
        ) { #expect($0.status == .created, "\(String($0.body))") }
    }

    /// Field by field, the public's evaluation is the members' but for `differing` of the hand-assessed
    /// targets (1.1, and 6.2 which no one has assessed): the same version, day, targets, statuses,
    /// values, benchmarks, units, explanations and figures.
    static func expectSameElsewhere(_ public: Evaluation, _ members: Evaluation, differing: Set<String>) {
        for key in ["kommune", "year", "version", "asOf"] {
            #expect("\(`public`.document[key] ?? "-")" == "\(members.document[key] ?? "-")", "\(key)")
        }
        #expect(`public`.targets.count == members.targets.count && !members.targets.isEmpty)
        for (p, m) in zip(`public`.targets, members.targets) {
            #expect(Set(p.keys) == Set(m.keys), "target \(m["target"] ?? "?") has the same fields")
            let assessedByHand = ["1.1", "6.2"].contains(m["target"] as? String ?? "")
            for key in m.keys where !(assessedByHand && differing.contains(key)) {
                #expect(
                    NSDictionary(dictionary: [key: p[key] ?? NSNull()]).isEqual(to: [key: m[key] ?? NSNull()]),
                    "target \(m["target"] ?? "?"), \(key)")
            }
        }
    }
}

/// The SHA-256 a reader computes of a document they were served.
enum ApprovedReportTestsHash {
    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
