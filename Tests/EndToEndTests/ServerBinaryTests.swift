import Foundation
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

    init(db: String) throws {
        process = Process()
        process.executableURL = Binary.directory.appendingPathComponent(Binary.server.rawValue)
        process.arguments = ["--port", "0", "--db", db, "--log-level", "warning", "--fetch-every", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var printed = Data()
        let deadline = Date().addingTimeInterval(20)
        while !String(decoding: printed, as: UTF8.self).contains("\n"), Date() < deadline {
            printed.append(out.fileHandleForReading.availableData)
        }
        line = String(decoding: printed, as: UTF8.self)
        guard let port = line.split(separator: ":").last.flatMap({ Int($0.prefix { $0.isNumber }) }) else {
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
