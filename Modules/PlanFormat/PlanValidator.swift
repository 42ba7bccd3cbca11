import BeskplanCore
import Evaluation

/// Checks a decoded plan against the catalogs: measures, areas, dimension values, rule kinds,
/// ministermål of the plan's year, ids and dates. Every problem is located and, where a name
/// is close to a known one, says which.
struct PlanValidator {
    let catalog: PlanCatalog
    let locator: NodeLocator
    private typealias Key = NodeLocator.Key

    init(catalog: PlanCatalog, locator: NodeLocator) {
        self.catalog = catalog
        self.locator = locator
    }

    func problems(in plan: Plan) -> [PlanError] {
        var problems: [PlanError] = []
        func fail(_ path: [Key], _ message: String) { problems.append(locator.error(path, message)) }

        if let area = catalog.areas[plan.kommune], area.kind == .kommune {
            // fine
        } else {
            let suggestion = catalog.areas.find(plan.kommune.rawValue).map { " (\($0.name) is a \($0.kind.rawValue))" } ?? ""
            fail([.name("kommune")], "'\(plan.kommune)' is not a kommune code\(suggestion)")
        }
        for (i, approval) in plan.approvals.enumerated() {
            if let date = approval.date, Day(iso: date) == nil {
                fail([.name("approvals"), .index(i), .name("date")], "'\(date)' is not a date (YYYY-MM-DD)")
            }
        }
        let ministermaal = catalog.ministermaal.goals(for: plan.year)
        var goalIDs = Set<String>()
        // A target id names one target in each year: a plan over several years may give "1.1"
        // for 2026 and "1.1" for 2027, each with its `year`.
        var targetIDs = Set<String>()
        let withoutYear = Set(plan.targets.filter { $0.year == nil }.map(\.id))
        for (g, goal) in plan.goals.enumerated() {
            let at: [Key] = [.name("goals"), .index(g)]
            if !goalIDs.insert(goal.id).inserted { fail(at + [.name("id")], "goal id '\(goal.id)' is used twice") }
            for (s, number) in goal.serves.enumerated() where !ministermaal.contains(where: { $0.number == number }) {
                fail(at + [.name("serves"), .index(s)], ministermaalProblem(number, year: plan.year, available: ministermaal))
            }
            if goal.kind == .minister && goal.serves.isEmpty {
                fail(at + [.name("serves")], "a minister goal names the ministermål it serves (serves: [1])")
            }
            for (t, target) in goal.targets.enumerated() {
                let path = at + [.name("targets"), .index(t)]
                if !targetIDs.insert(target.key).inserted
                    || (target.year != nil && withoutYear.contains(target.id))
                {
                    fail(path + [.name("id")], "target id '\(target.id)' is used twice")
                }
                if let year = target.year, !plan.years.contains(year) {
                    fail(path + [.name("year")], "the target is for \(year), outside the plan's period \(plan.periodLabel)")
                }
                let judged = plan.years.filter { target.isFor(year: $0, in: plan.years) }
                problems += rule(target.rule, at: path + [.name("rule")], years: judged)
            }
        }
        return problems
    }

    private func ministermaalProblem(_ number: Int, year: Int, available: [Ministermaal]) -> String {
        if available.isEmpty {
            if year >= catalog.ministermaal.abolished.fromYear {
                return "there are no ministermål from \(catalog.ministermaal.abolished.fromYear) (\(catalog.ministermaal.abolished.law)); make it a local goal"
            }
            return "beskplan knows no ministermål for \(year)"
        }
        return "ministermål \(number) does not exist in \(year) (\(year) has \(available.map { String($0.number) }.joined(separator: ", ")))"
    }

