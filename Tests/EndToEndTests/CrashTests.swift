import BeskplanCore
import Foundation
import Synchronization
import PostgresStorage
import Storage
import TestSupport
import Testing

/// `beskplan import` killed with SIGKILL at random points, on SQLite and on PostgreSQL: the
/// database always equals the state before the import or the state after it, never between, and
/// still opens and migrates.
@Suite("Crash consistency", .serialized)
struct CrashTests {
    /// A synthetic feed (labelled so) of some 100,000 observations: long enough to kill mid-way.
    static let feed: String = {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"urn:beskplan:feed:1\" source=\"crash test\" synthetic=\"true\">\n"
        for area in AreaCatalog.standard.kommuner.prefix(60) {
            for group in ["kontanthjaelp", "sygedagpenge", "a_dagpenge", "fleksjob", "foertidspension", "ledighedsydelse", "revalidering"] {
                text += "  <series measure=\"ydelse.fuldtidspersoner\" area=\"\(area.code)\">\n    <dim name=\"ydelse\" value=\"\(group)\"/>\n"
                for month in 0..<240 {
                    text += "    <obs period=\"\(2006 + month / 12)M\(String(format: "%02d", month % 12 + 1))\" value=\"\(month % 97).5\"/>\n"
                }
                text += "  </series>\n"
            }
        }
        let path = Binary.temporaryPath("crash-feed.xml")
        try? (text + "</feed>\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    static let seed = Binary.repository.appendingPathComponent("Plugins/Samsoe/Demo/samsoe-2024.xml").path

    /// What a database holds that a reader sees: every series and observation (with its import),
    /// the plans and the import count. Times of day are left out: two runs differ only there.
    static func digest(_ store: any Store) async throws -> String {
        let s = try await store.snapshot()
        var lines = s.series.map { "series \($0.id) \($0.measure) \($0.area) \($0.dims)" }
        for row in s.blocks {
            guard let block = row.data.withUnsafeBytes({ ObservationBlock(bytes: $0, block: row.block) }) else {
                return "damaged block \(row.id)"
            }
            lines += block.entries.map { "\(row.series) \($0.period) \($0.value.bitPattern) \($0.importID)" }
        }
        lines += s.imports.map { "import \($0.id) \($0.observations)" }
        lines += s.plans.map { "plan \($0.info.kommune) \($0.info.version)" }
        return lines.joined(separator: "\n")
    }

    /// A store kind for the test: how to make a database holding `state`, and open it.
    struct Target {
        let make: () async throws -> String
        let open: (String) async throws -> any Store
    }

    static func sqlite() -> Target {
        Target(
            make: { Binary.temporaryPath("crash.sqlite") },
            open: { path in
                let store = try SQLiteStore(path: path)
                try await store.migrate()
                return store
            })
    }

    static func postgres() -> Target {
        Target(
            make: { try await TestPostgres.newDatabase() },
            open: { url in
                let store = try PostgresStore(url: url)
                try await store.migrate()
                return store
            })
    }

    /// Kills an import 20 times at random points and checks the database each time.
    static func killRandomly(_ target: Target) async throws {
        // The state before: the seed kommune's demo feed.
        let template = try await target.make()
        #expect(try Binary.beskplan.run(["import", seed, "--db", template]).status == 0)
        let before = try await target.open(template).snapshot()
        let beforeDigest = try await digest(target.open(template))

        // The state after, and how long a whole import takes.
        let full = try await target.make()
        try await target.open(full).restore(before)
        // Its progress lines are the points the import is killed at.
        let whole = try await Binary.beskplan.runWatchingProgress(["import", feed, "--db", full]) { _, _ in }
        let steps = whole.stderr.components(separatedBy: "\n").filter { $0.hasPrefix("progress: ") }.count
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(steps > 1, "the import reports its progress step by step: \(whole.stderr)")
        let afterDigest = try await digest(target.open(full))
        #expect(afterDigest != beforeDigest)

        var generator = SeededGenerator(for: "crash points")
        var outcomes: [String: Int] = [:]
        for _ in 0..<20 {
            let db = try await target.make()
            try await target.open(db).restore(before)
            // After any progress line, or (one step past the last) once it has finished.
            let step = Int.random(in: 1...(max(steps, 1) + 1), using: &generator)
            _ = try await Binary.beskplan.runWatchingProgress(["import", feed, "--db", db]) { count, process in
                if count == step { kill(process.processIdentifier, SIGKILL) }
            }
            let now = try await digest(target.open(db))  // also: it opens and migrates
            #expect(now == beforeDigest || now == afterDigest, "killed at step \(step) of \(steps): the database is between before and after")
            outcomes[now == beforeDigest ? "before" : now == afterDigest ? "after" : "between", default: 0] += 1
        }
        print("crash points (\(steps) progress steps): \(outcomes)")
    }

    @Test("SQLite: an import killed at 20 random points leaves the database before or after it")
    func sqliteKills() async throws {
        try await Self.killRandomly(Self.sqlite())
    }

    @Test(
        "PostgreSQL: an import killed at 20 random points leaves the database before or after it",
        .enabled(if: !TestPostgres.skipped, "BESKPLAN_SKIP_POSTGRES=1"))
    func postgresKills() async throws {
        try await Self.killRandomly(Self.postgres())
    }

    @Test(
        "PostgreSQL: the server restarted mid-import fails the import in one line, and nothing of it is written",
        .enabled(if: !TestPostgres.skipped, "BESKPLAN_SKIP_POSTGRES=1"), .timeLimit(.minutes(2)))
    func serverRestart() async throws {
        // A server of its own: the shared one serves the other tests meanwhile.
        let cluster = Binary.temporaryPath("cluster")
        let started = try Self.tool(["tools/postgres", "start", cluster])
        defer { _ = try? Self.tool(["tools/postgres", "stop", cluster]) }
        // Trust authentication accepts any password: this one must never be printed.
        let url = started.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(
            of: "postgres@", with: "postgres:s3cret-word@")
        #expect(try Binary.beskplan.run(["import", Self.seed, "--db", url]).status == 0)
        let store = try await Self.postgres().open(url)
        let before = try await Self.digest(store)

        // Restarted once the import is under way: at its first step of progress.
        let restarted = Mutex<Date?>(nil)
        let run = try await Binary.beskplan.runWatchingProgress(["import", Self.feed, "--db", url]) { count, _ in
            guard count == 1 else { return }
            restarted.withLock { $0 = Date() }
            _ = try? Self.tool(["tools/postgres", "restart", cluster])
        }
        let failedAfter = Date().timeIntervalSince(try #require(restarted.withLock { $0 }))

        #expect(run.status != 0, "the import ran to its end before the restart; the test needs a longer feed")
        let port = URLComponents(string: url)?.port ?? 0
        #expect(run.stderr.contains("cannot reach PostgreSQL at 127.0.0.1:\(port)"), "\(run.stderr)")
        #expect(!run.stderr.contains("s3cret-word") && !run.stdout.contains("s3cret-word"))
        let said = run.stderr.split(separator: "\n").filter { !$0.hasPrefix("progress: ") }
        #expect(said.count <= 2, "one line, not a trace: \(said)")
        #expect(failedAfter < 30, "the import gave up \(failedAfter) s after the restart")
        #expect(try await Self.digest(Self.postgres().open(url)) == before, "a half-written import after the restart")
    }

    /// Runs one of the repository's scripts and returns what it printed; a failure fails the test.
    /// Through `popen`: Foundation's `Process.waitUntilExit` here never returned for a script
    /// whose server it started lives on.
    static func tool(_ arguments: [String]) throws -> String {
        let command = "cd '\(Binary.repository.path)' && " + arguments.map { "'\($0)'" }.joined(separator: " ")
        guard let pipe = popen(command, "r") else { throw StoreError("cannot run \(command)") }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count == 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        guard pclose(pipe) == 0 else { throw StoreError("\(arguments.joined(separator: " ")) failed") }
        return String(decoding: output, as: UTF8.self)
    }
}
