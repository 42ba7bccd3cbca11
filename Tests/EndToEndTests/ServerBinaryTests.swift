import Foundation
import GRDB
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `beskplan-server` as an operator runs it: on a free port, over the demo database, stopped by SIGTERM.
@Suite("beskplan-server")
struct ServerBinaryTests {
    @Test("Serves health, readiness and a signed-in user's plans; SIGTERM stops it cleanly", .timeLimit(.minutes(5)))
    func serveAndStop() async throws {
        let db = Binary.temporaryPath("server.sqlite")
        #expect(try Binary.beskplan.run(["import", CrashTests.seed, "--db", db]).status == 0)
        #expect(try Binary.beskplan.run(
            ["users", "add", "anna", "--kommune", "741", "--role", "viewer", "--db", db], input: "et-langt-kodeord\n").status == 0)

        let server = try RunningServer(db: db)
        defer { server.stop() }
        let process = server.process
        let base = server.base
        #expect(server.line.contains("listening on http://127.0.0.1:"))

        let (health, healthResponse) = try await URLSession.shared.data(from: base.appendingPathComponent("healthz"))
        #expect((healthResponse as? HTTPURLResponse)?.statusCode == 200 && String(decoding: health, as: UTF8.self) == "ok\n")
        let (_, ready) = try await URLSession.shared.data(from: base.appendingPathComponent("readyz"))
        #expect((ready as? HTTPURLResponse)?.statusCode == 200)

        var login = URLRequest(url: base.appendingPathComponent("api/v1/session"))
        login.httpMethod = "POST"
        login.setValue("application/json", forHTTPHeaderField: "Content-Type")
        login.httpBody = Data(#"{"username": "anna", "password": "et-langt-kodeord"}"#.utf8)
        let (_, loggedIn) = try await URLSession.shared.data(for: login)
        let cookie = try #require((loggedIn as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie"))
        var plans = URLRequest(url: base.appendingPathComponent("api/v1/kommuner/samsoe/plans"))
        plans.setValue(String(cookie.split(separator: ";")[0]), forHTTPHeaderField: "Cookie")
        let (body, listed) = try await URLSession.shared.data(for: plans)
        #expect((listed as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: body, as: UTF8.self))")

        kill(process.processIdentifier, SIGTERM)
        await Binary.exit(of: process)
        #expect(!process.isRunning, "SIGTERM stops the server")
        #expect(process.terminationStatus == 0, "a graceful stop exits 0")
    }

    @Test("A beskplan older than its database refuses to start, and to migrate, naming both schema versions", arguments: ["sqlite", "postgres"])
    func newerSchema(kind: String) async throws {
        let db = kind == "sqlite" ? Binary.temporaryPath("newer.sqlite") : try await TestPostgres.newDatabase()
        #expect(try await Binary.beskplan.runAside(["db", "migrate", "--db", db]).status == 0)
        // What a newer beskplan's `db migrate` leaves behind: a migration this one does not know.
        let future = "0099-from-a-newer-beskplan"
        if kind == "sqlite" {
            try await DatabaseQueue(path: db).write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [future]) }
        } else {
            let psql = try await Binary.shellAside("psql", [db, "-qc", "INSERT INTO beskplan_migration (id, applied_at) VALUES ('\(future)', 'now')"])
            #expect(psql.status == 0, "\(psql.stderr)")
        }
        let known = kind == "sqlite" ? "0011-approved-report" : "0007-approved-report"
        let server = try await Binary.server.runAside(["--db", db, "--port", "0", "--fetch-every", "0"], timeout: 20)
        #expect(server.status != 0, "the server does not start")
        #expect(server.stderr.contains(future) && server.stderr.contains(known), "\(server.stderr)")
        #expect(!server.stdout.contains("listening"))
        for arguments in [["db", "migrate"], ["plan", "list"]] {
            let run = try await Binary.beskplan.runAside(arguments + ["--db", db])
            #expect(run.status != 0 && run.stderr.contains(future) && run.stderr.contains(known), "\(arguments): \(run.stderr)")
        }
    }

    @Test("SIGTERM: a slow upload begun before it finishes and is answered, no new connection is taken, and the server exits 0; past --grace-seconds the rest is cut", .timeLimit(.minutes(2)))
    func drain() async throws {
        let db = Binary.temporaryPath("drain.sqlite")
        #expect(try await Binary.beskplan.runAside(["db", "migrate", "--db", db]).status == 0)
        #expect(try await Binary.beskplan.runAside(["users", "add", "ops", "--role", "operator", "--db", db], input: "et-langt-kodeord\n").status == 0)
        let token = try await Binary.beskplan.runAside(["tokens", "create", "ops", "--db", db]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let file = Binary.temporaryPath("slow.csv")
        try Data(("OMRÅDE;TID;INDHOLD\n" + String(repeating: "Samsø;2024U30;151\n", count: 80_000)).utf8).write(to: URL(fileURLWithPath: file))

        for (grace, answered) in [(30, true), (1, false)] {
            let server = try await RunningServer.launch(db: db, arguments: ["--grace-seconds", "\(grace)"])
            defer { server.stop() }
            // About 1.5 MB at 100 KB a second: some fifteen seconds on the way, so that a machine busy
            // with the rest of the suite still sees it in flight.
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            curl.arguments = [
                "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--limit-rate", "100k", "-H", "Authorization: Bearer \(token)",
                "-H", "Content-Type: application/octet-stream", "--data-binary", "@\(file)",
                server.base.absoluteString + "/api/v1/imports?filename=langsom.csv",
            ]
            let out = Pipe()
            curl.standardOutput = out
            curl.standardError = FileHandle.nullDevice
            try curl.run()
            // SIGTERM once the server is reading the upload (its POST is in flight).
            #expect(await Self.within(seconds: 12) {
                (try? await Self.request(server.base, "metrics"))?.body
                    .contains(#"beskplan_http_active_requests{http_request_method="POST"} 1"#) == true
            }, "the upload reached the server")
            let stopped = Date()
            kill(server.process.processIdentifier, SIGTERM)
            // Soon after, the process takes no new connection (it stops listening).
            #expect(await Self.within(seconds: 5) {
                var probe = URLRequest(url: server.base.appendingPathComponent("healthz"))
                probe.timeoutInterval = 1
                return (try? await URLSession.shared.data(for: probe)) == nil
            }, "no new connection once stopping")
            await Binary.exit(of: curl)
            let code = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            await Binary.exit(of: server.process)
            #expect(server.process.terminationStatus == 0, "grace \(grace): exits 0")
            if answered {
                #expect(code == "422", "the upload begun before SIGTERM is read to its end and answered (no mapping: 422), not cut: \(code)")
            } else {
                #expect(code == "000", "past the grace the upload is cut: \(code)")
                #expect(Date().timeIntervalSince(stopped) < 10, "and the server is gone soon after the grace")
            }
        }
    }

    @Test("A backup taken while the server writes brings back plans, observations, users, tokens and the audit log; the copy signs in", .timeLimit(.minutes(3)), arguments: ["sqlite", "postgres"])
    func backupAndRestore(kind: String) async throws {
        let db = kind == "sqlite" ? Binary.temporaryPath("live.sqlite") : try await TestPostgres.newDatabase()
        let plan = Binary.repository.appendingPathComponent("Plugins/Samsoe/Plans/samsoe-2024.yaml").path
        #expect(try await Binary.beskplan.runAside(["import", CrashTests.seed, "--db", db]).status == 0)
        #expect(try await Binary.beskplan.runAside(["plan", "import", plan, "--approved", "--db", db]).status == 0)
        #expect(try await Binary.beskplan.runAside(
            ["users", "add", "anna", "--kommune", "741", "--role", "admin", "--db", db], input: "et-langt-kodeord\n").status == 0)
        let token = try await Binary.beskplan.runAside(["tokens", "create", "anna", "--db", db]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let live = try await RunningServer.launch(db: db)
        defer { live.stop() }
        // A write through the server, then the backup while it runs.
        let assessed = try await Self.request(
            live.base, "api/v1/kommuner/samsoe/plans/2024/assessments", token: token, method: "POST",
            body: #"{"target": "1.1", "status": "paa_vej", "note": "Før sikkerhedskopien"}"#)
        #expect(assessed.status == 201, "\(assessed.body)")
        let copy: String
        if kind == "sqlite" {
            copy = Binary.temporaryPath("copy.sqlite")
            let backup = try await Binary.beskplan.runAside(["db", "backup", "--to", copy, "--db", db])
            #expect(backup.status == 0 && backup.stdout.contains("backed up"), "\(backup.stderr)")
            let again = try await Binary.beskplan.runAside(["db", "backup", "--to", copy, "--db", db])
            #expect(again.status != 0 && again.stderr.contains("exists already"), "a backup never overwrites a file")
        } else {
            let dump = Binary.temporaryPath("beskplan.dump")
            let dumped = try await Binary.shellAside("pg_dump", ["--format=custom", "--file", dump, db])
            #expect(dumped.status == 0, "\(dumped.stderr)")
            copy = try await TestPostgres.newDatabase()
            let restored = try await Binary.shellAside("pg_restore", ["--no-owner", "--dbname", copy, dump])
            #expect(restored.status == 0, "\(restored.stderr)")
        }
        let before = try await Self.snapshot(live.base, token: token)
        live.stop()
        await Binary.exit(of: live.process)

        // The copy, served: the same plans, figures, users and log; the password and the token work.
        let restored = try await RunningServer.launch(db: copy)
        defer { restored.stop() }
        #expect(try await Self.snapshot(restored.base, token: token) == before, "\(restored.errors.suffix(2000))")
        let signIn = try await Self.request(
            restored.base, "api/v1/session", method: "POST", body: #"{"username": "anna", "password": "et-langt-kodeord"}"#)
        #expect(signIn.status == 201, "\(signIn.body)")
        for arguments in [["plan", "list"], ["users", "list"], ["observations", "--measure", "samsoe.aktive_sager"]] {
            #expect(try await Binary.beskplan.runAside(arguments + ["--db", copy]).stdout == Binary.beskplan.run(arguments + ["--db", db]).stdout, "\(arguments)")
        }
    }

    /// What a copy must bring back, read through the API: the plan, its evaluation, the users and the audit log.
    static func snapshot(_ base: URL, token: String) async throws -> [String] {
        var seen: [String] = []
        for path in [
            "api/v1/kommuner/samsoe/plans/2024", "api/v1/kommuner/samsoe/plans/2024/evaluation?asOf=2025-03-01",
            "api/v1/kommuner/samsoe/plans/2024/assessments", "api/v1/kommuner/samsoe/users", "api/v1/kommuner/samsoe/audit?limit=1000",
        ] {
            let answer = try await request(base, path, token: token)
            #expect(answer.status == 200, "\(path): \(answer.body)")
            seen.append(answer.body)
        }
        return seen
    }

    /// Whether `condition` holds before `seconds` have passed, asked again and again (each ask is a
    /// request to a local server: it paces itself).
    static func within(seconds: TimeInterval, _ condition: () async -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await condition() { return true }
            await Task.yield()
        }
        return await condition()
    }

    static func request(
        _ base: URL, _ path: String, token: String? = nil, method: String = "GET", body: String? = nil
    ) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: base.absoluteString + "/" + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("/metrics answers a scraper on the server's machine, not one forwarded by a proxy; /readyz names the schema and says when it is behind")
    func metricsAndReadiness() async throws {
        let db = Binary.temporaryPath("metrics.sqlite")
        #expect(try await Binary.beskplan.runAside(["db", "migrate", "--db", db]).status == 0)
        let server = try await RunningServer.launch(db: db)
        defer { server.stop() }
        #expect(try await Self.request(server.base, "healthz").status == 200)
        let loopback = try await Self.request(server.base, "metrics")
        #expect(loopback.status == 200 && loopback.body.contains(#"beskplan_http_requests_total{http_route="/healthz""#), "\(loopback.body.prefix(300))")
        var forwarded = URLRequest(url: server.base.appendingPathComponent("metrics"))
        forwarded.setValue("203.0.113.9", forHTTPHeaderField: "X-Forwarded-For")
        let (_, refused) = try await URLSession.shared.data(for: forwarded)
        #expect((refused as? HTTPURLResponse)?.statusCode == 403, "through a proxy, loopback is not enough")

        let ready = try await Self.request(server.base, "readyz")
        #expect(ready.status == 200 && ready.body.contains("0011-approved-report"), "\(ready.body)")
        // A migration taken away (as an older database would be): not ready, and what to do.
        try await DatabaseQueue(path: db).write { try $0.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '0011-approved-report'") }
        let behind = try await Self.request(server.base, "readyz")
        #expect(behind.status == 503 && behind.body.contains("beskplan db migrate"), "\(behind.body)")
    }

    @Test("A 96 MB upload streams to disk: the server's peak memory grows by far less than the file; a file that cannot be read is a 422 naming it")
    func uploadStreams() async throws {
        let db = Binary.temporaryPath("upload.sqlite")
        #expect(try Binary.beskplan.run(["db", "migrate", "--db", db]).status == 0)
        #expect(try Binary.beskplan.run(["users", "add", "ops", "--role", "operator", "--db", db], input: "et-langt-kodeord\n").status == 0)
        let token = try Binary.beskplan.run(["tokens", "create", "ops", "--db", db]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try RunningServer(db: db)
        defer { server.stop() }
        let before = try #require(server.peakMemory())

        // 96 MB of CSV sent without its mapping: refused at line 1, read only once the whole upload is on disk.
        let path = Binary.temporaryPath("big.csv")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try file.write(contentsOf: Data("OMRÅDE;TID;INDHOLD\n".utf8))
        let rows = Data(String(repeating: "Samsø;2024U30;151\n", count: 1 << 16).utf8)
        for _ in 0..<(96 << 20) / rows.count { try file.write(contentsOf: rows) }
        try file.close()
        defer { try? FileManager.default.removeItem(atPath: path) }

        var upload = URLRequest(url: server.base.appendingPathComponent("api/v1/imports"))
        upload.httpMethod = "POST"
        upload.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        upload.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        upload.timeoutInterval = 300
        let url = upload.url!.absoluteString + "?filename=stor.csv"
        upload.url = URL(string: url)
        let (body, response) = try await URLSession.shared.upload(for: upload, fromFile: URL(fileURLWithPath: path))
        let text = String(decoding: body, as: UTF8.self)
        #expect((response as? HTTPURLResponse)?.statusCode == 422, "\(text)")
        #expect(text.contains("stor.csv, linje 1") && text.contains("mapping") && !text.contains("/tmp"), "\(text)")
        let after = try #require(server.peakMemory())
        #expect(after - before < 32 << 20, "peak memory grew by \((after - before) >> 20) MB for a 96 MB upload")
        #expect(try Binary.beskplan.run(["observations", "--measure", "ydelse.fuldtidspersoner", "--db", db]).stdout.contains("No observations"))
    }

    @Test("A database that cannot be opened is one line and a non-zero exit, before anything listens")
    func badDatabase() throws {
        let run = try Binary.server.run(["--port", "0", "--db", "postgres://u:hemmelig@127.0.0.1:1/x?connect_timeout=2"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("cannot reach PostgreSQL at 127.0.0.1:1/x"), "\(run.stderr)")
        #expect(!run.stderr.contains("hemmelig") && !run.stdout.contains("hemmelig"))
    }
}

/// `beskplan-server` on a free port over a database, for a test.
struct RunningServer {
    let process: Process
    let base: URL
    /// What it printed first: `listening on http://127.0.0.1:PORT (database …)`.
    let line: String
    /// Where its standard error goes (`errors` reads it).
    let errorLog: String

    /// What it wrote on standard error so far.
    var errors: String { (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? "" }

    /// Starts the server on a thread of its own: waiting for its first line must not hold one of
    /// the few cooperative threads that other tests' connections need meanwhile.
    static func launch(db: String, arguments: [String] = []) async throws -> RunningServer {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try RunningServer(db: db, arguments: arguments) }) }
        }
    }

    init(db: String, arguments: [String] = []) throws {
        process = Process()
        process.executableURL = Binary.directory.appendingPathComponent(Binary.server.rawValue)
        process.arguments = ["--port", "0", "--db", db, "--log-level", "warning", "--fetch-every", "0"] + arguments
        let out = Pipe()
        process.standardOutput = out
        errorLog = Binary.temporaryPath("server.err")
        _ = FileManager.default.createFile(atPath: errorLog, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorLog))
        try process.run()
        var printed = Data()
        let deadline = Date().addingTimeInterval(20)
        while !String(decoding: printed, as: UTF8.self).contains("\n"), Date() < deadline {
            printed.append(out.fileHandleForReading.availableData)
        }
        line = String(decoding: printed, as: UTF8.self)
        // `listening on http://127.0.0.1:PORT (database …)`: the database's address may name a port too.
        let printedLine = line
        let after = printedLine.range(of: "http://127.0.0.1:").map { printedLine[$0.upperBound...] }
        guard let port = after.flatMap({ Int($0.prefix { $0.isNumber }) }) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "no port in '\(line)'"])
        }
        base = URL(string: "http://127.0.0.1:\(port)")!
    }

    /// The process's peak resident memory (VmHWM), in bytes.
    func peakMemory() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kB = Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "")
        else { return nil }
        return kB * 1024
    }

    func stop() { if process.isRunning { process.terminate() } }
}
