import BeskplanCore
import Foundation
import PlanFormat
import Testing

/// Plans over several years, each year's rules in the validator, the 75 % rule's goal, and the
/// carry from one set of rules to the next (issue 27).
@Suite("Plan periods and year rules")
struct PlanPeriodTests {
    /// Norddjurs' 2024 plan carried into 2026–2027, written as YAML and read back.
    static func norddjurs2026to2027() throws -> (Plan, [ForcedChange]) {
        let carried = PlanCarryForward.carry(from: try Seeds.plan("norddjurs-2024.yaml"), to: 2026, through: 2027)
        return (try PlanFile.parse(try PlanFile.yaml(carried.plan), file: "norddjurs.yaml", catalog: Seeds.catalog), carried.changes)
    }

    @Test("A plan over 2026–2027: written as a period, each target once per year, each year reads its own")
    func multiYear() throws {
        let (plan, _) = try Self.norddjurs2026to2027()
        #expect(plan.years == 2026...2027 && plan.periodLabel == "2026–2027")
        #expect(plan.title.contains("2026–2027") && !plan.title.contains("2024"), "\(plan.title)")
        // Carried on from a year inside the period: one year, titled by it, that year's targets.
        let next = PlanCarryForward.carry(from: plan, year: 2027, to: 2028).plan
        #expect(next.periodLabel == "2028" && next.title.contains("2028") && !next.title.contains("2026") && !next.title.contains("2027"), "\(next.title)")
        #expect(next.targets.map(\.id) == plan.forYear(2027).targets.map(\.id) && next.targets.allSatisfy { $0.year == nil })
        #expect(try PlanFile.yaml(plan).contains("period: 2026–2027"))
        let seed = try Seeds.plan("norddjurs-2024.yaml")
        #expect(plan.targets.count == seed.targets.count * 2)
        for year in [2026, 2027] {
            let one = plan.forYear(year)
            #expect(one.year == year && one.through == nil)
            #expect(one.targets.map(\.id) == seed.targets.map(\.id), "each year has every target once")
            #expect(one.targets.allSatisfy { $0.year == year })
            let ends = Set(one.targets.compactMap(\.rule.endYear).filter { $0 < 2030 })
            #expect(ends == [year], "the rules of \(year) are judged in \(year): \(ends)")
        }
    }

    @Test("A target without a year belongs to the year its rule ends in, or to every year when that is outside the period")
    func targetYears() throws {
        let text = try Seeds.text("norddjurs-2024.yaml").replacingOccurrences(of: "year: 2024", with: "period: 2024–2026")
        let plan = try PlanFile.parse(text, file: "n.yaml", catalog: Seeds.catalog)
        #expect(plan.years == 2024...2026)
        let longHorizon = plan.targets.filter { ($0.rule.endYear ?? 0) > 2026 }.map(\.id)
        #expect(!longHorizon.isEmpty, "Norddjurs has goals for 2030")
        #expect(plan.forYear(2024).targets.count == plan.targets.count)
        #expect(plan.forYear(2025).targets.map(\.id) == longHorizon, "2025 follows up only the goals beyond the period")
        #expect(plan.forYear(2026).targets.map(\.id) == longHorizon)
    }

    @Test("Validator: a year outside the period, both year and period, a ministermål in 2026, a RAR comparator in 2025")
    func yearRuleMessages() throws {
        var problems = try Seeds.problems("norddjurs-2024.yaml", replacing: "year: 2024", with: "period: 2024-2025\nyear: 2024")
        #expect(problems.contains { $0.message.contains("give either year or period, not both") })

        let (plan, _) = try Self.norddjurs2026to2027()
        let yaml = try PlanFile.yaml(plan).replacingOccurrences(of: "  year: 2027", with: "  year: 2029")
        do {
            _ = try PlanFile.parse(yaml, file: "n.yaml", catalog: Seeds.catalog)
            Issue.record("a target for 2029 in a plan for 2026–2027 was accepted")
        } catch {
            #expect(error.errors.contains { $0.message == "the target is for 2029, outside the plan's period 2026–2027" && $0.line > 0 })
        }

        problems = try Seeds.problems("samsoe-2024.yaml", replacing: "year: 2024", with: "year: 2026")
        #expect(problems.contains { $0.message.contains("there are no ministermål from 2025") && $0.line > 1 }, "\(problems)")

        let rar = "against: rar"
        problems = try Seeds.problems("norddjurs-2024.yaml", replacing: "against: country, op: \">=\" }", with: "\(rar), op: \">=\" }")
        #expect(problems.isEmpty, "a RAR comparator is the rule in 2024: \(problems)")
        let text = try Seeds.text("norddjurs-2024.yaml")
            .replacingOccurrences(of: "against: country, op: \">=\" }", with: "\(rar), op: \">=\" }")
            .replacingOccurrences(of: "year: 2024", with: "year: 2025").replacingOccurrences(of: "period: \"2024\"", with: "period: \"2025\"")
        do {
            _ = try PlanFile.parse(text, file: "n.yaml", catalog: Seeds.catalog)
            Issue.record("a RAR comparator in 2025 was accepted")
        } catch {
            let rarLine = text.components(separatedBy: "\n").firstIndex { $0.contains(rar) }.map { $0 + 1 }
            let found = error.errors.filter { $0.message.hasPrefix("there is no RAR comparator in 2025") }
            #expect(found.count == 2 && found.allSatisfy { $0.message.contains("Lov nr. 1656") }, "\(error)")
            #expect(found.first?.line == rarLine, "the error is at the line of the comparator")
        }
    }

