import BeskplanCore
import Evaluation

/// "Hvad er ændret siden sidste år": this year's plan against last year's stored plan, from the
/// plans and the data, never from prose. A target is the same target when it has the same id and
/// reads the same series, else when it reads the same series (measure and selection), else when it
/// follows up on the same thing; target ids are often renumbered from one year to the next.
enum Changes {
    static func blocks(_ c: ReportContext, last: (plan: Plan, evaluations: [TargetEvaluation])) -> [Block] {
        let new = targets(c.plan)
        let old = targets(last.plan)
        let pairs = matched(new, old)
        let added = new.filter { t in !pairs.contains { $0.new.id == t.id } }
        let removed = old.filter { t in !pairs.contains { $0.old.id == t.id } }
        let region = c.region
        func words(_ rule: Rule) -> String { RuleDescription.danish(rule, measures: c.measures, region: region, ruleKinds: c.ruleKinds) }
        let changed = pairs.filter { substance($0.old.rule) != substance($0.new.rule) }

        var blocks: [Block] = [
            .heading(Heading(level: 1, text: "Hvad er ændret siden sidste år", anchor: "aendringer", pageBreak: true)),
            .paragraph(summary(year: c.plan.year, lastYear: last.plan.year, new: new.count, old: old.count,
                               added: added.count, removed: removed.count, changed: changed.count, carried: pairs.count)),
        ]
        var rows: [[String]] = []
        rows += added.map { [$0.id, "–", $0.follows, "Nyt mål: " + words($0.rule)] }
        rows += changed.map { [$0.new.id, $0.old.id, $0.new.follows, "Før: \(words($0.old.rule)). Nu: \(words($0.new.rule))."] }
        rows += removed.map { ["–", $0.id, $0.follows, "Udgået"] }
        if !rows.isEmpty {
            blocks.append(.table(ReportTable(
                caption: "Ændrede resultatmål", header: ["Mål \(c.plan.year)", "Mål \(last.plan.year)", "Hvad følges der op på?", "Ændring"],
                rows: rows, source: "Kilde: planerne for \(last.plan.year) og \(c.plan.year)")))
        }
        let statuses = statusChanges(pairs, now: c.evaluations, before: last.evaluations)
        blocks.append(.heading(Heading(level: 2, text: "Mål med ny status", anchor: "aendringer-status")))
        blocks.append(statuses.isEmpty
            ? .paragraph("Ingen af de videreførte mål har skiftet status (vurderet pr. \(c.asOf.danishText)).")
            : .list(statuses.map { "\($0.target) \($0.follows): \($0.before) i \(last.plan.year), \($0.now) i \(c.plan.year)" }))
        let breaks = seriesBreaks(c, since: last.plan.year)
        blocks.append(.heading(Heading(level: 2, text: "Brud i talrækkerne", anchor: "aendringer-brud")))
        blocks.append(breaks.isEmpty
            ? .paragraph("Ingen af de talrækker, planen bruger, har brud fra \(last.plan.year) til og med \(c.plan.year).")
            : .list(breaks))
        return blocks
    }

    struct Target {
        let id: String
        let follows: String
        let rule: Rule
    }

    static func targets(_ plan: Plan) -> [Target] {
        plan.goals.flatMap { $0.targets.map { Target(id: $0.id, follows: $0.follows, rule: $0.rule) } }
    }

    /// Pairs of the same target in the two plans, each target in at most one pair.
    static func matched(_ new: [Target], _ old: [Target]) -> [(new: Target, old: Target)] {
        var pairs: [(new: Target, old: Target)] = []
        var taken = Set<String>()
        let tests: [(Target, Target) -> Bool] = [
            { $0.id == $1.id && series($0.rule) == series($1.rule) },
            { series($0.rule) != nil && series($0.rule) == series($1.rule) },
            { fold($0.follows) == fold($1.follows) },
        ]
        for test in tests {
            for target in new where !pairs.contains(where: { $0.new.id == target.id }) {
                if let partner = old.first(where: { !taken.contains($0.id) && test(target, $0) }) {
                    pairs.append((target, partner))
                    taken.insert(partner.id)
                }
            }
        }
        return pairs.sorted { a, b in new.firstIndex { $0.id == a.new.id }! < new.firstIndex { $0.id == b.new.id }! }
    }

