/// The 75 % rule (from 1 July 2026): the share of the ledige close to the labour market who had
/// jobsamtaler and at least one tilbud in their first 6 months, and the share the kommune exempted
/// (at most 25 %). No public table publishes either; the kommune types them in.
public enum SeventyFivePercent {
    public static let share: MeasureID = "kontakt.75procent.andel"
    public static let exempted: MeasureID = "kontakt.75procent.undtaget"
    public static var measures: Set<MeasureID> { [share, exempted] }
    /// The most the kommune may exempt, in per cent.
    public static let exemptionCap = 25.0
    /// The least share the rule asks for, in per cent.
    public static let required = 75.0

    /// The template (`beskplan plan template 75procent`): a local goal with the share at least
    /// 75 % and the exempted share at most 25 % in `year`, followed up each quarter.
    public static func goal(year: Int) -> Goal {
        func followUp() -> FollowUp {
            FollowUp(frequency: .kvartalsvis, audience: "Beskæftigelsesudvalget", source: "Kommunens egne tal (fagsystemet)")
        }
        return Goal(
            id: "75", kind: .local, mark: .nyt, title: "Jobsamtaler og tilbud til ledige tæt på arbejdsmarkedet (75 %-reglen)",
            targets: [
                Target(
                    id: "75.1", follows: "Ledige tæt på arbejdsmarkedet i deres første 6 måneder",
                    measures: "Andel med jobsamtaler og mindst ét tilbud",
                    rule: .threshold(ThresholdRule(measure: share, period: .year(year), aggregate: .last, op: .atLeast, value: required)),
                    followUp: followUp()),
                Target(
                    id: "75.2", follows: "Ledige, som kommunen har undtaget fra 75 %-reglen",
                    measures: "Andel undtaget",
                    rule: .threshold(ThresholdRule(measure: exempted, period: .year(year), aggregate: .last, op: .atMost, value: exemptionCap)),
                    followUp: followUp()),
            ])
    }
}
