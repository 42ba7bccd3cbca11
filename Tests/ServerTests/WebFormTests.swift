@testable import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PlanFormat
import PostgresStorage
@testable import Server
import Testing
import Storage

/// The pages that write beyond a note: a kommune's file uploaded, previewed and imported; the
/// plan's common fields in a form; API tokens on the admin page. Signed in as a browser is, by
/// cookie, with the session's CSRF token in each form.
@Suite("Pages that write")
struct WebFormTests {
    /// A signed-in browser: its cookie and the CSRF token its forms carry.
    struct Browser {
        let cookie: String
        let csrf: String
        var headers: HTTPFields { [.cookie: cookie] }
        var csrfQuery: String { "csrf=" + (csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }

        static func signIn(_ client: some TestClientProtocol, _ username: String) async throws -> Browser {
            let (cookie, csrf, _) = try await SessionTests.login(client, username)
            return Browser(cookie: String(try #require(cookie).split(separator: ";")[0]), csrf: try #require(csrf))
        }

        /// An urlencoded form with the CSRF token.
        func form(_ fields: [(String, String)]) -> (HTTPFields, ByteBuffer) {
            let body: String = (fields + [("csrf", csrf)]).map { (name: String, value: String) -> String in
                let allowed = CharacterSet.alphanumerics
                return "\(name.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
            }.joined(separator: "&")
            return (headers.merging([.contentType: "application/x-www-form-urlencoded"]), ByteBuffer(string: body))
        }
    }

    /// A `multipart/form-data` body as a browser sends it.
    static func multipart(_ parts: [(name: String, filename: String?, content: String)]) -> (HTTPFields, ByteBuffer) {
        let boundary = "----beskplanTestBoundary7MA4YWxk"
        var body = ""
        for part in parts {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { body += "; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream" }
            body += "\r\n\r\n\(part.content)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(string: body))
    }

    static let data = "/kommuner/samsoe/2024/data"

    @Test("An editor uploads a file, sees what it holds and what an import would write, and imports it; nothing is written before",
          arguments: TestServer.kinds)
    func upload(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        let query = ObservationQuery(measure: "samsoe.aktive_sager", areas: [TestServer.kommuneA])
        let before = try await server.environment.store.observations(query).count
        try await server.app.test(.router) { client in
            let editor = try await Browser.signIn(client, "a-editor")
            // The data page offers the form with the token in its address.
            try await client.execute(uri: Self.data, method: .get, headers: editor.headers) {
                #expect(String($0.body).contains("enctype=\"multipart/form-data\"") && String($0.body).contains(editor.csrfQuery))
            }
            let (type, body) = Self.multipart([("mapping", nil, ""), ("file", "egne-tal.xml", DataTests.feed()), ("mappingFile", "", "")])
            // Without the token the upload is refused before a byte is kept.
            try await client.execute(uri: Self.data + "/upload", method: .post, headers: editor.headers.merging(type), body: body) {
                #expect($0.status == .forbidden)
            }
            let preview = try await client.execute(
                uri: Self.data + "/upload?" + editor.csrfQuery, method: .post, headers: editor.headers.merging(type), body: body
            ) { response in
                #expect(response.status == .seeOther)
                return try #require(response.headers[.location])
            }
            #expect(preview.hasPrefix(Self.data + "/upload/"))
            try await client.execute(uri: preview, method: .get, headers: editor.headers) {
                let page = String($0.body)
                #expect($0.status == .ok)
                #expect(page.contains("egne-tal.xml") && page.contains("beskplan-feed"), "the preview names the file and its kind")
                #expect(page.contains("En import vil gemme 1 talrække med 2 tal"), "\(page)")
                #expect(page.contains("value=\"import\""))
            }
            #expect(try await server.environment.store.observations(query).count == before, "a preview writes nothing")

            // Another user of the kommune cannot see or import someone else's upload.
            let admin = try await Browser.signIn(client, "a-admin")
            try await client.execute(uri: preview, method: .get, headers: admin.headers) {
                #expect($0.status == .notFound && String($0.body).contains("Filen er her ikke længere"))
            }

            // A double click on Importér: two requests at once import the file once.
            let (importType, importBody) = Self.multipart([("mapping", nil, ""), ("action", nil, "import")])
            let click = { @Sendable () async throws -> String? in
                try await client.execute(
                    uri: preview + "?" + editor.csrfQuery, method: .post, headers: editor.headers.merging(importType), body: importBody
                ) { $0.status == .seeOther ? $0.headers[.location] : nil }
            }
            async let first = click()
            async let second = click()
            #expect(try await [first, second] == [preview, preview])
            try await client.execute(uri: preview, method: .get, headers: editor.headers) {
                #expect(String($0.body).contains("Importeret (import nr."), "\(String($0.body))")
            }
        }
        let after = try await server.environment.store.observations(query)
        #expect(after.contains { $0.period.description == "2024U20" && $0.value == 147 })
        let audit = try await server.environment.store.auditLog(limit: 20, kommune: TestServer.kommuneA)
        #expect(audit.filter { $0.action == "observations.import" && $0.actor == "a-editor" }.count == 1, "\(audit.map(\.action))")
    }

    @Test("Two processes on one database and one upload folder: uploaded on one, previewed and imported (once) through either",
          .enabled(if: TestServer.kinds.contains(.postgres)))
    func uploadAcrossProcesses() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-shared-uploads-\(UUID().uuidString)")
        var configuration = ServerConfiguration()
        configuration.uploadDirectory = folder
        let first = try await TestServer.make(.postgres, configuration: configuration)
        guard case .postgres(let url) = first.environment.database else { Issue.record("not PostgreSQL"); return }
        // The second process shares nothing with the first but the database and the folder.
        let second = try buildApplication(
            configuration: configuration, environment: try AppEnvironment(store: try PostgresStore(url: url), database: .postgres(url)))
        let query = ObservationQuery(measure: "samsoe.aktive_sager", areas: [TestServer.kommuneA])
        let before = try await first.environment.store.observations(query).count

        let (editor, preview) = try await first.app.test(.router) { client in
            let editor = try await Browser.signIn(client, "a-editor")
            let (type, body) = Self.multipart([("mapping", nil, ""), ("file", "egne-tal.xml", DataTests.feed())])
            let preview = try await client.execute(
                uri: Self.data + "/upload?" + editor.csrfQuery, method: .post, headers: editor.headers.merging(type), body: body
            ) { try #require($0.headers[.location]) }
            return (editor, preview)
        }
        try await second.test(.router) { client in
            try await client.execute(uri: preview, method: .get, headers: editor.headers) {
                let page = String($0.body)
                #expect($0.status == .ok, "the other process finds the upload")
                #expect(page.contains("egne-tal.xml") && page.contains("En import vil gemme 1 talrække med 2 tal"), "\(page)")
            }
        }
        // Importér clicked twice at once, each click reaching another process: one import.
        let (importType, importBody) = Self.multipart([("mapping", nil, ""), ("action", nil, "import")])
        let click = { @Sendable (app: any ApplicationProtocol) async throws -> HTTPResponse.Status in
            try await app.test(.router) { client in
                try await client.execute(
                    uri: preview + "?" + editor.csrfQuery, method: .post, headers: editor.headers.merging(importType), body: importBody
                ) { $0.status }
            }
        }
        async let one = click(first.app)
        async let other = click(second)
        #expect(try await [one, other] == [.seeOther, .seeOther])
        try await first.app.test(.router) { client in
            try await client.execute(uri: preview, method: .get, headers: editor.headers) {
                #expect(String($0.body).contains("Importeret (import nr."), "\(String($0.body))")
            }
        }
        #expect(try await first.environment.store.observations(query).count == before + 2)
        let audit = try await first.environment.store.auditLog(limit: 20, kommune: TestServer.kommuneA)
        #expect(audit.filter { $0.action == "observations.import" && $0.actor == "a-editor" }.count == 1, "\(audit.map(\.action))")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(String(preview.split(separator: "/").last!)).appendingPathComponent("upload").path),
                "the file goes once imported")
    }

    @Test("An import's mark left by a process of this machine that has ended is cleared; a living one's holds")
    func staleImportMark() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-marks-\(UUID().uuidString)")
        var configuration = ServerConfiguration()
        configuration.uploadDirectory = folder
        let server = try await TestServer.make(configuration: configuration)
        var name = [CChar](repeating: 0, count: 256)
        #expect(gethostname(&name, name.count) == 0)
        let machine = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // A process that has ended: its pid names no one now.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        try await server.app.test(.router) { client in
            let editor = try await Browser.signIn(client, "a-editor")
            let (type, body) = Self.multipart([("mapping", nil, ""), ("file", "egne-tal.xml", DataTests.feed())])
            let preview = try await client.execute(
                uri: Self.data + "/upload?" + editor.csrfQuery, method: .post, headers: editor.headers.merging(type), body: body
            ) { try #require($0.headers[.location]) }
            let mark = folder.appendingPathComponent(String(preview.split(separator: "/").last!)).appendingPathComponent("importing")
            let (importType, importBody) = Self.multipart([("mapping", nil, ""), ("action", nil, "import")])

            // A living process (this one) imports it: the page says so, and a click imports nothing.
            try Data("\(machine) \(getpid())".utf8).write(to: mark)
            try await client.execute(uri: preview, method: .get, headers: editor.headers) {
                #expect(String($0.body).contains("Filen importeres nu"))
            }
            try await client.execute(
                uri: preview + "?" + editor.csrfQuery, method: .post, headers: editor.headers.merging(importType), body: importBody
            ) { #expect($0.status == .seeOther) }
            #expect(FileManager.default.fileExists(atPath: mark.path), "the living mark stays")

            // Its process ended: the mark goes, and the import runs.
            try Data("\(machine) \(ended.processIdentifier)".utf8).write(to: mark)
            try await client.execute(
                uri: preview + "?" + editor.csrfQuery, method: .post, headers: editor.headers.merging(importType), body: importBody
            ) { #expect($0.status == .seeOther) }
            try await client.execute(uri: preview, method: .get, headers: editor.headers) {
                #expect(String($0.body).contains("Importeret (import nr."), "\(String($0.body))")
            }
        }
    }

    @Test("An upload with another kommune's figures is refused whole, with the reason, and cannot be imported")
    func foreignFigures() async throws {
        let server = try await TestServer.make()
        let morsoe = ObservationQuery(measure: "samsoe.aktive_sager", areas: [TestServer.kommuneB])
        try await server.app.test(.router) { client in
            let editor = try await Browser.signIn(client, "a-editor")
            let (type, body) = Self.multipart([("file", "blandet.xml", DataTests.feed(alsoMorsoe: true))])
            let preview = try await client.execute(
                uri: Self.data + "/upload?" + editor.csrfQuery, method: .post, headers: editor.headers.merging(type), body: body
            ) { try #require($0.headers[.location]) }
            try await client.execute(uri: preview, method: .get, headers: editor.headers) {
                let page = String($0.body)
                #expect(page.contains("Filen kan ikke importeres; intet er gemt") && page.contains("Morsø"), "\(page)")
                #expect(!page.contains("value=\"import\""), "no import is offered")
            }
            // Forced anyway, the import still refuses it.
            let (importType, importBody) = Self.multipart([("action", nil, "import")])
            try await client.execute(
                uri: preview + "?" + editor.csrfQuery, method: .post, headers: editor.headers.merging(importType), body: importBody
            ) { #expect($0.status == .seeOther) }
            // A form without a chosen file says so.
            let (emptyType, emptyBody) = Self.multipart([("file", "", "")])
            try await client.execute(
                uri: Self.data + "/upload?" + editor.csrfQuery, method: .post, headers: editor.headers.merging(emptyType), body: emptyBody
            ) {
                #expect($0.status == .badRequest && String($0.body).contains("Vælg den fil"))
            }
        }
        #expect(try await server.environment.store.observations(morsoe).isEmpty)
    }

    @Test("A CSV upload is previewed column by column and needs a mapping, chosen by name, before it can be imported")
    func csvNeedsMapping() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            let editor = try await Browser.signIn(client, "a-editor")
            let csv = "OMRÅDE;TID;INDHOLD\nSamsø;2024M01;12\nSamsø;2024M02;14\n"
            let (type, body) = Self.multipart([("file", "tal.csv", csv)])
            let preview = try await client.execute(
                uri: Self.data + "/upload?" + editor.csrfQuery, method: .post, headers: editor.headers.merging(type), body: body
            ) { try #require($0.headers[.location]) }
            try await client.execute(uri: preview, method: .get, headers: editor.headers) {
                let page = String($0.body)
                #expect(page.contains("OMRÅDE") && page.contains("Samsø (2)") && page.contains("Rækker"), "\(page)")
                #expect(page.contains("skal have en mapping") && !page.contains("value=\"import\""))
            }
            // A mapping that does not fit this file: the reason is shown, nothing is offered.
            let (mappingType, mappingBody) = Self.multipart([("mapping", nil, "dst-auk01"), ("action", nil, "preview")])
            try await client.execute(
                uri: preview + "?" + editor.csrfQuery, method: .post, headers: editor.headers.merging(mappingType), body: mappingBody
            ) { #expect($0.status == .seeOther) }
            try await client.execute(uri: preview, method: .get, headers: editor.headers) {
                let page = String($0.body)
                #expect(page.contains("mapping: dst-auk01") && page.contains("Filen kan ikke importeres"), "\(page)")
            }
        }
    }

    @Test("The plan's fields in a form: a new title and a target's value in Danish notation make a new version; a wrong number is shown",
          arguments: TestServer.kinds)
    func planFields(kind: TestServer.Kind) async throws {
        let server = try await TestServer.make(kind)
        let store = server.environment.store
        try await server.app.test(.router) { client in
            try await client.execute(uri: PlanEditingTests.draft + "/carry-forward", method: .post, headers: server.bearer("a-editor")) {
                #expect($0.status == .created)
            }
            let editor = try await Browser.signIn(client, "a-editor")
            let page = "/kommuner/samsoe/2025/plan/felter"
            let plan = try #require(try await store.currentPlan(kommune: TestServer.kommuneA, year: 2025)).plan
            let target = try #require(plan.targets.first { $0.rule.editableNumber?.value != nil })
            let goal = try #require(plan.goals.first)
            try await client.execute(uri: page, method: .get, headers: editor.headers) {
                let html = String($0.body)
                #expect($0.status == .ok && html.contains("name=\"target:\(target.id):value\"") && html.contains(goal.title))
            }
            let (headers, body) = editor.form([
                ("version", "1"), ("goal:\(goal.id):title", "Et nyt navn til målet"), ("target:\(target.id):value", "45,5"),
            ])
            try await client.execute(uri: page, method: .post, headers: headers, body: body) {
                #expect($0.status == .seeOther && $0.headers[.location] == "/kommuner/samsoe/2025/plan?gemt=2", "\(String($0.body))")
            }
            let saved = try #require(try await store.currentPlan(kommune: TestServer.kommuneA, year: 2025))
            #expect(saved.info.version == 2 && saved.info.author == "a-editor")
            #expect(saved.plan.goals.first?.title == "Et nyt navn til målet")
            #expect(saved.plan.targets.first { $0.id == target.id }?.rule.editableNumber?.value == 45.5)

            let (badHeaders, badBody) = editor.form([("version", "2"), ("target:\(target.id):value", "mange")])
            try await client.execute(uri: page, method: .post, headers: badHeaders, body: badBody) {
                let html = String($0.body)
                #expect($0.status == .unprocessableContent && html.contains("mål \(target.id): &#39;mange&#39; er ikke et tal"), "\(html)")
                #expect(html.contains("value=\"mange\""), "what was typed is kept")
            }
            // A form from an older version is refused rather than saved over the newer.
            let (staleHeaders, staleBody) = editor.form([("version", "1"), ("goal:\(goal.id):title", "Forældet")])
            try await client.execute(uri: page, method: .post, headers: staleHeaders, body: staleBody) {
                #expect($0.status == .preconditionFailed && String($0.body).contains("Planen er ændret imens"))
            }
            #expect(try await store.currentPlan(kommune: TestServer.kommuneA, year: 2025)?.info.version == 2)
        }
    }

    @Test("The editor's check while typing: the errors a save would give, at their lines, and nothing saved")
    func checkWhileTyping() async throws {
        let server = try await TestServer.make()
        try await server.app.test(.router) { client in
            let editor = try await Browser.signIn(client, "a-editor")
            let yaml = try await PlanEditingTests.yaml(client, server)
            let check = "/kommuner/samsoe/2024/plan/kontrol"
            func errors(_ text: String) async throws -> [[String: Any]] {
                let (headers, body) = editor.form([("yaml", text)])
                return try await client.execute(uri: check, method: .post, headers: headers, body: body) {
                    #expect($0.status == .ok)
                    let json = try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [String: Any]
                    return try #require(json?["errors"] as? [[String: Any]])
                }
            }
            #expect(try await errors(yaml).isEmpty)
            let line = yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("measure:") }.map { $0 + 1 }
            let broken = try await errors(yaml.replacingOccurrences(of: "measure: samsoe.", with: "measure: samsoe.findes_ikke_"))
            #expect(!broken.isEmpty && broken.first?["line"] as? Int == line, "\(broken)")
            // Like every form, it needs the session's token.
            try await client.execute(
                uri: check, method: .post, headers: editor.headers.merging([.contentType: "application/x-www-form-urlencoded"]),
                body: ByteBuffer(string: "yaml=x")
            ) { #expect($0.status == .forbidden) }
        }
        #expect(try await server.environment.store.planVersions(kommune: TestServer.kommuneA, year: 2024).count == 1)
    }

    @Test("An admin makes a token, sees it once, and revokes a token of a user of the kommune — not another kommune's")
    func tokens() async throws {
        let server = try await TestServer.make()
        let store = server.environment.store
        try await server.app.test(.router) { client in
            let admin = try await Browser.signIn(client, "a-admin")
            let (headers, body) = admin.form([("label", "rapport-script")])
            let token = try await client.execute(uri: "/kommuner/samsoe/admin/tokens", method: .post, headers: headers, body: body) {
                let html = String($0.body)
                #expect($0.status == .ok && $0.headers[.cacheControl] == "no-store")
                return try #require(html.firstRange(of: #/bp_[A-Za-z0-9+/=_-]+/#).map { String(html[$0]) })
            }
            #expect(try await store.tokens(accountID: try #require(try await store.account(username: "a-admin")).id)
                .contains { $0.label == "rapport-script" })
            try await client.execute(uri: "/api/v1/session", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                #expect($0.status == .ok, "the token shown works")
            }
            try await client.execute(uri: "/kommuner/samsoe/admin", method: .get, headers: admin.headers) {
                let html = String($0.body)
                #expect(html.contains("rapport-script") && !html.contains(token), "listed, never shown again")
            }
            let viewer = try #require(try await store.account(username: "a-viewer"))
            let viewerToken = try #require(try await store.tokens(accountID: viewer.id).first)
            let (h1, b1) = admin.form([])
            try await client.execute(uri: "/kommuner/samsoe/admin/tokens/\(viewerToken.id)/spaer", method: .post, headers: h1, body: b1) {
                #expect($0.status == .ok && String($0.body).contains("a-viewers token er spærret"))
            }
            #expect(try await store.tokens(accountID: viewer.id).first { $0.id == viewerToken.id }?.revoked == true)
            let other = try #require(try await store.account(username: "b-editor"))
            let otherToken = try #require(try await store.tokens(accountID: other.id).first)
            let (h2, b2) = admin.form([])
            try await client.execute(uri: "/kommuner/samsoe/admin/tokens/\(otherToken.id)/spaer", method: .post, headers: h2, body: b2) {
                #expect($0.status == .notFound)
            }
            #expect(try await store.tokens(accountID: other.id).first { $0.id == otherToken.id }?.revoked == false)
        }
    }
}
