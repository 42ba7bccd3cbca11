import AppSupport
import Foundation
import Reports
import Testing

/// A plan's report takes its wording from its year's rules.
struct YearRulesReportTests {
    @Test("A 2026 plan: the year's changes with their laws, kommunen instead of jobcentret; a 2027 plan tells the proposal as one")
    func wording() async throws {
        let env = try await DemoReports.environment()
        let scope = try #require(KommuneScope(try env.kommune("vesthimmerland")))
        _ = try await PlanWorkflow(env).carryForward(scope, from: 2020, to: 2026, author: "test")
        let md2026 = MarkdownRenderer.render(try await DemoReports.document(env, "vesthimmerland", 2026, .plan))
        #expect(md2026.contains("## Regler for 2026"))
        #expect(md2026.contains("- Fra 1. februar 2026: Kravet om et jobcenter er afskaffet: opgaverne ligger hos kommunen, med ét indgangssted for virksomhederne (Lov nr. 1750 af 2025)."), "\(md2026)")
        #expect(md2026.contains("- Fra 1. juli 2026: De fire samtaler og det skærpede tilsyn er afløst af 75 %-reglen"))
        #expect(md2026.contains("## Udviklingen i kommunens målgrupper") && !md2026.contains("jobcentrets målgrupper"))
        #expect(!md2026.contains("Foreslået"), "no proposal for 2026")
        #expect(md2026.contains("**Vesthimmerlands Kommune** · Beskæftigelsesindsatsen · Udkast") && !md2026.contains("Jobcenter Vesthimmerland ·"), "no jobcenter on the title page")

        let evaluations = try await PlanService(env).evaluate(try await PlanService(env).require(scope, year: 2026).plan, asOf: DemoReports.asOf, for: .members)
        let milestone = try #require(evaluations.first { $0.target == "6.1.2" })
        #expect(milestone.explanation == "Målet vurderes af kommunen, ikke ud fra tal, og er ikke vurderet endnu.")

        _ = try await PlanWorkflow(env).carryForward(scope, from: 2026, to: 2027, author: "test")
        let md2027 = MarkdownRenderer.render(try await DemoReports.document(env, "vesthimmerland", 2027, .plan))
        #expect(md2027.contains("Foreslået, men ikke vedtaget pr. 7. december 2026:"))
        #expect(md2027.contains("- Fra 1. januar 2027: En ny hovedlov, der samler de 13 målgrupper i 5; om den årlige beskæftigelsesplan bevares, vides ikke (lovforslag, ikke vedtaget)."))
        _ = try await PlanWorkflow(env).carryForward(scope, from: 2027, to: 2028, author: "test")
        let md2028 = MarkdownRenderer.render(try await DemoReports.document(env, "vesthimmerland", 2028, .plan))
        #expect(!md2028.contains("## Regler for 2028"), "a proposal is told in its own year only")
        // The 2024 and earlier seed plans: no rules section (their goldens are unchanged).
        let md2020 = MarkdownRenderer.render(try await DemoReports.document(env, "vesthimmerland", 2020, .plan))
        #expect(!md2020.contains("## Regler for") && md2020.contains("## Udviklingen i jobcentrets målgrupper"))
    }
}
