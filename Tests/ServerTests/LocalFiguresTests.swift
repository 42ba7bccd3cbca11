@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import TestSupport
import Testing
import Storage

/// The kommune's own figures on the data page: typed in (Danish notation), saved as one audited
/// import that a later save replaces visibly, and the template offered as a download.
@Suite("The kommune's own figures, typed in")
struct LocalFiguresTests {
    static let data = "/kommuner/samsoe/2024/data"
    static let field = "v|samsoe.opkvalificeringsforloeb|2024"

    @Test("A figure typed on the data page turns target 2.1 from mangler data to a status; a second save replaces it and says so")
    func typedIn() async throws {
        let server = try await TestServer.make()
        let store = server.environment.store
        try await server.app.test(.router) { client in
            let editor = try await WebFormTests.Browser.signIn(client, "a-editor")
            try await client.execute(uri: "/kommuner/samsoe/2024/maal/2.1", method: .get, headers: editor.headers) {
                let html = String($0.body)
                #expect(html.contains("mangler data") && html.contains("Påbegyndte opkvalificeringsforløb: kommunens egne tal fra Jobcenter Samsø"), "\(html)")
                #expect(html.contains("/data#egne-tal"), "the editor is sent to the form")
            }
            try await client.execute(uri: Self.data, method: .get, headers: editor.headers) {
                let html = String($0.body)
                #expect(html.contains("name=\"\(Self.field)\"") && html.contains("leveres af Jobcenter Samsø"), "\(html)")
                #expect(html.contains("Kommunens egne tal (Jobcenter Samsø)") && !html.contains("ydelse="), "kinds in words, no key=value")
            }
            // A word is not a number: nothing saved.
            let (badHeaders, badBody) = editor.form([(Self.field, "tolv"), ("kilde", "Fagsystemet")])
            try await client.execute(uri: Self.data + "/egne-tal", method: .post, headers: badHeaders, body: badBody) {
                #expect($0.status == .unprocessableContent && String($0.body).contains("er ikke et tal"))
            }
            #expect(try await store.observations(ObservationQuery(measure: "samsoe.opkvalificeringsforloeb", areas: ["741"])).isEmpty)

            let (headers, body) = editor.form([(Self.field, "12"), ("kilde", "Fagsystemet, udtræk 5. januar")])
            try await client.execute(uri: Self.data + "/egne-tal", method: .post, headers: headers, body: body) {
                #expect($0.status == .seeOther && $0.headers[.location] == Self.data + "?gemt=1&erstattet=0#egne-tal")
            }
            let stored = try await store.observations(ObservationQuery(measure: "samsoe.opkvalificeringsforloeb", areas: ["741"]))
            #expect(stored.map(\.value) == [12] && stored.map(\.period) == [.year(2024)])
            let audit = try await store.auditLog(limit: 5, kommune: "741")
            #expect(audit.contains { $0.action == "observations.import" && $0.actor == "a-editor" }, "a save is an audited import")
            try await client.execute(uri: "/kommuner/samsoe/2024/maal/2.1", method: .get, headers: editor.headers) {
                let html = String($0.body)
                #expect(html.contains("<span class=\"badge status-opfyldt\">opfyldt</span>") && !html.contains("Hvor tallene kommer fra"),
                        "12 against at least 10: the target has its status")
            }
            // A second save replaces the first, and the page says so.
            let (again, againBody) = editor.form([(Self.field, "14,0"), ("kilde", "")])
            try await client.execute(uri: Self.data + "/egne-tal", method: .post, headers: again, body: againBody) {
                #expect($0.headers[.location] == Self.data + "?gemt=1&erstattet=1#egne-tal")
            }
            try await client.execute(uri: Self.data + "?gemt=1&erstattet=1", method: .get, headers: editor.headers) {
                let html = String($0.body)
                #expect(html.contains("Gemt: 1 tal, heraf 1 erstattet") && html.contains("value=\"14\""), "\(html)")
            }
            // A viewer reads who delivers the figure, and gets no form.
            let viewer = try await WebFormTests.Browser.signIn(client, "a-viewer")
            var workbook: String?
            try await client.execute(uri: Self.data, method: .get, headers: viewer.headers) {
                let html = String($0.body)
                #expect(html.contains("Spørg den afdeling") && !html.contains("name=\"\(Self.field)\""))
                // The series' figures to Excel, from its row.
                workbook = html.range(of: #"/api/v1/observations\?measure=samsoe\.opkvalificeringsforloeb[^"]*"#, options: .regularExpression)
                    .map { String(html[$0]).replacingOccurrences(of: "&amp;", with: "&") }
            }
            let address = try #require(workbook, "the data page links the series' workbook")
            try await client.execute(uri: address, method: .get, headers: viewer.headers) {
                #expect($0.status == .ok && $0.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("local-\(UUID().uuidString).xlsx").path
                try Data($0.body.readableBytesView).write(to: URL(fileURLWithPath: path))
                let sheet = try #require(try ReadSheet.read(path).first)
                #expect(sheet.cell("B2")?.value == .text("Samsø") && sheet.cell("C2")?.value == .text("2024"))
                #expect(sheet.cell("D2")?.value == .number(14) && sheet.cell("D2")?.format == "#,##0", "the figure typed in, as a number")
            }
            // Another kommune's users read no one's own figures, in any format; nor does anyone without naming the kommune.
            for uri in [address, address.replacingOccurrences(of: "&format=xlsx", with: ""),
                        "/api/v1/observations?measure=samsoe.opkvalificeringsforloeb"] {
                try await client.execute(uri: uri, method: .get, headers: server.bearer("b-editor")) {
                    #expect($0.status == .forbidden, "\(uri): \($0.status)")
                }
            }
            try await client.execute(uri: "/api/v1/observations?measure=samsoe.opkvalificeringsforloeb", method: .get, headers: server.bearer("a-viewer")) {
                #expect($0.status == .forbidden, "a kommune's own figures are asked for by kommune")
            }
            try await client.execute(uri: address, method: .get, headers: server.bearer("ops")) {
                #expect($0.status == .ok, "the operator reads every kommune's")
            }
            try await client.execute(uri: Self.data + "/skabelon.csv", method: .get, headers: viewer.headers) {
                #expect($0.headers[.contentType] == "text/csv; charset=utf-8")
                let text = String($0.body)
                #expect(text.hasPrefix("\u{FEFF}MAALING;NAVN;OMRÅDE;TID;INDHOLD;KILDE\r\n"))
                #expect(text.contains("samsoe.opkvalificeringsforloeb;Påbegyndte opkvalificeringsforløb;Samsø;2024;;\r\n"))
            }
        }
    }
}
