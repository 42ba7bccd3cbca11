import AllPlugins
import BeskplanCore
import Foundation
import PlanFormat
import PluginKit
import Testing

enum Seeds {
    static let registry = try! AllPlugins.registry()
    static let catalog = PlanCatalog(measures: registry.measures, ruleKinds: registry.ruleKinds)
    static var plans: [URL] { registry.entries.flatMap(\.plugin.bundledPlans) }

    static func text(_ name: String) throws -> String {
        let url = try #require(plans.first { $0.lastPathComponent == name })
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func plan(_ name: String) throws -> Plan {
        try PlanFile.parse(try text(name), file: name, catalog: catalog)
    }

    /// The problems a broken copy of a seed plan gives.
    static func problems(_ name: String, replacing old: String, with new: String) throws -> [PlanError] {
        let original = try text(name)
        #expect(original.contains(old), "the seed no longer contains \(old)")
        do {
            _ = try PlanFile.parse(original.replacingOccurrences(of: old, with: new), file: name, catalog: catalog)
            return []
        } catch {
            return error.errors
        }
    }
}

@Suite("Plan language")
struct PlanFileTests {
    @Test("All six seed plans ship, validate, and are complete in structure")
    func seedsValidate() throws {
        #expect(Seeds.plans.map(\.lastPathComponent).sorted() == [
            "jammerbugt-2021.yaml", "morsoe-2021.yaml", "norddjurs-2024.yaml", "samsoe-2024.yaml",
            "vesthimmerland-2019.yaml", "vesthimmerland-2020.yaml",
        ])
        let norddjurs = try Seeds.plan("norddjurs-2024.yaml")
        #expect(norddjurs.targets.map(\.id) == ["1.1", "1.2", "1.3", "2.1", "2.2"] + (1...13).map { "6.\($0)" })
        #expect(norddjurs.targets.allSatisfy { $0.followUp?.audience == "Arbejdsmarkedsudvalget" })
        let samsoe = try Seeds.plan("samsoe-2024.yaml")
        #expect(samsoe.goals.first { $0.id == "2" }?.serves == [2, 5])
        #expect(samsoe.sections.contains { $0.id == "principper" })
        let mors = try Seeds.plan("morsoe-2021.yaml")
        #expect(mors.goals.map(\.id) == ["1", "2", "3", "4", "5", "6", "7"])
        #expect(mors.approvals.map(\.body) == ["Beskæftigelses- og Erhvervsudvalget", "Økonomiudvalget", "Kommunalbestyrelsen"])
        #expect(mors.goals.filter { $0.mark == .nyt }.map(\.id) == ["1", "2"])
        let jammerbugt = try Seeds.plan("jammerbugt-2021.yaml")
        #expect(jammerbugt.targets.filter { $0.rule.kind == "budget_maaltal" }.count == 9)
        #expect(jammerbugt.targets.filter { $0.rule.kind == "milestone" }.count == 3)
    }

    @Test("Load → save → load gives the same plan", arguments: [
        "jammerbugt-2021.yaml", "morsoe-2021.yaml", "norddjurs-2024.yaml", "samsoe-2024.yaml",
        "vesthimmerland-2019.yaml", "vesthimmerland-2020.yaml",
    ])
    func roundTrip(name: String) throws {
        let plan = try Seeds.plan(name)
        let again = try PlanFile.parse(try PlanFile.yaml(plan), file: "saved.yaml", catalog: Seeds.catalog)
        #expect(again == plan)
    }

    @Test("Broken copies fail at the right line with a helpful message", arguments: [
        ("samsoe-2024.yaml", "measure: samsoe.opkvalificeringsforloeb", "measure: samsoe.opkvalifisering",
         "unknown measure 'samsoe.opkvalifisering'; did you mean 'samsoe.opkvalificeringsforloeb'?"),
        ("vesthimmerland-2019.yaml", "select: { ydelse: kontanthjaelp }, period: 2019M06", "select: { ydelse: kontanthjalp }, period: 2019M06",
         "did you mean 'kontanthjaelp'?"),
        ("norddjurs-2024.yaml", "kind: threshold, measure: unge.valg_gymnasial_andel", "kind: treshold, measure: unge.valg_gymnasial_andel",
         "unknown rule kind 'treshold'; did you mean 'threshold'?"),
        ("samsoe-2024.yaml", "serves: [2, 5]", "serves: [2, 6]", "ministermål 6 does not exist in 2024 (2024 has 1, 2, 3, 4, 5)"),
        ("samsoe-2024.yaml", "year: 2024", "year: 2025", "there are no ministermål from 2025"),
        ("norddjurs-2024.yaml", "against: country, op: \"<=\"", "against: { area: \"999\" }, op: \"<=\"", "unknown area code '999'"),
        ("morsoe-2021.yaml", "frequency: halvårligt", "frequency: halvaarligt", "did you mean 'halvårligt'?"),
        ("jammerbugt-2021.yaml", "followUp: { frequency: årligt, audience: Beskæftigelsesudvalget, source: Én indgang }",
         "folowUp: { frequency: årligt, audience: Beskæftigelsesudvalget, source: Én indgang }", "unknown field 'folowUp' in a target; did you mean 'followUp'?"),
        ("jammerbugt-2021.yaml", "kind: budget_maaltal, ydelse: fleksjob", "kind: budget_maaltal, ydelse: fleksjobb", "did you mean 'fleksjob'?"),
        ("vesthimmerland-2020.yaml", "id: \"6.5.2\"", "id: \"6.5.1\"", "target id '6.5.1' is used twice"),
        ("norddjurs-2024.yaml", "aggregate: last, op: \">=\", value: 80 }", "aggregate: last, op: \">=\", value: 80, redFlag: 85 }",
         "redFlag 85 must lie beyond the goal: below 80 for '>='"),
        ("norddjurs-2024.yaml", "aggregate: last, op: \">=\", value: 70 }", "aggregate: last, op: \"<=\", value: 70, redFlag: 70 }",
         "redFlag 70 must lie beyond the goal: above 70 for '<='"),
    ])
    func brokenCopies(name: String, old: String, new: String, message: String) throws {
        let problems = try Seeds.problems(name, replacing: old, with: new)
        // One problem per edit; a plan year without ministermål fails every goal that serves one.
        #expect(problems.count == (message.contains("no ministermål") ? 5 : 1), "got: \(problems)")
        let problem = try #require(problems.first { $0.message.contains(message) }, "got: \(problems)")
        // The line named is the line of the edit.
        let line = try Seeds.text(name).components(separatedBy: "\n").firstIndex { $0.contains(old) }.map { $0 + 1 }
        if !message.contains("no ministermål") { #expect(problem.line == line) }
        #expect(problem.description.hasPrefix("\(name):\(problem.line):\(problem.column): "))
    }

    @Test("YAML syntax errors are located too")
    func syntaxError() {
        #expect {
            try PlanFile.parse("kommune: 741\nyear: [2024\ntitle: x\n", file: "bad.yaml", catalog: Seeds.catalog)
        } throws: { error in
            let text = String(describing: error)
            return text.hasPrefix("bad.yaml:") && text.contains("not valid YAML")
        }
    }

    @Test("A region is not a kommune")
    func regionAsKommune() throws {
        let problems = try Seeds.problems("samsoe-2024.yaml", replacing: "kommune: 741", with: "kommune: 82")
        #expect(problems.first?.message == "'082' is not a kommune code (Region Midtjylland is a region)")
        #expect(problems.first?.line == 3)
    }
}

