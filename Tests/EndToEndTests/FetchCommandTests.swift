import Foundation
import Testing
import TestSupport

/// `beskplan fetch` as an analyst runs it, against the local stand-in for the sources.
@Suite("beskplan fetch", .serialized)
struct FetchCommandTests {
    static let key = "nøgle-HEMMELIG-0815"

    @Test("--dry-run lists the plan's requests and sends none; a fetch imports them; the key shows nowhere, a bad one is one line")
    func fetchPlan() async throws {
        let db = Binary.temporaryPath("fetch.sqlite")
        let server = SourceServer(key: Self.key)
        try await server.run { base in
            let options = ["--plan", "vesthimmerland", "2020", "--db", db, "--jobindsats-base-url", base, "--dst-base-url", base, "--backoff", "0.02"]
            let dry = try await Binary.beskplan.runAside(["fetch", "--dry-run"] + options)
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout.contains("(dry run: nothing sent)") && dry.stdout.contains("GET \(base)/v3/data/ptv_a02?format=json"), "\(dry.stdout)")
            #expect(dry.stdout.contains("ptv_a02: Antal fuldtidspersoner for 2 areas"), "\(dry.stdout)")
            #expect(dry.stdout.contains("kommunens egne tal (jobcentret (integrationsindsatsen)): Andel beskæftigede flygtninge"), "\(dry.stdout)")
            #expect(await server.received.isEmpty, "a dry run sends nothing")

            let run = try await Binary.beskplan.runAside(["fetch"] + options, environment: ["BESKPLAN_JOBINDSATS_KEY": Self.key])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("requests imported") && !run.stdout.contains(" 0 of "), "\(run.stdout)")
            #expect(run.stdout.contains("\(base)/v3/data/ptv_a02?") && run.stdout.contains(": Jobindsats JSON"), "the summary names the address, not a temporary file: \(run.stdout)")
            let observations = try await Binary.beskplan.runAside(["observations", "--measure", "ydelse.fuldtidspersoner", "--area", "vesthimmerland", "--db", db])
            #expect(observations.stdout.contains("2020M06"), "\(observations.stdout)")

