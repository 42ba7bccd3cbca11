import BeskplanCore

/// A change the new year's rules forced on a carried plan: made by the carry (`applied`), or
/// flagged for the analyst where the rules do not say what the plan should become.
public struct ForcedChange: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case goalSet, comparator, organisation, contactRule, targetGroups
    }

    public let kind: Kind
    public let applied: Bool
    /// What was changed, or what to look at, in Danish, with the law that forced it.
    public let text: String

    public init(kind: Kind, applied: Bool, text: String) {
        self.kind = kind
        self.applied = applied
        self.text = text
    }

    /// "Ændret: …" or "Tjek: …", as the command line and the plan page list them.
    public var description: String { (applied ? "Ændret: " : "Tjek: ") + text }
}

/// The rule changes between the year a plan is carried from and the year it is carried to, and
/// what each asks of the plan.
struct ForcedChanges {
    let old: YearRules
    let new: YearRules

    /// The enacted changes in force in the new year that were not in the old.
    var enacted: [YearRules.Change] { new.changes.filter { !old.changes.contains($0) } }

    private func law(_ pick: (YearRules.Change) -> Bool) -> String {
        enacted.last(where: pick).map { " (\($0.law), fra \(Day(iso: $0.from)?.danishText ?? $0.from))" } ?? ""
    }

    func madeLocal(_ goal: Goal, year: Int) -> ForcedChange {
        let why = new.goalSet == .none
            ? "ministermålene er afskaffet\(law { $0.goalSet != nil })"
            : "ministermålet findes ikke i \(year)"
        return ForcedChange(kind: .goalSet, applied: true, text: "Mål \(goal.id), \(goal.title), er nu et lokalt mål: \(why).")
    }

    /// The rule with a RAR comparison made the region's, when the new year has no RAR.
    func comparator(_ rule: Rule) -> Rule? {
        guard new.comparator != .rar else { return nil }
        switch rule {
        case .benchmark(var r) where r.against == .rar:
            r.against = .region
            return .benchmark(r)
        case .development(var r) where r.against == .rar:
            r.against = .region
            return .development(r)
        default:
            return nil
        }
    }

    func toRegion(_ target: Target) -> ForcedChange {
        ForcedChange(
            kind: .comparator, applied: true,
            text: "Mål \(target.id) sammenligner nu med regionen i stedet for RAR-området: de regionale arbejdsmarkedsråd er afløst af ét beskæftigelsesråd pr. region\(law { $0.comparator != nil }).")
    }

    /// What the carry cannot decide: wording that names the jobcenter, the new contact rule, and
    /// target groups changed or proposed to change.
    func flags(_ plan: Plan) -> [ForcedChange] {
        var flags: [ForcedChange] = []
        if old.goalSet == .ministermaal, new.goalSet == .none {
            let places = plan.sections.filter { $0.text.lowercased().contains("minister") }.map { "afsnittet »\($0.title)«" }
            if !places.isEmpty {
                flags.append(ForcedChange(
                    kind: .goalSet, applied: false,
                    text: "Teksten nævner ministermålene i \(DanishText.list(places)); de er afskaffet\(law { $0.goalSet != nil })."))
            }
        }
        if old.organisation == .jobcenter, new.organisation == .kommunen {
            let places = Self.jobcenterMentions(plan)
            if !places.isEmpty {
                flags.append(ForcedChange(
                    kind: .organisation, applied: false,
                    text: "Teksten nævner jobcentret i \(DanishText.list(places)); opgaverne er kommunens\(law { $0.organisation != nil }). beskplan retter ikke jeres tekst."))
            }
        }
        if old.contactRule != new.contactRule, new.contactRule == .procent75 {
            let has = plan.targets.contains { $0.rule.measure.map(SeventyFivePercent.measures.contains) == true }
            // Targets that follow up the conversations the old rule counted.
            let conversations = Array(Set(plan.targets.filter { ($0.follows + " " + $0.measures).lowercased().contains("samtale") }
                .map(\.id))).sorted()
            let check = conversations.isEmpty ? "" : "; tjek \(conversations.count == 1 ? "mål" : "målene") \(DanishText.list(conversations)), som følger op på samtaler"
            flags.append(ForcedChange(
                kind: .contactRule, applied: false,
                text: "75 %-reglen afløser de fire samtaler\(law { $0.contactRule != nil })\(check)"
                    + (has ? "; tjek planens mål for den." : "; planen har intet mål for den (skabelonen: beskplan plan template 75procent).")))
        }
        if old.targetGroups != new.targetGroups {
            flags.append(ForcedChange(
                kind: .targetGroups, applied: false,
                text: "Der er nu \(new.targetGroups) målgrupper\(law { $0.targetGroups != nil }); beskplan ved ikke, hvordan de gamle svarer til de nye, så tjek hvert måls målgruppe."))
        }
        for proposal in new.proposals where !old.proposals.contains(proposal) {
            let asOf = new.updated.map { " pr. \($0.danishText)" } ?? ""
            flags.append(ForcedChange(
                kind: proposal.targetGroups != nil ? .targetGroups : .goalSet, applied: false,
                text: "Foreslået fra \(Day(iso: proposal.from)?.danishText ?? proposal.from), ikke vedtaget\(asOf): \(proposal.summary) Planen er ikke ændret."))
        }
        return flags
    }

    /// Where the plan's text names the jobcenter: its title, sections, goals and targets.
    static func jobcenterMentions(_ plan: Plan) -> [String] {
        func names(_ text: String?) -> Bool { text?.lowercased().contains("jobcent") == true }
        var places: [String] = []
        if names(plan.title) { places.append("titlen") }
        for section in plan.sections where names(section.text) || names(section.title) {
            places.append("afsnittet »\(section.title)«")
        }
        for goal in plan.goals {
            let inTargets = goal.targets.contains { t in
                [t.follows, t.measures, t.followUp?.audience, t.followUp?.source].contains(where: names)
            }
            if names(goal.title) || names(goal.text) || goal.actions.contains(where: names) || inTargets {
                places.append("mål \(goal.id)")
            }
        }
        return places
    }
}
