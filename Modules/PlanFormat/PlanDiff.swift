import BeskplanCore

/// What changed between two plans (two versions, or two years), goal by goal.
public enum PlanDiff {
    /// One line per change, in plan order: `+ goal 7: …`, `- goal 3: …`, `~ goal 2 title: "…" → "…"`.
    /// `rule` words a rule (the short form by default; a page passes one with the measures' names).
    public static func changes(from old: Plan, to new: Plan, rule: (Rule) -> String = RuleText.summary) -> [String] {
        var lines: [String] = []
        if old.title != new.title { lines.append("~ title: \(q(old.title)) → \(q(new.title))") }
        if old.status != new.status { lines.append("~ status: \(old.status.rawValue) → \(new.status.rawValue)") }
        if old.approvals != new.approvals {
            lines.append("~ approvals: \(approvals(old)) → \(approvals(new))")
        }
        let oldSections = Dictionary(old.sections.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for section in new.sections {
            guard let before = oldSections[section.id] else {
                lines.append("+ section \(section.id): \(section.title)")
                continue
            }
            if before != section { lines.append("~ section \(section.id): text changed") }
        }
        for section in old.sections where !new.sections.contains(where: { $0.id == section.id }) {
            lines.append("- section \(section.id): \(section.title)")
        }
        let oldGoals = Dictionary(old.goals.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for goal in new.goals {
            guard let before = oldGoals[goal.id] else {
                lines.append("+ goal \(goal.id): \(goal.title) (\(goal.targets.count) targets)")
                continue
            }
            lines += goalChanges(before, goal, rule: rule)
        }
        for goal in old.goals where !new.goals.contains(where: { $0.id == goal.id }) {
            lines.append("- goal \(goal.id): \(goal.title)")
        }
        return lines
    }

    private static func goalChanges(_ a: Goal, _ b: Goal, rule: (Rule) -> String) -> [String] {
        var lines: [String] = []
        let g = "goal \(b.id)"
        if a.title != b.title { lines.append("~ \(g) title: \(q(a.title)) → \(q(b.title))") }
        if a.kind != b.kind { lines.append("~ \(g) kind: \(a.kind.rawValue) → \(b.kind.rawValue)") }
        if a.serves != b.serves { lines.append("~ \(g) serves: \(a.serves) → \(b.serves)") }
        if a.mark != b.mark { lines.append("~ \(g) mark: \(a.mark?.rawValue ?? "-") → \(b.mark?.rawValue ?? "-")") }
        if a.text != b.text { lines.append("~ \(g) text changed") }
        for action in b.actions where !a.actions.contains(action) { lines.append("+ \(g) action: \(action)") }
        for action in a.actions where !b.actions.contains(action) { lines.append("- \(g) action: \(action)") }
        let oldTargets = Dictionary(a.targets.map { ($0.key, $0) }, uniquingKeysWith: { x, _ in x })
        for target in b.targets {
            let t = "\(g) target \(target.id)" + (target.year.map { " (\($0))" } ?? "")
            guard let before = oldTargets[target.key] else {
                lines.append("+ \(t): \(target.follows)")
                continue
            }
            if before.follows != target.follows { lines.append("~ \(t) follows: \(q(before.follows)) → \(q(target.follows))") }
            if before.measures != target.measures { lines.append("~ \(t) measures: \(q(before.measures)) → \(q(target.measures))") }
            if before.rule != target.rule { lines.append("~ \(t) rule: \(rule(before.rule)) → \(rule(target.rule))") }
            if before.followUp != target.followUp { lines.append("~ \(t) follow-up changed") }
        }
        for target in a.targets where !b.targets.contains(where: { $0.key == target.key }) {
            lines.append("- \(g) target \(target.id): \(target.follows)")
        }
        return lines
    }

    private static func q(_ text: String) -> String { "\"\(text)\"" }

    private static func approvals(_ plan: Plan) -> String {
        plan.approvals.map { "\($0.body) \($0.date ?? "–")" }.joined(separator: ", ")
    }
}

/// Short, stable one-line forms of rules, for diffs and tables.
public enum RuleText {
    public static func summary(_ rule: Rule) -> String {
        switch rule {
        case .threshold(let r): "\(r.measure) \(r.aggregate?.rawValue ?? "") \(r.period) \(r.op.rawValue) \(num(r.value))"
        case .benchmark(let r): "\(r.measure) \(r.period) \(r.op.rawValue) \(against(r.against))\(r.offset.map { " + \(num($0))" } ?? "")"
        case .development(let r): "\(r.measure) \(r.from)–\(r.to) vs \(against(r.against))"
        case .change(let r): "\(r.measure) \(r.from)–\(r.to) \(r.direction.rawValue)"
        case .deadline(let r): "\(r.measure) \(r.op.rawValue) \(num(r.value)) by \(r.deadline)"
        case .milestone(let r): "milestone\(r.description.map { ": \($0)" } ?? "")"
        case .plugin(let r): "\(r.kind) " + r.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }

    private static func against(_ b: BenchmarkArea) -> String {
        switch b {
        case .region: "region"
        case .country: "country"
        case .rar: "rar"
        case .area(let code): "area \(code)"
        case .expected(let m): "expected \(m)"
        }
    }

    private static func num(_ v: Double) -> String { v.planText }
}