    @Test("The 75 % rule's goal validates; a goal below 75 % or an exemption above 25 % does not")
    func seventyFivePercent() throws {
        var plan = try Seeds.plan("norddjurs-2024.yaml")
        plan.year = 2027
        plan.goals = [SeventyFivePercent.goal(year: 2027)]
        let yaml = try PlanFile.yaml(plan)
        #expect(yaml.contains("value: 75") && yaml.contains("value: 25"), "numbers as a plan writes them")
        #expect(try PlanFile.parse(yaml, file: "p.yaml", catalog: Seeds.catalog).targets.count == 2)
        let broken = yaml.replacingOccurrences(of: "value: 75", with: "value: 70").replacingOccurrences(of: "value: 25", with: "value: 30")
        do {
            _ = try PlanFile.parse(broken, file: "p.yaml", catalog: Seeds.catalog)
            Issue.record("a 70 % goal and a 30 % exemption were accepted")
        } catch {
            #expect(error.errors.map(\.message) == [
                "the 75 % rule asks for at least 75 %; a goal of 70 % is below it",
                "the kommune may exempt at most 25 % from the 75 % rule; 30 % is above it",
            ])
        }
    }

    @Test("Carried from 2024 into 2026–2027: every forced change listed, made or flagged, nothing silently")
    func carryIntoTodaysRules() throws {
        let (plan, changes) = try Self.norddjurs2026to2027()
        let seed = try Seeds.plan("norddjurs-2024.yaml")
        let ministerGoals = seed.goals.filter { $0.kind == .minister }
        #expect(!ministerGoals.isEmpty && plan.goals.allSatisfy { $0.kind == .local })
        let madeLocal = changes.filter { $0.kind == .goalSet && $0.applied }
        #expect(madeLocal.count == ministerGoals.count)
        #expect(madeLocal.first?.description == "Ændret: Mål \(ministerGoals[0].id), \(ministerGoals[0].title), er nu et lokalt mål: ministermålene er afskaffet (Lov nr. 1656 af 30. december 2024, fra 1. januar 2025).")
        #expect(changes.contains { $0.kind == .organisation && !$0.applied && $0.text.contains("afsnittet »Indledning«") && $0.text.contains("Lov nr. 1750 af 2025, fra 1. februar 2026") })
        #expect(changes.contains { $0.kind == .contactRule && !$0.applied && $0.text.contains("; tjek mål 1.2, som følger op på samtaler; planen har intet mål for den") })
        #expect(changes.contains { $0.kind == .targetGroups && !$0.applied && $0.text.hasPrefix("Foreslået fra 1. januar 2027, ikke vedtaget pr. 7. december 2026") })
        #expect(changes.contains { $0.kind == .goalSet && !$0.applied && $0.text.contains("afsnittet »Forord«") }, "the foreword names the ministermål")

        // A RAR comparison in 2024 becomes the region's in 2025, and says so.
        var rar = seed
        rar.goals = rar.goals.map { goal in
            var goal = goal
            goal.targets = goal.targets.map { target in
                var target = target
                if case .benchmark(var r) = target.rule, r.against == .country { r.against = .rar; target.rule = .benchmark(r) }
                return target
            }
            return goal
        }
        let carried = PlanCarryForward.carry(from: rar, to: 2025)
        let regional = carried.changes.filter { $0.kind == .comparator }
        #expect(regional.count == 3 && regional.allSatisfy(\.applied))
        #expect(regional.first?.text.hasPrefix("Mål 6.1 sammenligner nu med regionen i stedet for RAR-området") == true, "\(regional)")
        #expect(!carried.plan.targets.contains { if case .benchmark(let r) = $0.rule { r.against == .rar } else { false } })
        #expect(!carried.changes.contains { $0.kind == .organisation }, "2025 still has jobcentre")
    }
}