    /// The series a rule reads: its measure and selection.
    static func series(_ rule: Rule) -> String? {
        rule.measure.map { m in m + (rule.select ?? [:]).sorted { $0.key < $1.key }.map { ";\($0.key)=\($0.value)" }.joined() }
    }

    /// What a rule asks, apart from its periods (which move on every year): the series it reads,
    /// its kind, comparison, value, red flag, comparison area, aggregate and direction.
    static func substance(_ rule: Rule) -> String {
        (series(rule) ?? "") + " " + goal(rule)
    }

    private static func goal(_ rule: Rule) -> String {
        switch rule {
        case .threshold(let r): "threshold \(r.op.rawValue) \(r.value) \(r.aggregate?.rawValue ?? "") \(r.redFlag.map { "\($0)" } ?? "")"
        case .benchmark(let r):
            "benchmark \(r.op.rawValue) \(r.against) \(r.offset.map { "\($0)" } ?? "") \(r.offsetUnit.map { "\($0)" } ?? "") \(r.aggregate?.rawValue ?? "")"
        case .development(let r): "development \(r.against) \(r.tolerance.map { "\($0)" } ?? "")"
        case .change(let r): "change \(r.direction.rawValue) \(r.aggregate?.rawValue ?? "")"
        case .deadline(let r): "deadline \(r.op.rawValue) \(r.value)"
        case .milestone(let r): "milestone \(r.description ?? "")"
        case .plugin(let r): "\(r.kind) " + r.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }

    static func statusChanges(
        _ pairs: [(new: Target, old: Target)], now: [TargetEvaluation], before: [TargetEvaluation]
    ) -> [(target: String, follows: String, before: String, now: String)] {
        let judged: Set<EvaluationStatus> = [.manglerData, .afventerVurdering]
        return pairs.compactMap { pair in
            guard let a = before.first(where: { $0.target == pair.old.id }), let b = now.first(where: { $0.target == pair.new.id }),
                a.status != b.status, !judged.contains(a.status), !judged.contains(b.status)
            else { return nil }
            return (pair.new.id, pair.new.follows, a.status.label, b.status.label)
        }
    }

    /// The breaks in the series this year's plan reads, from the start of last year to the end of this one.
    static func seriesBreaks(_ c: ReportContext, since year: Int) -> [String] {
        var seen = Set<String>()
        var lines: [String] = []
        for goal in c.plan.goals {
            for target in goal.targets {
                guard let measure = target.rule.measure, let definition = c.measures[measure] else { continue }
                let dimensions = target.rule.select ?? [:]
                for b in definition.breaks(dimensions) where (year...c.plan.year).contains(b.from.year) {
                    let line = "\(definition.name): \(b.danishDescription)"
                    if seen.insert(line).inserted { lines.append(line) }
                }
            }
        }
        return lines
    }

    private static func fold(_ text: String) -> String { DanishText.fold(text) }

    /// "Planen for 2020 har 8 resultatmål, planen for 2019 havde 13. Tre mål er nye, otte er udgået,
    /// og ingen har fået nye målsætninger; de øvrige fem er videreført med nye perioder."
    static func summary(year: Int, lastYear: Int, new: Int, old: Int, added: Int, removed: Int, changed: Int, carried: Int) -> String {
        let first = "Planen for \(year) har \(new) resultatmål, planen for \(lastYear) havde \(new == old ? "lige så mange" : String(old))."
        var second = "\(count(added, "mål er nyt", "mål er nye")), \(count(removed, "er udgået", "er udgået")), og "
            + count(changed, "har fået en ny målsætning", "har fået nye målsætninger")
        let unchanged = carried - changed
        if unchanged > 0 {
            second += unchanged == 1 ? "; det sidste er videreført med nye perioder" : "; de øvrige \(word(unchanged)) er videreført med nye perioder"
        }
        return first + " " + (second + ".").capitalizedFirst()
    }

    /// `tre mål er nye`, `et mål er nyt`, `ingen …`: small counts in words, as a sentence may start with them.
    private static func count(_ n: Int, _ one: String, _ many: String) -> String {
        n == 0 ? "ingen \(many)" : "\(n == 1 ? "et" : word(n)) \(n == 1 ? one : many)"
    }

    private static func word(_ n: Int) -> String {
        let words = ["nul", "et", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv"]
        return n < words.count ? words[n] : String(n)
    }
}
