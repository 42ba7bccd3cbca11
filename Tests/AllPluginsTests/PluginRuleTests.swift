import AllPlugins
import BeskplanCore
import Evaluation
import PluginKit
import Testing

@Suite("Jammerbugt's budget_maaltal rule kind")
struct PluginRuleTests {
    static let registry = try! AllPlugins.registry()

    static func evaluate(_ observations: [Observation], asOf: Day) -> TargetEvaluation {
        let rule = Rule.plugin(.init(kind: "budget_maaltal", parameters: ["ydelse": "kontanthjaelp", "year": "2020"]))
        let plan = Plan(kommune: "849", year: 2020, title: "T", goals: [Goal(id: "M", kind: .local, title: "Måltal", targets: [Target(id: "M1", follows: "Kontanthjælp", measures: "Helårspersoner", rule: rule)])])
        let context = EvaluationContext(plan: plan, asOf: asOf, data: ObservationIndex(observations), measures: registry.measures)
        return registry.evaluator.evaluate(context)[0]
    }

    static func obs(_ measure: String, _ value: Double) -> Observation {
        Observation(series: SeriesKey(measure: measure, area: "849", dimensions: ["ydelse": "kontanthjaelp"]), period: .year(2020), value: value)
    }

    @Test("The registry carries the plugin's rule kind")
    func registered() {
        #expect(Self.registry.ruleKinds.map { $0.kind } == ["budget_maaltal"])
    }

    @Test("Before the year is over the budget estimate decides: 312 against måltal 274 — i risiko")
    func estimate() {
        let e = Self.evaluate([Self.obs("jammerbugt.budget_maaltal", 274), Self.obs("jammerbugt.budget_estimat", 312)], asOf: Day(year: 2020, month: 10, day: 1))
        #expect(e.status == .iRisiko)
        #expect(e.value == 312 && e.benchmark == 274)
        #expect(e.explanation.contains("estimeret 312"))
        #expect(e.explanation.contains("måltal: højst 274"))
    }

    @Test("After the year the actual helårspersoner decide")
    func actual() {
        let data = [Self.obs("jammerbugt.budget_maaltal", 274), Self.obs("jammerbugt.budget_estimat", 312), Self.obs("ydelse.helaarspersoner", 270)]
        let e = Self.evaluate(data, asOf: Day(year: 2021, month: 2, day: 1))
        #expect(e.status == .opfyldt)
        #expect(e.value == 270)
    }
}
