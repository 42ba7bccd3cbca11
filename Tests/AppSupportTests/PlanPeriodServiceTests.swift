import AppSupport
import Foundation
import PlanFormat
import Reports
import Testing

/// A plan over several years in the store: found by any year in it, evaluated and reported per
/// year; and the 75 % rule's goal evaluated from figures typed in as the data page saves them.
@Suite("Plan periods in the store")
struct PlanPeriodServiceTests {
    @Test("The demo's 2026–2027 plan: stored under 2026, found from 2027, each year evaluated and rendered with its own targets")
    func demoPlan() async throws {
        let env = try await DemoReports.environment()
        let scope = try #require(KommuneScope(try env.kommune("norddjurs")))
        let plans = PlanService(env)
        let stored = try #require(try await plans.current(scope, year: 2027))
        #expect(stored.info.year == 2026 && stored.plan.periodLabel == "2026–2027")
        #expect(stored.plan.title == "Beskæftigelsesplan 2026–2027 (lavet af beskplans demo)")
        #expect(try await plans.current(scope, year: 2028) == nil)
        #expect(try await plans.versions(scope, year: 2027).map(\.version) == [1], "the versions of 2027 are the period's")

        let in2026 = try await plans.evaluate(stored.plan.forYear(2026), asOf: DemoReports.asOf, for: .members)
        let in2027 = try await plans.evaluate(stored.plan.forYear(2027), asOf: DemoReports.asOf, for: .members)
        #expect(in2027.count == in2026.count + 2, "2027 adds the 75 % rule's two targets")
        #expect(in2027.contains { $0.target == "75.1" } && !in2026.contains { $0.target == "75.1" })

        let md = MarkdownRenderer.render(try await DemoReports.document(env, "norddjurs", 2027, .plan))
        #expect(md.hasPrefix("# Beskæftigelsesplan 2026–2027 (lavet af beskplans demo)"))
        #expect(md.contains("Denne plan er lavet af beskplans demo og er ikke vedtaget af Norddjurs Kommune."))
        #expect(md.contains("## Mål for beskæftigelsesindsatsen i 2027") && md.contains("## Status på resultatmål for 2026"))
        #expect(md.contains("## Regler for 2027"))

        // A new plan for a year the period covers is refused: which plan 2027 reads would depend on the order of saving.
        await #expect {
            try await PlanWorkflow(env).carryForward(scope, from: 2026, to: 2027, author: "test")
        } throws: { ($0 as? Refusal)?.detail == "2027 er med i planen for 2026–2027; ret i den i stedet." }
        var overlapping = stored.plan
        overlapping.year = 2025
        overlapping.through = 2026
        overlapping.status = .udkast
        await #expect(throws: Refusal.self) { try await PlanService(env).save(overlapping, expecting: 0, author: "test") }

        // Carried on from the period's last year: a one-year plan for 2028 with 2027's targets.
        let (info, _) = try await PlanWorkflow(env).carryForward(scope, from: 2027, to: 2028, author: "test")
        let carried = try #require(try await plans.current(scope, year: 2028))
        #expect(info.year == 2028 && carried.plan.through == nil)
        #expect(carried.plan.targets.map(\.id) == stored.plan.forYear(2027).targets.map(\.id))
        #expect(carried.plan.targets.allSatisfy { $0.year == nil })
    }

    @Test("The 75 % rule from typed-in figures: met at 80 % with 20 % exempted; not met while more than 25 % is exempted")
    func seventyFivePercent() async throws {
        let env = try await AppEnvironment.open(database: .memory)
        let scope = try #require(KommuneScope(try env.kommune("samsoe")))
        let plan = Plan(kommune: scope.code, year: 2027, title: "Plan 2027", goals: [SeventyFivePercent.goal(year: 2027)])
        try await PlanService(env).save(plan, expecting: 0, author: "test")
        let figures = LocalFigures(env)
        let series = figures.series(plan)
        #expect(Set(series.map(\.measure)) == SeventyFivePercent.measures, "both figures are the kommune's to type in")
        func type(share: Double, exempted: Double) async throws -> [TargetEvaluation] {
            var values: [String: [Period: Double]] = [:]
            for s in series { values[s.id] = [.year(2027): s.measure == SeventyFivePercent.share ? share : exempted] }
            _ = try await figures.save(values, plan: plan, comment: "fagsystemet", actor: "test")
            return try await PlanService(env).evaluate(plan, asOf: Day(year: 2028, month: 1, day: 20), for: .members)
        }
        var evaluations = try await type(share: 80, exempted: 20)
        let share = try #require(evaluations.first { $0.target == "75.1" })
        #expect(share.status == .opfyldt)
        #expect(share.explanation.contains("80,0 %") && share.explanation.contains("undtaget: 20,0 % (højst 25 %)"), "\(share.explanation)")
        evaluations = try await type(share: 80, exempted: 30)
        let capped = try #require(evaluations.first { $0.target == "75.1" })
        #expect(capped.status == .ikkeOpfyldt)
        #expect(capped.explanation.contains("men kommunen har undtaget 30,0 %, mere end de højst 25 %, reglen tillader"), "\(capped.explanation)")
        #expect(evaluations.first { $0.target == "75.2" }?.status == .ikkeOpfyldt)
    }
}
