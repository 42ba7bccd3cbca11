import BeskplanCore

/// `beskplan plan new KOMMUNE YEAR --from YEAR`: last year's plan carried forward, with every
/// change the new year's rules (`YearRules`) forced on it listed — made where the rules say
/// what to do, flagged for the analyst where they do not. Nothing is changed silently.
public enum PlanCarryForward {
    /// A draft for `year` (through `through`, for a plan over several years) from `previous`:
    /// every goal marked videreført; rule periods moved by the years between; minister goals
    /// re-numbered to the new year's ministermål (matched by what they are about, since numbers
    /// change) or made local where the goal no longer exists (from 2025 none do); a goal added
    /// for each new-year ministermål no goal serves yet; a RAR comparison made the region's.
    /// Over several years, each target is given once per year, its periods moved to that year.
    /// From a plan over several years, the targets of year `from` (default: its first) are carried.
    public static func carry(
        from whole: Plan, year from: Int? = nil, to year: Int, through: Int? = nil, ministermaal: MinistermaalCatalog = .standard
    ) -> Carried {
        let previous = whole.forYear(from ?? whole.year)
        let shift = year - previous.year
        let oldGoals = ministermaal.goals(for: previous.year)
        let newGoals = ministermaal.goals(for: year)
        let rules = YearRules.of(through ?? year)
        let forced = ForcedChanges(old: YearRules.of(previous.year), new: rules)
        var changes: [ForcedChange] = []
        var plan = previous
        plan.year = year
        plan.through = through.flatMap { $0 > year ? $0 : nil }
        plan.title = whole.title.contains(whole.periodLabel)
            ? whole.title.replacingOccurrences(of: whole.periodLabel, with: plan.periodLabel)
            : whole.title.replacingOccurrences(of: String(previous.year), with: plan.periodLabel)
        plan.status = .udkast
        plan.approvals = previous.approvals.map { Approval(body: $0.body, date: nil) }
        plan.goals = previous.goals.map { goal in
            var goal = goal
            goal.mark = .videreført
            let keys = goal.serves.compactMap { number in oldGoals.first { $0.number == number }?.key }
            goal.serves = keys.compactMap { key in newGoals.first { $0.key == key }?.number }
            if goal.kind == .minister && goal.serves.isEmpty {
                goal.kind = .local
                changes.append(forced.madeLocal(goal, year: year))
            }
            goal.targets = goal.targets.flatMap { target in
                var target = target
                target.year = nil
                if case .some(let rule) = forced.comparator(target.rule) {
                    target.rule = rule
                    changes.append(forced.toRegion(target))
                }
                let years = Array(plan.years)
                return years.map { y in
                    var copy = target
                    copy.rule = shifted(target.rule, years: shift + (y - year))
                    copy.year = years.count > 1 ? y : nil
                    return copy
                }
            }
            return goal
        }
        let served = Set(plan.goals.flatMap(\.serves))
        for minister in newGoals where !served.contains(minister.number) {
            plan.goals.append(Goal(
                id: "M\(minister.number)", kind: .minister, serves: [minister.number], mark: .nyt, title: minister.title))
            changes.append(ForcedChange(
                kind: .goalSet, applied: true,
                text: "Mål M\(minister.number) er tilføjet for ministermål \(minister.number), \(minister.title), som ingen af planens mål tjente."))
        }
        changes += forced.flags(plan)
        return Carried(plan: plan, changes: changes)
    }

    /// A carried plan and the changes the rules forced on it.
    public struct Carried: Sendable {
        public let plan: Plan
        public let changes: [ForcedChange]
    }

    static func shifted(_ rule: Rule, years n: Int) -> Rule {
        switch rule {
        case .threshold(var r):
            r.period = r.period.shifted(years: n)
            return .threshold(r)
        case .benchmark(var r):
            r.period = r.period.shifted(years: n)
            return .benchmark(r)
        case .development(var r):
            r.from = r.from.shifted(years: n)
            r.to = r.to.shifted(years: n)
            return .development(r)
        case .change(var r):
            r.from = r.from.shifted(years: n)
            r.to = r.to.shifted(years: n)
            return .change(r)
        case .deadline(var r):
            // The deadline stays; only the baseline moves up to the new plan's start.
            r.baseline = r.baseline.shifted(years: n)
            return .deadline(r)
        case .milestone(var r):
            r.due = r.due.flatMap { Day(iso: $0) }.map { d in
                let c = d.components
                return Day(year: c.year + n, month: c.month, day: c.month == 2 && c.day == 29 ? 28 : c.day).description
            }
            return .milestone(r)
        case .plugin(var r):
            if let y = r.parameters["year"].flatMap(Int.init) { r.parameters["year"] = String(y + n) }
            return .plugin(r)
        }
    }
}
