import BeskplanCore

/// `beskplan plan new KOMMUNE YEAR --from YEAR`: last year's plan carried forward.
public enum PlanCarryForward {
    /// A draft for `year` from `previous`: every goal marked videreført; rule periods moved by the
    /// years between; minister goals re-numbered to the new year's ministermål (matched by what
    /// they are about, since numbers change) or made local where the goal no longer exists
    /// (from 2025 none do); a goal added for each new-year ministermål no goal serves yet.
    public static func plan(from previous: Plan, to year: Int, ministermaal: MinistermaalCatalog = .standard) -> Plan {
        let shift = year - previous.year
        let oldGoals = ministermaal.goals(for: previous.year)
        let newGoals = ministermaal.goals(for: year)
        var plan = previous
        plan.year = year
        plan.title = previous.title.replacingOccurrences(of: String(previous.year), with: String(year))
        plan.status = .udkast
        plan.approvals = previous.approvals.map { Approval(body: $0.body, date: nil) }
        plan.goals = previous.goals.map { goal in
            var goal = goal
            goal.mark = .videreført
            let keys = goal.serves.compactMap { number in oldGoals.first { $0.number == number }?.key }
            goal.serves = keys.compactMap { key in newGoals.first { $0.key == key }?.number }
            if goal.kind == .minister && goal.serves.isEmpty { goal.kind = .local }
            goal.targets = goal.targets.map { target in
                var target = target
                target.rule = shifted(target.rule, years: shift)
                return target
            }
            return goal
        }
        let served = Set(plan.goals.flatMap(\.serves))
        for minister in newGoals where !served.contains(minister.number) {
            plan.goals.append(Goal(
                id: "M\(minister.number)", kind: .minister, serves: [minister.number], mark: .nyt, title: minister.title))
        }
        return plan
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
