import Foundation
import Testing

/// Runs the built executables as a user does.
@Suite("Executables")
struct BinaryTests {
    @Test("beskplan kommuner lists the 98 kommuner with their region")
    func kommuner() throws {
        let run = try Binary.beskplan.run(["kommuner", "--format", "json"])
        #expect(run.status == 0)
        let rows = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: String]]
        #expect(rows?.count == 98)
        #expect(rows?.allSatisfy { $0["region_name"]?.hasPrefix("Region ") == true } == true)
        #expect(rows?.first { $0["code"] == "741" }?["region_name"] == "Region Midtjylland")

        let table = try Binary.beskplan.run(["kommuner"])
        #expect(table.stdout.contains("Vesthimmerland"))
        #expect(table.stdout.split(separator: "\n").count == 100)  // header, rule, 98 kommuner
    }

    @Test("A beskplan copied away from the resources folders beside it finds them where the build put them")
    func resourcesFromElsewhere() throws {
        let copy = Binary.temporaryPath("beskplan")
        try FileManager.default.copyItem(atPath: Binary.directory.appendingPathComponent("beskplan").path, toPath: copy)
        let out = Binary.temporaryPath("demo")
        // The demo reads every module's resources: catalogs, plans and feeds, explanations, the reports' texts.
        let run = try Binary.shell(copy, ["demo", "--out", out, "--as-of", "2026-12-07"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try String(contentsOfFile: out + "/samsoe-2024-followup.md", encoding: .utf8)
        #expect(report.contains("Samsø"))
    }

    @Test("beskplan plugins lists the five seed kommuner")
    func plugins() throws {
        let run = try Binary.beskplan.run(["plugins", "--format", "csv"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 6)
        for name in ["Morsø", "Jammerbugt", "Norddjurs", "Samsø", "Vesthimmerland"] {
            #expect(run.stdout.contains(name))
        }
    }

    @Test("observations on a new database prints an empty result, not an error")
    func emptyObservations() throws {
        let db = Binary.temporaryPath("empty.sqlite")
        let run = try Binary.beskplan.run(["observations", "--measure", "ydelse.fuldtidspersoner", "--area", "820", "--db", db])
        #expect(run.status == 0)
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "No observations.")
        #expect(run.stderr.isEmpty)
        let json = try Binary.beskplan.run(["observations", "--measure", "ydelse.fuldtidspersoner", "--format", "json", "--db", db])
        #expect(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Any] != nil)
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Any])?.isEmpty == true)
    }

    @Test("An unknown measure or area is a one-line error with a suggestion", arguments: [
        (["--measure", "ydelse.fuldtidspersonr"], "did you mean 'ydelse.fuldtidspersoner'?"),
        (["--measure", "ydelse.fuldtidspersoner", "--area", "Vesthimerland"], "did you mean 'Vesthimmerland'?"),
        (["--measure", "ydelse.fuldtidspersoner", "--dim", "ydelse=kontanthjalp"], "did you mean 'kontanthjaelp'?"),
        (["--measure", "ydelse.fuldtidspersoner", "--from", "2019X2"], "2019K2"),
    ])
    func unknownNames(arguments: [String], hint: String) throws {
        let run = try Binary.beskplan.run(["observations", "--db", Binary.temporaryPath("bad.sqlite")] + arguments)
        #expect(run.status != 0)
        let lines = run.stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count == 1, "stderr: \(run.stderr)")
        #expect(run.stderr.contains(hint))
    }

    @Test("db migrate creates a new database and reports the migrations")
    func migrate() throws {
        let db = Binary.temporaryPath("migrate.sqlite")
        let first = try Binary.beskplan.run(["db", "migrate", "--db", db])
        #expect(first.status == 0)
        #expect(first.stdout.contains("0001-observations"))
        #expect(FileManager.default.fileExists(atPath: db))
        let second = try Binary.beskplan.run(["db", "migrate"], environment: ["BESKPLAN_DB": db])
        #expect(second.stdout.contains("up to date"))
    }

    @Test("The three apps answer --help", arguments: [Binary.beskplan, .server, .report])
    func help(binary: Binary) throws {
        let run = try binary.run(["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: \(binary.rawValue)"))
    }

    @Test("import then observations shows a demo feed's figures as printed")
    func importDemoFeed() throws {
        let db = Binary.temporaryPath("demo.sqlite")
        let feed = Binary.repository.appendingPathComponent("Plugins/Vesthimmerland/Demo/vesthimmerland-2019.xml").path
        let first = try Binary.beskplan.run(["import", feed, "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("226 observations, 0 replaced"))
        #expect(first.stderr.isEmpty, "no progress bar when stderr is not a terminal")
        let again = try Binary.beskplan.run(["import", feed, "--db", db])
        #expect(again.stdout.contains("226 observations, 226 replaced"))
        let shown = try Binary.beskplan.run([
            "observations", "--measure", "ydelse.ordinaere_timer_andel", "--area", "vesthimmerland",
            "--dim", "ydelse=kontanthjaelp", "--db", db,
        ])
        #expect(shown.stdout.contains("2019M06   11,6"))
        #expect(shown.stdout.contains("2018M06    8,7"))
    }

    @Test("A hostile file is one line on stderr, and the other files still import")
    func hostileFile() throws {
        let db = Binary.temporaryPath("hostile.sqlite")
        let bad = Binary.temporaryPath("xxe.xml")
        try Data(#"<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]><feed xmlns="urn:beskplan:feed:1" source="x">&x;</feed>"#.utf8)
            .write(to: URL(fileURLWithPath: bad))
        let feed = Binary.repository.appendingPathComponent("Plugins/Samsoe/Demo/samsoe-2024.xml").path
        let run = try Binary.beskplan.run(["import", bad, feed, "--db", db])
        #expect(run.status == 1)
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("xxe.xml:1:"))
        #expect(run.stderr.contains("DOCTYPE"))
        #expect(run.stdout.contains("samsoe-2024.xml: beskplan feed"))
    }

    @Test("--inspect describes an SDMX file without a mapping")
    func inspect() throws {
        let file = Binary.repository.appendingPathComponent("Tests/XMLImportTests/Fixtures/structurespecific21.xml").path
        let run = try Binary.beskplan.run(["import", "--inspect", file])
        #expect(run.status == 0)
        #expect(run.stdout.contains("SDMX-ML 2.1 StructureSpecificData"))
        #expect(run.stdout.contains("OMRÅDE: 820 (6), 081 (1), 999 (1)"))
        #expect(run.stdout.contains("observations: 8"))
    }

    @Test("SDMX without a mapping is refused with the way forward")
    func sdmxNeedsMapping() throws {
        let file = Binary.repository.appendingPathComponent("Tests/XMLImportTests/Fixtures/generic20.xml").path
        let run = try Binary.beskplan.run(["import", file, "--db", Binary.temporaryPath("m.sqlite")])
        #expect(run.status == 1)
        #expect(run.stderr.contains("needs a mapping"))
        #expect(run.stderr.contains("--inspect"))
    }

    @Test("plan import, evaluate --format json, assess: the stable JSON a script reads")
    func evaluateJSON() throws {
        let db = Binary.temporaryPath("plans.sqlite")
        let root = Binary.repository
        let feed = root.appendingPathComponent("Plugins/Vesthimmerland/Demo/vesthimmerland-2019.xml").path
        let plan = root.appendingPathComponent("Plugins/Vesthimmerland/Plans/vesthimmerland-2019.yaml").path
        #expect(try Binary.beskplan.run(["import", feed, "--db", db]).status == 0)
        let stored = try Binary.beskplan.run(["plan", "import", plan, "--approved", "--db", db, "--author", "ana"])
        #expect(stored.stdout.contains("stored 820/2019 version 1"))
        let run = try Binary.beskplan.run(["evaluate", "Vesthimmerland", "2019", "--as-of", "2020-01-31", "--format", "json", "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        // The evaluation's one shape (docs/evaluation.md), the API's too: the plan's version and day, then its targets.
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(document["kommune"] as? String == "820" && document["year"] as? Int == 2019 && document["version"] as? Int == 1)
        #expect(document["asOf"] as? String == "2020-01-31")
        let rows = try #require(document["targets"] as? [[String: Any]])
        #expect(rows.count == 13)
        for key in ["goal", "target", "follows", "rule", "status", "statusText", "explanation", "missing", "figures"] {
            #expect(rows.allSatisfy { $0.keys.contains(key) }, "missing \(key)")
        }
        let row = try #require(rows.first { $0["target"] as? String == "4.4" })
        #expect(row["statusText"] as? String == "opfyldt")
        #expect(row["status"] as? String == "opfyldt")
        #expect(row["value"] as? Double == 11.6)
        #expect(row["benchmark"] as? Double == 10.0)
        let statuses = Set(rows.compactMap { $0["status"] as? String })
        #expect(statuses.isSubset(of: ["opfyldt", "paa_vej", "i_risiko", "ikke_opfyldt", "mangler_data", "afventer_vurdering", "vurderet"]))
        let table = try Binary.beskplan.run(["evaluate", "820", "2019", "--as-of", "2020-01-31", "--db", db])
        #expect(table.stdout.contains("ikke opfyldt"))
    }

    @Test("assess records a milestone, and evaluate shows it")
    func assess() throws {
        let db = Binary.temporaryPath("assess.sqlite")
        let plan = Binary.repository.appendingPathComponent("Plugins/Jammerbugt/Plans/jammerbugt-2021.yaml").path
        #expect(try Binary.beskplan.run(["plan", "import", plan, "--approved", "--db", db]).status == 0)
        let wrong = try Binary.beskplan.run(["assess", "jammerbugt", "2021", "K4", "--status", "opfyldt", "--note", "x", "--db", db])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("Målet findes ikke i planen") && wrong.stderr.contains("Mente du"), "\(wrong.stderr)")
        let ok = try Binary.beskplan.run([
            "assess", "jammerbugt", "2021", "K1", "--status", "opfyldt", "--note", "Dialogmøde holdt 4. maj",
            "--date", "2021-05-04", "--author", "bo", "--db", db,
        ])
        #expect(ok.status == 0, "\(ok.stderr)")
        let run = try Binary.beskplan.run(["evaluate", "jammerbugt", "2021", "--format", "json", "--db", db])
        let rows = try #require((try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["targets"] as? [[String: Any]])
        let k1 = try #require(rows.first { $0["target"] as? String == "K1" })
        #expect(k1["status"] as? String == "opfyldt")
        #expect((k1["explanation"] as? String)?.contains("Vurderet 2021-05-04 af bo: Dialogmøde holdt 4. maj") == true)
    }

    @Test("plan validate passes the seed plans and locates problems in a broken copy")
    func planValidate() throws {
        let plans = ["Morsoe/Plans/morsoe-2021.yaml", "Jammerbugt/Plans/jammerbugt-2021.yaml", "Norddjurs/Plans/norddjurs-2024.yaml",
                     "Samsoe/Plans/samsoe-2024.yaml", "Vesthimmerland/Plans/vesthimmerland-2019.yaml", "Vesthimmerland/Plans/vesthimmerland-2020.yaml"]
            .map { Binary.repository.appendingPathComponent("Plugins/\($0)").path }
        let good = try Binary.beskplan.run(["plan", "validate"] + plans)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.split(separator: "\n").count == 6)
        let text = try String(contentsOfFile: plans[3], encoding: .utf8)
        let broken = Binary.temporaryPath("samsoe-broken.yaml")
        try text.replacingOccurrences(of: "measure: samsoe.opkvalificeringsforloeb", with: "measure: samsoe.opkvalifisering")
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let bad = try Binary.beskplan.run(["plan", "validate", broken])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("samsoe-broken.yaml:64:"))
        #expect(bad.stderr.contains("did you mean 'samsoe.opkvalificeringsforloeb'?"))
    }

    @Test("plan new carries a plan forward; plan diff compares years")
    func planNewAndDiff() throws {
        let db = Binary.temporaryPath("new.sqlite")
        let plan = Binary.repository.appendingPathComponent("Plugins/Morsoe/Plans/morsoe-2021.yaml").path
        #expect(try Binary.beskplan.run(["plan", "import", plan, "--approved", "--db", db]).status == 0)
        let new = try Binary.beskplan.run(["plan", "new", "morsoe", "2022", "--from", "2021", "--save", "--db", db])
        #expect(new.status == 0, "\(new.stderr)")
        #expect(new.stdout.contains("year: 2022"))
        #expect(new.stdout.contains("mark: videreført"))
        let diff = try Binary.beskplan.run(["plan", "diff", "morsoe", "2021", "2022", "--db", db])
        #expect(diff.stdout.contains("~ title: \"Beskæftigelsesplan 2021\" → \"Beskæftigelsesplan 2022\""))
        #expect(diff.stdout.contains("~ goal 1 mark: nyt → videreført"))
        let list = try Binary.beskplan.run(["plan", "list", "--format", "csv", "--db", db])
        #expect(list.stdout.split(separator: "\n").count == 3)
    }

    @Test("observations --format csv reads back through import to identical observations")
    func csvRoundTrip() throws {
        let first = Binary.temporaryPath("first.sqlite")
        let second = Binary.temporaryPath("second.sqlite")
        let csv = Binary.temporaryPath("export.csv")
        let feed = Binary.repository.appendingPathComponent("Plugins/Vesthimmerland/Demo/vesthimmerland-2019.xml").path
        #expect(try Binary.beskplan.run(["import", feed, "--db", first]).status == 0)
        for measure in ["ydelse.fuldtidspersoner", "ydelse.andel_arbejdsstyrke", "virksomheder.samarbejdsgrad"] {
            let exported = try Binary.beskplan.run(["observations", "--measure", measure, "--format", "csv", "--db", first])
            try exported.stdout.write(toFile: csv, atomically: true, encoding: .utf8)
            let imported = try Binary.beskplan.run(["import", csv, "--mapping", "beskplan-export", "--db", second])
            #expect(imported.status == 0, "\(imported.stderr)")
            let again = try Binary.beskplan.run(["observations", "--measure", measure, "--format", "json", "--db", second])
            let original = try Binary.beskplan.run(["observations", "--measure", measure, "--format", "json", "--db", first])
            #expect(again.stdout == original.stdout, "\(measure) differs after the round trip")
            #expect(original.stdout.count > 100)
        }
    }

    @Test("beskplan-report refuses a kommune without a stored plan, naming it")
    func reportWithoutPlan() throws {
        let run = try Binary.report.run(["samsoe", "2024", "--db", Binary.temporaryPath("report.sqlite")])
        #expect(run.status != 0)
        #expect(run.stderr.contains("Samsø har ingen plan for 2024"), "\(run.stderr)")
    }
}