            let bad = try await Binary.beskplan.runAside(["fetch"] + options, environment: ["BESKPLAN_JOBINDSATS_KEY": "forkert-HEMMELIG"])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("afviste API-nøglen (401)") && bad.stderr.contains("BESKPLAN_JOBINDSATS_KEY"), "\(bad.stderr)")
            let none = try await Binary.beskplan.runAside(["fetch"] + options, environment: ["BESKPLAN_JOBINDSATS_KEY": "", "HOME": Binary.temporaryPath("home")])
            #expect(none.status != 0 && none.stderr.contains("BESKPLAN_JOBINDSATS_KEY"), "\(none.stderr)")
            for output in [dry, run, bad, none] {
                #expect(!(output.stdout + output.stderr).contains("HEMMELIG"), "the key was printed")
            }
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: db))
        #expect(bytes.range(of: Data("HEMMELIG".utf8)) == nil, "the key is in the database")
    }

    @Test("Through the binary: a renamed value stops its table with the nearest names; a suppressed cell is counted, not stored as 0")
    func renamedAndSuppressed() async throws {
        let options: @Sendable (String, String) -> [String] = { db, base in
            ["--plan", "vesthimmerland", "2020", "--db", db, "--jobindsats-base-url", base, "--dst-base-url", base, "--backoff", "0.02"]
        }
        let renamed = SourceServer(key: Self.key)
        await renamed.rename(area: "Vesthimmerlands", to: "Vesthimmerland Kommune")
        let db = Binary.temporaryPath("renamed.sqlite")
        try await renamed.run { base in
            let run = try await Binary.beskplan.runAside(["fetch"] + options(db, base), environment: ["BESKPLAN_JOBINDSATS_KEY": Self.key])
            #expect(run.status == 1)
            #expect(run.stderr.contains("har ikke 'Vesthimmerlands' i dimensionen _omrade; nærmeste navne: 'Vesthimmerland Kommune'"), "\(run.stderr)")
        }
        let suppressed = SourceServer(key: Self.key)
        await suppressed.suppress(area: "Region Nordjylland")
        let other = Binary.temporaryPath("suppressed.sqlite")
        try await suppressed.run { base in
            let run = try await Binary.beskplan.runAside(["fetch"] + options(other, base), environment: ["BESKPLAN_JOBINDSATS_KEY": Self.key])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("suppressed by the source (null: too few persons to publish)"), "\(run.stdout)")
            let region = try await Binary.beskplan.runAside(["observations", "--measure", "ydelse.fuldtidspersoner", "--area", "081", "--db", other])
            #expect(!region.stdout.contains("2020M06"), "a suppressed figure is not stored, as 0 or otherwise: \(region.stdout)")
            let own = try await Binary.beskplan.runAside(["observations", "--measure", "ydelse.fuldtidspersoner", "--area", "820", "--db", other])
            #expect(own.stdout.contains("2020M06"))
        }
    }

    @Test("Every seed plan: the dry run names a request or the office for each figure; the fetch sends exactly those; evaluate then has the public figures",
          arguments: [("norddjurs", 2024, "Norddjurs/Plans/norddjurs-2024.yaml"), ("samsoe", 2024, "Samsoe/Plans/samsoe-2024.yaml"),
                      ("vesthimmerland", 2020, "Vesthimmerland/Plans/vesthimmerland-2020.yaml"), ("morsoe", 2021, "Morsoe/Plans/morsoe-2021.yaml"),
                      ("jammerbugt", 2021, "Jammerbugt/Plans/jammerbugt-2021.yaml")])
    func seedPlans(kommune: String, year: Int, file: String) async throws {
        let db = Binary.temporaryPath("seed.sqlite")
        #expect(try Binary.beskplan.run(["plan", "import", Binary.repository.appendingPathComponent("Plugins/\(file)").path, "--approved", "--db", db]).status == 0)
        let server = SourceServer(key: Self.key)
        try await server.run { base in
            let options = ["--plan", kommune, "\(year)", "--db", db, "--jobindsats-base-url", base, "--dst-base-url", base, "--backoff", "0.02"]
            let dry = try await Binary.beskplan.runAside(["fetch", "--dry-run"] + options)
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(!dry.stderr.contains("no table in the catalogue publishes"), "a measure without a source: \(dry.stderr)")
            let requests = dry.stdout.split(separator: "\n").filter { $0.first?.isNumber == true && $0.contains(". GET ") || $0.contains(". POST ") }
            let before = await server.received.count
            #expect(before == 0)
            let run = try await Binary.beskplan.runAside(["fetch"] + options, environment: ["BESKPLAN_JOBINDSATS_KEY": Self.key])
            #expect(run.status == 0, "\(run.stderr)")
            let sent = await server.received.filter { $0.path.hasPrefix("/v3/data/") || $0.path == "/v1/data" }
            #expect(sent.count == requests.count, "exactly the requests the dry run listed: \(sent.map(\.path)) vs \(requests)")
            #expect(Set(sent.map(\.path)).count == sent.count, "one request per table")
            // Every target whose figures are all public (and published by now) has figures after the fetch.
            let evaluation = try await Binary.beskplan.runAside(["evaluate", kommune, "\(year)", "--as-of", "2026-11-30", "--format", "json", "--db", db])
            #expect(evaluation.status == 0, "\(evaluation.stderr)")
            let targets = try #require((try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as? [String: Any])?["targets"] as? [[String: Any]])
            let missing = targets.filter { ($0["status"] as? String) == "mangler_data" }.flatMap { ($0["missing"] as? [String]) ?? [] }
            let publicMissing = missing.filter { m in !Self.localMeasures.contains { m.hasPrefix($0) } }
            #expect(publicMissing.isEmpty, "public figures still missing after the fetch: \(publicMissing)")
        }
    }

    /// Measures of the seed plans that are the kommune's own (`beskplan measures`): no fetch brings them.
    static let localMeasures = [
        "norddjurs.", "samsoe.", "vesthimmerland.", "jammerbugt.", "samtaler.", "sygedagpenge.delvis", "unge.25", "unge.valg", "ydelse.midlertidig",
        "flygtninge.", "smaajob.", "virksomheder.", "ydelse.helaarspersoner", "kontanthjaelp.overgang",
    ]
}

