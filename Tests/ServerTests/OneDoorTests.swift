@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Storage
import Testing

/// One operation, one way, whatever the door: the page and the API go through the same service.
@Suite("One door")
struct OneDoorTests {
    @Test("A page and the API record the same assessment the same way: trimmed, dated today in Denmark, refused alike")
    func sameAssessment() async throws {
        // 23:30 UTC on 6 December is 00:30 on 7 December in Denmark: the note is dated the 7th.
        let (clock, _) = AppClock.manual(try #require(Timestamp.date("2026-12-06T23:30:00Z")))
        let server = try await TestServer.make(clock: clock)
        let target = "/kommuner/samsoe/2024/maal/1.1"
        try await server.app.test(.router) { client in
            // Through the API, as a script sends it.
            let api: [String: Any] = try await client.execute(
                uri: "/api/v1/kommuner/samsoe/plans/2024/assessments", method: .post,
                headers: server.bearer("a-updater").merging([.contentType: "application/json"]),
                body: ByteBuffer(string: #"{"target": "1.1", "status": "paa_vej", "note": "  Tre samtaler holdt i uge 49\n"}"#)
            ) {
                #expect($0.status == .created, "\(String($0.body))")
                return try #require(try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [String: Any])
            }
            #expect(api["date"] as? String == "2026-12-07" && api["note"] as? String == "Tre samtaler holdt i uge 49")

            // Through the target page's form, as a browser sends it.
            let browser = try await WebFormTests.Browser.signIn(client, "a-updater")
            let (headers, body) = browser.form([("status", "paa_vej"), ("note", "  Tre samtaler holdt i uge 49\n")])
            try await client.execute(uri: target + "/noter", method: .post, headers: headers, body: body) {
                #expect($0.status == .seeOther, "\(String($0.body))")
            }

            // The same assessment, twice: the two doors wrote the same thing.
            let history = try await AssessmentService(server.environment).history(
                try server.environment.scope("samsoe"), year: 2024, target: "1.1")
            #expect(history.count == 2)
            let expected = Assessment(
                kommune: TestServer.kommuneA, year: 2024, target: "1.1", status: .paaVej, note: "Tre samtaler holdt i uge 49",
                date: "2026-12-07", author: "a-updater")
            #expect(history.allSatisfy { $0 == expected }, "\(history)")

            // And a note that is only blanks is refused at both, with the same words.
            let refusal: String = try await client.execute(
                uri: "/api/v1/kommuner/samsoe/plans/2024/assessments", method: .post,
                headers: server.bearer("a-updater").merging([.contentType: "application/json"]),
                body: ByteBuffer(string: #"{"target": "1.1", "status": "opfyldt", "note": "   "}"#)
            ) {
                #expect($0.status == .unprocessableContent)
                let problem = try #require(try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [String: Any])
                #expect(problem["type"] as? String == "urn:beskplan:problem:note-required")
                return try #require(problem["detail"] as? String)
            }
            let (blankHeaders, blankBody) = browser.form([("status", "opfyldt"), ("note", "   ")])
            try await client.execute(uri: target + "/noter", method: .post, headers: blankHeaders, body: blankBody) {
                #expect($0.status == .unprocessableContent)
                #expect(String($0.body).contains(refusal), "the page shows the API's words: \(refusal)")
            }
            #expect(try await AssessmentService(server.environment).history(
                try server.environment.scope("samsoe"), year: 2024, target: "1.1").count == 2, "nothing more was recorded")
        }
    }
}