/// One of the built executables, found next to the test bundle.
enum Binary: String, CaseIterable, Sendable {
    case beskplan
    case server = "beskplan-server"
    case report = "beskplan-report"

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let directory: URL = {
        if let dir = ProcessInfo.processInfo.environment["BESKPLAN_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        // swift test runs `<bin>/beskplanPackageTests.xctest`; the executables are built beside it.
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }()

    /// The package root, for the files the tests read.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-e2e-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// Waits for a process to end, on a thread of its own (the test's time limit bounds the wait).
    static func exit(of process: Process) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    /// `run` on a thread of its own, for a test that serves the binary from its own process (a
    /// stand-in server): waiting for the child on one of the few cooperative threads would starve
    /// the server that child is waiting for.
    func runAside(
        _ arguments: [String], environment: [String: String] = [:], input: String? = nil, timeout: TimeInterval? = nil
    ) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try self.run(arguments, environment: environment, input: input, timeout: timeout) })
            }
        }
    }

    /// `shell` on a thread of its own.
    static func shellAside(_ command: String, _ arguments: [String]) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try shell(command, arguments) }) }
        }
    }

    /// Runs a tool of the machine (`psql`), found on the PATH.
    static func shell(_ command: String, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        return try finish(process, input: nil, timeout: nil)
    }

    /// Runs the binary with its progress on stderr as lines (`BESKPLAN_PROGRESS=lines`), on a
    /// thread of its own, and calls `atLine` with the running process after each progress line:
    /// a test acts at a point of the work, not after a guessed time.
    func runWatchingProgress(
        _ arguments: [String], atLine: @escaping @Sendable (_ count: Int, _ process: Process) -> Void
    ) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = Self.directory.appendingPathComponent(rawValue)
                    process.arguments = arguments
                    var env = ProcessInfo.processInfo.environment
                    env["BESKPLAN_DB"] = nil
                    env["BESKPLAN_PROGRESS"] = "lines"
                    process.environment = env
                    let out = Pipe()
                    let err = Pipe()
                    process.standardOutput = out
                    process.standardError = err
                    try process.run()
                    // Standard output is read beside, so that a child that writes much there never waits on a full pipe.
                    let stdoutRead = DispatchGroup()
                    nonisolated(unsafe) var stdout = Data()
                    stdoutRead.enter()
                    DispatchQueue.global().async {
                        stdout = out.fileHandleForReading.readDataToEndOfFile()
                        stdoutRead.leave()
                    }
                    var stderr = Data()
                    var count = 0
                    while true {
                        let chunk = err.fileHandleForReading.availableData
                        if chunk.isEmpty { break }
                        stderr.append(chunk)
                        let lines = String(decoding: stderr, as: UTF8.self).components(separatedBy: "\n").filter { $0.hasPrefix("progress: ") }.count
                        while count < lines {
                            count += 1
                            atLine(count, process)
                        }
                    }
                    stdoutRead.wait()
                    process.waitUntilExit()
                    return Run(
                        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                        stderr: String(decoding: stderr, as: UTF8.self))
                })
            }
        }
    }

    /// Runs the binary to its end; past `timeout` seconds it is stopped (SIGTERM) and its run is what it printed by then.
    func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil, timeout: TimeInterval? = nil) throws -> Run {
        let process = Process()
        process.executableURL = Self.directory.appendingPathComponent(rawValue)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["BESKPLAN_DB"] = nil
        env.merge(environment) { $1 }
        process.environment = env
        return try Self.finish(process, input: input, timeout: timeout)
    }

    /// Starts `process`, gives it `input`, stops it past `timeout` seconds, and returns what it printed.
    private static func finish(_ process: Process, input: String?, timeout: TimeInterval?) throws -> Run {
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { if process.isRunning { process.terminate() } }
        }
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
