import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The plan rules hold at every door: what the API refuses, `beskplan plan import` refuses, in
/// the same words, and the database is left as it was.
@Suite("The plan rules at every door")
struct PlanRulesTests {
    @Test("plan import over an approved plan is refused as the API refuses it; a file that says godkendt needs --approved")
    func approvedPlanIsFrozen() async throws {
        let db = Binary.temporaryPath("rules.sqlite")
        let file = Binary.repository.appendingPathComponent("Plugins/Jammerbugt/Plans/jammerbugt-2021.yaml").path
        let original = try String(contentsOfFile: file, encoding: .utf8)
        #expect(original.contains("status: godkendt"))

        // A file that says godkendt is not stored as approved by an import, unless it says it was adopted elsewhere.
        let plain = try Binary.beskplan.run(["plan", "import", file, "--db", db])
        #expect(plain.status != 0 && plain.stderr.contains("En plan godkendes for sig") && plain.stderr.contains("--approved"), "\(plain.stderr)")
        let adopted = try Binary.beskplan.run(["plan", "import", file, "--approved", "--db", db])
        #expect(adopted.status == 0 && adopted.stdout.contains("version 1 (godkendt)"), "\(adopted.stdout) \(adopted.stderr)")

        // An edited draft of the approved plan, as an editor would send it.
        let edited = original.replacingOccurrences(of: "status: godkendt", with: "status: udkast")
            .replacingOccurrences(of: "title: ", with: "title: Rettet ", options: [], range: original.range(of: "title: "))
        let draft = Binary.temporaryPath("jammerbugt-2021-rettet.yaml")
        try edited.write(toFile: draft, atomically: true, encoding: .utf8)

        #expect(try Binary.beskplan.run(
            ["users", "add", "redaktoer", "--kommune", "849", "--role", "editor", "--db", db], input: "et-langt-kodeord\n").status == 0)
        let token = try Binary.beskplan.run(["tokens", "create", "redaktoer", "--db", db]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)

        // The API's answer.
        let server = try RunningServer(db: db)
        defer { server.stop() }
        var save = URLRequest(url: server.base.appendingPathComponent("api/v1/kommuner/jammerbugt/plans/2021/versions"))
        save.httpMethod = "PUT"
        save.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        save.setValue("application/yaml", forHTTPHeaderField: "Content-Type")
        save.setValue("\"1\"", forHTTPHeaderField: "If-Match")
        save.httpBody = Data(edited.utf8)
        let (body, response) = try await URLSession.shared.data(for: save)
        #expect((response as? HTTPURLResponse)?.statusCode == 409)
        let problem = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(problem["type"] as? String == "urn:beskplan:problem:plan-frozen")
        let title = try #require(problem["title"] as? String)
        let detail = try #require(problem["detail"] as? String)
        #expect(title == "Planen er godkendt og kan ikke ændres" && detail.contains("Version 1 er godkendt"))

        // The command line's answer: the same refusal, in the same words.
        let run = try Binary.beskplan.run(["plan", "import", draft, "--db", db])
        #expect(run.status != 0)
        #expect(run.stderr.contains(title) && run.stderr.contains(detail), "\(run.stderr)")
        // Nothing was added: the approved version is still the plan.
        let listed = try Binary.beskplan.run(["plan", "list", "--format", "csv", "--db", db])
        #expect(listed.stdout.contains("849;Jammerbugt;2021;1;godkendt"), "\(listed.stdout)")
    }
}

/// The carry into today's rules from the command line, and a plan over several years.
@Suite("Plans under the new rules at the command line")
struct NewRulesCommandTests {
    @Test("plan new into 2026–2027 lists what the rules forced; the plan validates, is found by 2027 and evaluated for it")
    func carryIntoNewRules() async throws {
        let db = Binary.temporaryPath("new-rules.sqlite")
        let seed = Binary.repository.appendingPathComponent("Plugins/Norddjurs/Plans/norddjurs-2024.yaml").path
        #expect(try Binary.beskplan.run(["plan", "import", seed, "--approved", "--db", db]).status == 0)
        let out = Binary.temporaryPath("norddjurs-2026.yaml")
        let carried = try Binary.beskplan.run(["plan", "new", "norddjurs", "2026", "--from", "2024", "--through", "2027", "--out", out, "--save", "--db", db])
        #expect(carried.status == 0, "\(carried.stderr)")
        #expect(carried.stderr.contains("stored 707/2026 version 1"))
        #expect(carried.stderr.contains("The new year's rules forced 9 changes:"), "\(carried.stderr)")
        #expect(carried.stderr.contains("  Ændret: Mål M1, Alle ledige skal have en værdig sagsbehandling, er nu et lokalt mål: ministermålene er afskaffet (Lov nr. 1656 af 30. december 2024, fra 1. januar 2025)."))
        #expect(carried.stderr.contains("  Tjek: Teksten nævner jobcentret i afsnittet »Indledning«; opgaverne er kommunens (Lov nr. 1750 af 2025, fra 1. februar 2026). beskplan retter ikke jeres tekst."))
        #expect(carried.stderr.contains("  Tjek: Foreslået fra 1. januar 2027, ikke vedtaget pr. 7. december 2026:"))
        let yaml = try String(contentsOfFile: out, encoding: .utf8)
        #expect(yaml.contains("period: 2026–2027") && !yaml.contains("kind: minister"))
        #expect(try Binary.beskplan.run(["plan", "validate", out]).status == 0)

        let evaluated = try Binary.beskplan.run(["evaluate", "norddjurs", "2027", "--format", "json", "--db", db])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any]
        #expect(json?["year"] as? Int == 2027)
        #expect((json?["targets"] as? [Any])?.count == 18, "2027's 18 targets, once each")
        let refused = try Binary.beskplan.run(["plan", "new", "norddjurs", "2028", "--from", "2024", "--through", "2028", "--db", db])
        #expect(refused.status != 0 && refused.stderr.contains("--through 2028: the last year of the period comes after 2028"))
    }
}
