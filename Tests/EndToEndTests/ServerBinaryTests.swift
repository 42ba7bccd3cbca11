import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `beskplan-server` as an operator runs it: on a free port, over the demo database, stopped by SIGTERM.
@Suite("beskplan-server")
struct ServerBinaryTests {
    @Test("Serves health, readiness and a signed-in user's plans; SIGTERM stops it cleanly")
    func serveAndStop() async throws {
        let db = Binary.temporaryPath("server.sqlite")
        #expect(try Binary.beskplan.run(["import", CrashTests.seed, "--db", db]).status == 0)
        #expect(try Binary.beskplan.run(
            ["users", "add", "anna", "--kommune", "741", "--role", "viewer", "--db", db], input: "et-langt-kodeord\n").status == 0)

        let process = Process()
        process.executableURL = Binary.directory.appendingPathComponent(Binary.server.rawValue)
        process.arguments = ["--port", "0", "--db", db, "--log-level", "warning"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // It prints the port it listens on.
        var printed = Data()
        let deadline = Date().addingTimeInterval(20)
        while !String(decoding: printed, as: UTF8.self).contains("\n"), Date() < deadline {
            printed.append(out.fileHandleForReading.availableData)
        }
        let line = String(decoding: printed, as: UTF8.self)
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }, "\(line)")
        #expect(line.contains("listening on http://127.0.0.1:\(port)"))
        let base = URL(string: "http://127.0.0.1:\(port)")!

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
        let stopped = Date().addingTimeInterval(15)
        while process.isRunning, Date() < stopped { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "SIGTERM stops the server")
        #expect(process.terminationStatus == 0, "a graceful stop exits 0")
    }

    @Test("A database that cannot be opened is one line and a non-zero exit, before anything listens")
    func badDatabase() throws {
        let run = try Binary.server.run(["--port", "0", "--db", "postgres://u:hemmelig@127.0.0.1:1/x?connect_timeout=2"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("cannot reach PostgreSQL at 127.0.0.1:1/x"), "\(run.stderr)")
        #expect(!run.stderr.contains("hemmelig") && !run.stdout.contains("hemmelig"))
    }
}
