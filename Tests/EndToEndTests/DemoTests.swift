import Foundation
import TestSupport
import Testing

/// `beskplan demo`, the README's first command, run as a user runs it.
@Suite("The main job")
struct DemoTests {
    @Test("beskplan demo writes every report, prints the summary, and evaluates Vesthimmerland 2019 from its figures")
    func demo() throws {
        let folder = URL(fileURLWithPath: Binary.temporaryPath("demo-out"))
        let run = try Binary.beskplan.run(["demo", "--out", folder.path, "--as-of", "2026-01-15"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("imported dst-auk01-en.csv (Danmarks Statistik, AUK01): 7904 observations"))

        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == [
            "kommune", "plan", "goals", "targets", "public", "figures", "own", "figures", "evaluated", "opfyldt", "på", "vej", "i", "risiko",
            "ikke", "opfyldt", "mangler", "data", "afventer", "vurdering", "vurderet", "files",
        ])
        func row(_ kommune: String, _ year: Int) -> [String]? {
            lines.first { $0.hasPrefix(kommune + " ") && $0.contains(" \(year) ") }?.split(separator: " ").map(String.init)
        }
        // kommune, plan, goals, targets, public figures, own figures, evaluated, opfyldt, på vej, i risiko, ikke opfyldt,
        // mangler data, afventer vurdering, vurderet, files
        #expect(row("Vesthimmerland", 2019) == ["Vesthimmerland", "2019", "3", "13", "10", "3", "13", "8", "0", "0", "5", "0", "0", "0", "6"])
        // Samsø: two targets read public figures (fetchable with a key), four the kommune's own, two await a person's assessment.
        #expect(row("Samsø", 2024) == ["Samsø", "2024", "6", "8", "2", "4", "0", "0", "0", "0", "0", "6", "2", "0", "6"])
        #expect(row("Morsø", 2021) == ["Morsø", "2021", "7", "2", "0", "0", "0", "0", "0", "0", "0", "0", "2", "0", "6"])
        #expect(lines.filter { $0.split(separator: " ").last == "6" }.count == 8, "six seed plans and the demo's 2026–2027 plan's two years, six files each")
        #expect(row("Norddjurs", 2027)?.prefix(4) == ["Norddjurs", "2027", "7", "20"], "the demo's plan: 2027 adds the 75 % rule's goal")
        #expect(lines.last == "Reports in \(folder.path)/; database \(folder.path)/beskplan-demo.sqlite.")
        // The real files besides AUK01, with their sources.
        for line in ["imported dst-lbesk69-en.csv (Danmarks Statistik, LBESK69): 7384 observations",
                     "imported dst-folk1am-en.csv (Danmarks Statistik, FOLK1AM): 5512 observations",
                     "imported jobindsats-y30r21-2020-2022.csv (Jobindsats, Y30R21): 16464 observations"] {
            #expect(run.stderr.contains(line), "\(line)")
        }

        let files = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        for plan in ["norddjurs-2024", "samsoe-2024", "morsoe-2021", "vesthimmerland-2019", "vesthimmerland-2020", "jammerbugt-2021"] {
            for kind in ["plan", "followup"] {
                for format in ["html", "docx", "md"] {
                    #expect(files.contains("\(plan)-\(kind).\(format)"), "missing \(plan)-\(kind).\(format)")
                }
            }
        }
        #expect(files.contains("norddjurs-2027-plan.md") && files.contains("norddjurs-2026-followup.html"))
        #expect(files.count == 8 * 6 + 1, "the reports and the database, nothing else")
        let followUp = try String(contentsOf: folder.appendingPathComponent("vesthimmerland-2019-followup.md"), encoding: .utf8)
        #expect(followUp.contains(": 8 opfyldt, 5 ikke opfyldt."), "the summary line of the follow-up")
        let plan = try String(contentsOf: folder.appendingPathComponent("vesthimmerland-2020-plan.md"), encoding: .utf8)
        #expect(plan.contains("_Kilde: Danmarks Statistik, AUK01_"))
        // The real AUK01 figures the 2020 plan could build on: up to 2019, as published.
        #expect(plan.contains("| 4. kvartal 2019 | 121 | 1.621 | 14.424 |"))
        #expect(!plan.contains("| 4. kvartal 2020 |"))
    }
    @Test(
        "beskplan demo on PostgreSQL prints the same summary as on SQLite, and writes the same reports",
        .enabled(if: !TestPostgres.skipped, "BESKPLAN_SKIP_POSTGRES=1"))
    func demoOnPostgres() async throws {
        let sqliteFolder = Binary.temporaryPath("demo-sqlite")
        let postgresFolder = Binary.temporaryPath("demo-postgres")
        let url = try await TestPostgres.newDatabase()
        let onSQLite = try Binary.beskplan.run(["demo", "--out", sqliteFolder, "--as-of", "2026-01-15"])
        let onPostgres = try Binary.beskplan.run(["demo", "--out", postgresFolder, "--as-of", "2026-01-15", "--db", url])
        #expect(onPostgres.status == 0, "\(onPostgres.stderr)")
        func summary(_ run: Binary.Run) -> [String] { run.stdout.split(separator: "\n").dropLast().map(String.init) }
        #expect(summary(onPostgres) == summary(onSQLite))
        #expect(summary(onPostgres).count >= 7)
        for name in ["samsoe-2024-followup.md", "vesthimmerland-2019-followup.md", "vesthimmerland-2020-plan.md"] {
            let a = try String(contentsOfFile: sqliteFolder + "/" + name, encoding: .utf8)
            let b = try String(contentsOfFile: postgresFolder + "/" + name, encoding: .utf8)
            #expect(a == b, "\(name) differs between the stores")
        }
    }
}
