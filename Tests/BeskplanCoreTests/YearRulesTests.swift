import BeskplanCore
import Testing

/// Each year's rules, from the reference file: what changed when, by which law, and what is only proposed.
struct YearRulesTests {
    @Test("2024: ministermål, RAR, jobcentret, the four conversations, 13 target groups")
    func before2025() {
        let rules = YearRules.of(2024)
        #expect(rules.goalSet == .ministermaal && rules.comparator == .rar && rules.organisation == .jobcenter)
        #expect(rules.contactRule == .fireSamtaler && rules.targetGroups == 13 && rules.changes.isEmpty && rules.proposals.isEmpty)
        #expect(rules.organisationDefinite == "jobcentret")
    }

    @Test("2025: no ministermål and the regional councils, by law 1656 of 2024")
    func from2025() {
        let rules = YearRules.of(2025)
        #expect(rules.goalSet == .none && rules.comparator == .regionaltBeskaeftigelsesraad && rules.organisation == .jobcenter)
        #expect(rules.changes.map(\.law) == ["Lov nr. 1656 af 30. december 2024"])
    }

    @Test("2026: kommunen instead of the jobcentre (1 February) and the 75 % rule (1 July), by law 1750 of 2025")
    func from2026() {
        let rules = YearRules.of(2026)
        #expect(rules.organisation == .kommunen && rules.contactRule == .procent75 && rules.organisationDefinite == "kommunen")
        #expect(rules.changes.map(\.from) == ["2025-01-01", "2026-02-01", "2026-07-01"])
        #expect(rules.proposals.isEmpty)
    }

    @Test("2027: the proposed five target groups are told as a proposal, not applied")
    func proposal2027() {
        let rules = YearRules.of(2027)
        #expect(rules.targetGroups == 13, "the law in force has 13")
        #expect(rules.proposals.map(\.targetGroups) == [5] && rules.proposals.allSatisfy { !$0.enacted })
        #expect(rules.proposals.first?.law == "lovforslag, ikke vedtaget" && rules.updated == Day(year: 2026, month: 12, day: 7))
    }
}
