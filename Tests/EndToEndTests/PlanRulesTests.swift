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