@Suite("Carrying a plan forward and comparing plans")
struct PlanEvolutionTests {
    @Test("2020 → 2021: goals videreført and renumbered, the two new ministermål added, periods moved")
    func vesthimmerland() throws {
        let old = try Seeds.plan("vesthimmerland-2020.yaml")
        let new = PlanCarryForward.carry(from: old, to: 2021).plan
        #expect(new.year == 2021)
        #expect(new.title == "Beskæftigelsesplan 2021")
        #expect(new.status == .udkast)
        let virksomheder = try #require(new.goals.first { $0.id == "6.1" })
        #expect(virksomheder.serves == [5])  // number 1 in 2020, number 5 in 2021
        #expect(virksomheder.mark == .videreført)
        #expect(new.goals.filter { $0.mark == .nyt }.map(\.serves) == [[1], [2]])
        guard case .development(let rule) = virksomheder.targets[0].rule else {
            Issue.record("expected a development rule")
            return
        }
        #expect(rule.from == .month(2020, 7) && rule.to == .month(2021, 7))
        // The carried-forward plan is itself valid.
        #expect(throws: Never.self) { try PlanFile.parse(try PlanFile.yaml(new), file: "new.yaml", catalog: Seeds.catalog) }
    }

    @Test("2024 → 2025: no ministermål any more, so minister goals become local")
    func abolished() throws {
        let new = PlanCarryForward.carry(from: try Seeds.plan("samsoe-2024.yaml"), to: 2025).plan
        #expect(new.goals.allSatisfy { $0.kind == .local && $0.serves.isEmpty })
        #expect(new.goals.count == 6)
        #expect(throws: Never.self) { try PlanFile.parse(try PlanFile.yaml(new), file: "new.yaml", catalog: Seeds.catalog) }
    }

