import AppSupport
import Foundation
import Reports
import Testing

/// "Hvad er ændret siden sidste år": built from the two plans and the data.
struct ChangesTests {
    /// The section's Markdown, from its heading to the next top-level heading.
    static func section(_ md: String) -> String? {
        guard let start = md.range(of: "## Hvad er ændret siden sidste år") else { return nil }
        let rest = md[start.lowerBound...]
        let end = rest.dropFirst(3).range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    @Test("Vesthimmerland 2019 → 2020: renumbered targets that read the same series are the same target; new and ended ones are listed")
    func vesthimmerland() async throws {
        let env = try await DemoReports.environment()
        let md = MarkdownRenderer.render(try await DemoReports.document(env, "vesthimmerland", 2020, .plan))
        let section = try #require(Self.section(md))
        #expect(section.contains("Planen for 2020 har 8 resultatmål, planen for 2019 havde 13. Tre mål er nye, otte er udgået, og ingen har fået nye målsætninger; de øvrige fem er videreført med nye perioder."), "\(section)")
        #expect(section.contains("| 6.1.3 | – | Småjob | Nyt mål: Stigning fra 2019 til 2020 |"))
        #expect(section.contains("| – | 4.7 | Sygedagpenge | Udgået |"))
        // 6.4.1 (2020) reads what 4.1 (2019) read, and 6.5.1 what 4.5 read: carried, not new and ended.
        for id in ["6.4.1", "6.5.1", "6.5.2", "6.1.1", "6.2.1"] { #expect(!section.contains("| \(id) |"), "\(id) is carried on") }
        #expect(section.contains("### Brud i talrækkerne") && section.contains("Ingen af de talrækker, planen bruger, har brud fra 2019 til og med 2020."))
        // The section stands before the status of last year's targets.
        #expect(md.range(of: "## Hvad er ændret")!.lowerBound < md.range(of: "## Status på resultatmål for 2019")!.lowerBound)
    }

    @Test("A plan carried forward unchanged has no changed targets; a new threshold is shown before and after")
    func carriedForward() async throws {
        let env = try await DemoReports.environment()
        let scope = try #require(KommuneScope(try env.kommune("vesthimmerland")))
        _ = try await PlanWorkflow(env).carryForward(scope, from: 2020, to: 2021, author: "test")
        var md = MarkdownRenderer.render(try await DemoReports.document(env, "vesthimmerland", 2021, .plan))
        var section = try #require(Self.section(md))
        #expect(section.contains("Planen for 2021 har 8 resultatmål, planen for 2020 havde lige så mange. Ingen mål er nye, ingen er udgået, og ingen har fået nye målsætninger; de øvrige otte er videreført med nye perioder."), "\(section)")
        #expect(!section.contains("Ændrede resultatmål"), "no table when nothing changed")

        // The analyst raises target 6.1.4 from 90 % to 95 %.
        let service = PlanService(env)
        var plan = try await service.require(scope, year: 2021)
        let goal = try #require(plan.plan.goals.firstIndex { $0.id == "6.1" })
        let target = try #require(plan.plan.goals[goal].targets.firstIndex { $0.id == "6.1.4" })
        guard case .threshold(var rule) = plan.plan.goals[goal].targets[target].rule else { Issue.record("6.1.4 is a threshold"); return }
        rule.value = 95
        plan.plan.goals[goal].targets[target].rule = .threshold(rule)
        try await service.save(plan.plan, expecting: plan.info.version, author: "test")
        md = MarkdownRenderer.render(try await DemoReports.document(env, "vesthimmerland", 2021, .plan))
        section = try #require(Self.section(md))
        #expect(section.contains("Ingen mål er nye, ingen er udgået, og et har fået en ny målsætning; de øvrige syv er videreført med nye perioder."), "\(section)")
        #expect(section.contains("| 6.1.4 | 6.1.4 | Rekruttering Himmerland | Før: Mindst 90 % (2020). Nu: Mindst 95 % (2021). |"), "\(section)")
    }

    @Test("A break in a series the plan reads, in the year it comes, is named with both tables")
    func seriesBreak() async throws {
        let env = try await DemoReports.environment()
        let scope = try #require(KommuneScope(try env.kommune("vesthimmerland")))
        _ = try await PlanWorkflow(env).carryForward(scope, from: 2020, to: 2024, author: "test")
        _ = try await PlanWorkflow(env).carryForward(scope, from: 2024, to: 2025, author: "test")
        let md = MarkdownRenderer.render(try await DemoReports.document(env, "vesthimmerland", 2025, .plan))
        let section = try #require(Self.section(md))
        #expect(section.contains("brud i serien fra juli 2025 (y38b15 → y60b15)"), "\(section)")
        #expect(section.components(separatedBy: "brud i serien").count == 2, "one line per break")
    }
}