    /// The rule's problems; `years`: the plan years the target is followed up in, whose rules
    /// (`YearRules`) it must keep.
    private func rule(_ rule: Rule, at path: [Key], years: [Int]) -> [PlanError] {
        var problems: [PlanError] = []
        func fail(_ sub: [Key], _ message: String) { problems.append(locator.error(path + sub, message)) }
        func measure(_ id: MeasureID, _ key: String = "measure") -> MeasureDefinition? {
            do {
                return try catalog.measures.lookup(id)
            } catch {
                fail([.name(key)], error.description)
                return nil
            }
        }
        func selection(_ select: [String: String]?, _ definition: MeasureDefinition?) {
            guard let definition else { return }
            for (name, value) in select ?? [:] {
                guard definition.dimensions.contains(name) else {
                    let has = definition.dimensions.isEmpty ? "none" : definition.dimensions.joined(separator: ", ")
                    fail([.name("select"), .name(name)], "\(definition.id) has no dimension '\(name)' (it has: \(has))")
                    continue
                }
                do {
                    try catalog.dimensions.validate(dimension: name, value: value)
                } catch {
                    fail([.name("select"), .name(name)], error.description)
                }
            }
            for name in definition.dimensions where select?[name] == nil {
                fail([.name("measure")], "\(definition.id) is split by '\(name)'; choose one with select: { \(name): … }")
            }
        }
        func against(_ benchmark: BenchmarkArea) {
            switch benchmark {
            case .area(let code):
                if catalog.areas[code] == nil { fail([.name("against"), .name("area")], "unknown area code '\(code)'") }
            case .expected(let id):
                _ = measure(id, "against")
            case .rar:
                // A RAR comparator is the rule of 2024 and before (YearRules.comparator).
                if let year = years.first(where: { YearRules.of($0).comparator != .rar }) {
                    let law = YearRules.of(year).changes.last { $0.comparator != nil }.map { " (\($0.law))" } ?? ""
                    fail([.name("against")], "there is no RAR comparator in \(year): the regional labour-market councils were replaced by one council per region from 2025\(law); compare with the region (against: region)")
                }
            case .region, .country:
                break
            }
        }
        func order(_ from: Period, _ to: Period, _ key: String) {
            if !(from < to) { fail([.name(key)], "'\(to)' must come after '\(from)'") }
        }
        switch rule {
        case .threshold(let r):
            selection(r.select, measure(r.measure))
            if let red = r.redFlag, let problem = Self.redFlagProblem(r.op, goal: r.value, redFlag: red) {
                fail([.name("redFlag")], problem)
            }
            if let problem = Self.seventyFivePercentProblem(r) { fail([.name("value")], problem) }
        case .benchmark(let r):
            selection(r.select, measure(r.measure))
            against(r.against)
        case .development(let r):
            selection(r.select, measure(r.measure))
            against(r.against)
            order(r.from, r.to, "to")
        case .change(let r):
            selection(r.select, measure(r.measure))
            order(r.from, r.to, "to")
        case .deadline(let r):
            selection(r.select, measure(r.measure))
            order(r.baseline, r.deadline, "deadline")
        case .milestone(let r):
            if let due = r.due, Day(iso: due) == nil { fail([.name("due")], "'\(due)' is not a date (YYYY-MM-DD)") }
        case .plugin(let r):
            guard let kind = catalog.ruleKinds[r.kind] else {
                let known = Rule.builtInKinds + catalog.ruleKinds.keys.sorted()
                let hint = DanishText.closest(to: r.kind, among: known).map { "; did you mean '\($0)'?" } ?? ""
                fail([.name("kind")], "unknown rule kind '\(r.kind)'\(hint)")
                break
            }
            do {
                try kind.validate(r, measures: catalog.measures)
            } catch {
                fail([error.parameter.map(Key.name) ?? .name("kind")], "\(r.kind): \(error.description)")
            }
        }
        return problems
    }

    /// A goal for the 75 % rule that the law does not allow: a share below 75 % or an exemption
    /// above 25 % (Lov nr. 1750 af 2025).
    static func seventyFivePercentProblem(_ r: ThresholdRule) -> String? {
        if r.measure == SeventyFivePercent.share, [.atLeast, .above].contains(r.op), r.value < SeventyFivePercent.required {
            return "the 75 % rule asks for at least \(SeventyFivePercent.required.planText) %; a goal of \(r.value.planText) % is below it"
        }
        if r.measure == SeventyFivePercent.exempted, [.atMost, .below].contains(r.op), r.value > SeventyFivePercent.exemptionCap {
            return "the kommune may exempt at most \(SeventyFivePercent.exemptionCap.planText) % from the 75 % rule; \(r.value.planText) % is above it"
        }
        return nil
    }

    /// The red flag marks how far from the goal a figure may be and still be *i risiko*, so it
    /// lies beyond the goal: above it for `<=`/`<`, below it for `>=`/`>`; `=` has no side.
    static func redFlagProblem(_ op: Comparison, goal: Double, redFlag: Double) -> String? {
        switch op {
        case .atMost where redFlag <= goal, .below where redFlag <= goal:
            return "redFlag \(redFlag.planText) must lie beyond the goal: above \(goal.planText) for '\(op.rawValue)'"
        case .atLeast where redFlag >= goal, .above where redFlag >= goal:
            return "redFlag \(redFlag.planText) must lie beyond the goal: below \(goal.planText) for '\(op.rawValue)'"
        case .equal:
            return "redFlag needs a direction; with '=' there is no side of the goal for it to lie on"
        default:
            return nil
        }
    }
}

extension Double {
    /// A number as the plan language writes it: `80`, `2.5`; never a trap for a huge or infinite one.
    var planText: String { isFinite && abs(self) < 1e15 && self == rounded() ? String(Int(self)) : String(self) }
}