    @Test("Diff names what changed, goal by goal")
    func diff() throws {
        let old = try Seeds.plan("samsoe-2024.yaml")
        var new = old
        new.goals[0].title = "Værdig sagsbehandling for alle"
        new.goals[1].targets[0].rule = .threshold(.init(measure: "samsoe.opkvalificeringsforloeb", period: .year(2024), aggregate: .sum, op: .atLeast, value: 12))
        new.goals.remove(at: 5)
        let changes = PlanDiff.changes(from: old, to: new)
        #expect(changes == [
            "~ goal 1 title: \"Alle ledige skal have en værdig sagsbehandling\" → \"Værdig sagsbehandling for alle\"",
            "~ goal 2 target 2.1 rule: samsoe.opkvalificeringsforloeb sum 2024 >= 10 → samsoe.opkvalificeringsforloeb sum 2024 >= 12",
            "- goal 6: Alle unge efter folkeskolen er på vej i uddannelse eller job",
        ])
        #expect(PlanDiff.changes(from: old, to: old).isEmpty)
    }

    @Test("The form's fields: titles, actions one per line and a target's value in Danish notation; a field left out keeps its value")
    func fields() throws {
        let plan = try Seeds.plan("samsoe-2024.yaml")
        let goal = plan.goals[1]
        let target = try #require(goal.targets.first { if case .threshold = $0.rule { true } else { false } })
        let changed = try PlanFields.apply([
            "goal:\(goal.id):title": "  Ny titel ", "goal:\(goal.id):actions": "Første\r\n\r\nAnden\r\n",
            "target:\(target.id):value": "1.250",
        ], to: plan)
        #expect(changed.goals[1].title == "Ny titel" && changed.goals[1].actions == ["Første", "Anden"])
        #expect(changed.goals[1].targets.first { $0.id == target.id }?.rule.editableNumber?.value == 1250)
        #expect(changed.goals[0] == plan.goals[0] && changed.title == plan.title, "what the form does not send is kept")
        #expect(throws: Never.self) { try PlanFile.parse(try PlanFile.yaml(changed), file: "form.yaml", catalog: Seeds.catalog) }
        #expect(try PlanFields.apply([:], to: plan) == plan)

        #expect(PlanFields.number("4,5") == 4.5 && PlanFields.number("4.5") == 4.5 && PlanFields.number("1.234,5") == 1234.5)
        #expect(PlanFields.number("-3") == -3 && PlanFields.number("12 000") == 12000)
        #expect(PlanFields.number("mange") == nil && PlanFields.number("nan") == nil && PlanFields.number("") == nil)
        let error = try #require(throws: PlanErrors.self) {
            try PlanFields.apply(["target:\(target.id):value": "ti"], to: plan)
        }
        #expect(error.errors.first?.message.contains("mål \(target.id)") == true)
        // An optional number (a benchmark's offset) left empty is none; a threshold's cannot be.
        #expect(throws: PlanErrors.self) { try PlanFields.apply(["target:\(target.id):value": ""], to: plan) }
        let benchmark = Rule.benchmark(.init(measure: "x", period: .year(2024), against: .country, op: .atMost, offset: 4))
        #expect(benchmark.withEditableNumber(nil)?.editableNumber?.value == nil && benchmark.withEditableNumber(nil) != nil)
    }
}