/// `beskplan template`: the file of the kommune's own figures, filled in as Danish Excel saves it.
@Suite("beskplan template")
struct TemplateCommandTests {
    @Test("The template lists each own series and period; filled in (;, decimal comma, BOM, CRLF) it imports back unchanged, empty rows counted")
    func roundTrip() throws {
        let db = Binary.temporaryPath("template.sqlite")
        let plan = Binary.repository.appendingPathComponent("Plugins/Jammerbugt/Plans/jammerbugt-2021.yaml").path
        #expect(try Binary.beskplan.run(["plan", "import", plan, "--approved", "--db", db]).status == 0)
        let file = Binary.temporaryPath("egne-tal.csv")
        let made = try Binary.beskplan.run(["template", "jammerbugt", "2021", "--out", file, "--db", db])
        #expect(made.status == 0 && made.stderr.contains("wrote \(file): 27 rows of 27 series"), "\(made.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "a BOM, for Excel")
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("MAALING;NAVN;OMRÅDE;YDELSE;TID;INDHOLD;KILDE\r\n"))
        #expect(text.contains("jammerbugt.budget_maaltal;Måltal for politikområde 5 (budget);Jammerbugt;kontanthjaelp;2021;;\r\n"), "\(text)")
        // What Excel writes back: the values typed in Danish notation, the rest left empty.
        let filled = text.replacingOccurrences(
            of: "jammerbugt.budget_maaltal;Måltal for politikområde 5 (budget);Jammerbugt;kontanthjaelp;2021;;",
            with: "jammerbugt.budget_maaltal;Måltal for politikområde 5 (budget);Jammerbugt;kontanthjaelp;2021;1.204,5;Budget 2021")
            .replacingOccurrences(
                of: "ydelse.helaarspersoner;Helårspersoner på offentlig forsørgelse;Jammerbugt;kontanthjaelp;2021;;",
                with: "ydelse.helaarspersoner;Helårspersoner på offentlig forsørgelse;Jammerbugt;kontanthjaelp;2021;1180;Økonomi")
        #expect(filled != text)
        try Data(("\u{FEFF}" + filled).utf8).write(to: URL(fileURLWithPath: file))
        let imported = try Binary.beskplan.run(["import", file, "--mapping", "beskplan-egne-tal", "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("2 observations") && imported.stdout.contains("25 skipped"), "\(imported.stdout)")
        let shown = try Binary.beskplan.run(["observations", "--measure", "jammerbugt.budget_maaltal", "--area", "jammerbugt", "--format", "json", "--db", db])
        #expect(shown.stdout.contains("1204.5"), "\(shown.stdout)")
        let evaluation = try Binary.beskplan.run(["evaluate", "jammerbugt", "2021", "--as-of", "2022-06-01", "--format", "json", "--db", db])
        let rows = try #require((try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as? [String: Any])?["targets"] as? [[String: Any]])
        let kontanthjaelp = rows.filter { ($0["explanation"] as? String)?.contains("kontanthjælp") == true && $0["status"] as? String == "opfyldt" }
        #expect(!kontanthjaelp.isEmpty, "1.180 against a måltal of 1.204,5 is met: \(rows.map { $0["explanation"] ?? "" })")
    }
}
