import BeskplanCore
import TestSupport
import Testing

@Suite("Periods")
struct PeriodTests {
    @Test(
        "Every accepted notation parses to the same period",
        arguments: [
            ("2024", Period.year(2024)),
            ("2024H1", .half(2024, 1)), ("2024-S2", .half(2024, 2)), ("2024-H1", .half(2024, 1)),
            ("2019K2", .quarter(2019, 2)), ("2019Q2", .quarter(2019, 2)), ("2019-Q2", .quarter(2019, 2)),
            ("2019k2", .quarter(2019, 2)),
            ("2019M05", .month(2019, 5)), ("2019-05", .month(2019, 5)),
            ("2023U33", .week(2023, 33)), ("2023-W33", .week(2023, 33)), ("2023W33", .week(2023, 33)),
            (" 2020U53 ", .week(2020, 53)),
            ("2022QMAT04", .rollingYear(2022, 4)), ("2022qmat02", .rollingYear(2022, 2)),
        ])
    func parsesAcceptedForms(text: String, expected: Period) throws {
        #expect(try Period(parsing: text) == expected)
    }

    @Test("Canonical and ISO notations are written as documented")
    func formats() {
        #expect(Period.quarter(2019, 2).description == "2019K2")
        #expect(Period.month(2019, 5).description == "2019M05")
        #expect(Period.week(2023, 3).description == "2023U03")
        #expect(Period.half(2024, 1).description == "2024H1")
        #expect(Period.month(2019, 5).isoDescription == "2019-05")
        #expect(Period.week(2023, 33).isoDescription == "2023-W33")
        #expect(Period.quarter(2019, 2).isoDescription == "2019-Q2")
    }

    @Test(
        "Malformed periods are refused with the accepted forms",
        arguments: ["", "19", "2019X2", "2019K", "2019M5", "2019-5", "20l9", "2019K2x", "abcd", "2019--Q2", "2019-M05"])
    func refusesMalformed(text: String) {
        #expect(throws: PeriodError.self) { try Period(parsing: text) }
        do {
            _ = try Period(parsing: text)
        } catch {
            #expect(error.description.contains("2019K2"))
            #expect(error.description.contains("2023U33"))
        }
    }

    @Test("Out-of-range parts name the valid range", arguments: [
        ("2019K5", "quarter must be 1–4 in 2019"), ("2019M13", "month must be 1–12 in 2019"), ("2019M00", "month must be 1–12 in 2019"),
        ("2021U53", "week must be 1–52 in 2021"), ("2024H3", "half must be 1–2 in 2024"),
        ("2022QMAT05", "the quarter a rolling year ends with must be 1–4 in 2022"),
    ])
    func refusesOutOfRange(text: String, reason: String) {
        #expect {
            try Period(parsing: text)
        } throws: { error in
            (error as? PeriodError)?.description == "'\(text)' is not a valid period: \(reason)"
        }
    }

    @Test("ISO week rules at year edges")
    func isoWeekEdges() {
        // 2019-12-30 (Monday) starts week 1 of 2020; 2021-01-03 (Sunday) is in week 53 of 2020.
        #expect(Period.week(containing: Day(year: 2019, month: 12, day: 30)) == .week(2020, 1))
        #expect(Period.week(containing: Day(year: 2021, month: 1, day: 3)) == .week(2020, 53))
        #expect(Period.week(containing: Day(year: 2021, month: 1, day: 4)) == .week(2021, 1))
        #expect(Period.weeksIn(isoYear: 2020) == 53)
        #expect(Period.weeksIn(isoYear: 2015) == 53)
        #expect(Period.weeksIn(isoYear: 2023) == 52)
        #expect(Period.week(2023, 33).firstDay == Day(year: 2023, month: 8, day: 14))
        #expect(Period.week(2020, 53).next == .week(2021, 1))
        #expect(Period.week(2021, 1).previous == .week(2020, 53))
    }

    @Test("A year holds its halves, quarters, months and ISO weeks")
    func containment() {
        let year = Period.year(2020)
        #expect(year.subperiods(.quarter) == [.quarter(2020, 1), .quarter(2020, 2), .quarter(2020, 3), .quarter(2020, 4)])
        #expect(year.subperiods(.half).count == 2)
        #expect(year.subperiods(.month).count == 12)
        #expect(year.subperiods(.week).count == 53)
        #expect(year.subperiods(.week).first == .week(2020, 1))
        #expect(Period.year(2021).subperiods(.week).first == .week(2021, 1))
        #expect(year.contains(.week(2020, 1)))  // starts 2019-12-30, but its Thursday is in 2020
        #expect(!Period.year(2019).contains(.week(2020, 1)))
        #expect(Period.quarter(2019, 2).contains(.month(2019, 6)))
        #expect(!Period.quarter(2019, 2).contains(.month(2019, 7)))
        #expect(Period.half(2019, 1).contains(.quarter(2019, 2)))
        #expect(!Period.quarter(2019, 2).contains(.year(2019)))
        #expect(!Period.week(2019, 10).contains(.month(2019, 3)))
        #expect(Period.month(2019, 5).contains(.month(2019, 5)))
        #expect(Period.quarter(2019, 2).subperiods(.year).isEmpty)
    }

    @Test("Time order puts a longer period before the shorter ones it starts with")
    func ordering() {
        let sorted: [Period] = [.month(2019, 1), .quarter(2019, 2), .year(2019), .quarter(2019, 1), .half(2019, 1)].sorted()
        #expect(sorted == [.year(2019), .half(2019, 1), .quarter(2019, 1), .month(2019, 1), .quarter(2019, 2)])
        #expect(Period.year(2018) < .month(2018, 12))
        #expect(Period.month(2018, 12) < .year(2019))
    }

    @Test("Time order is by first day, then longest first, for any two periods of any kinds")
    func orderingByFirstDay() {
        var random = SeededGenerator(for: "orderingByFirstDay")
        func any() -> Period {
            let y = Int.random(in: 1990...2030, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0: return .year(y)
            case 1: return .half(y, .random(in: 1...2, using: &random))
            case 2: return .quarter(y, .random(in: 1...4, using: &random))
            case 3: return .month(y, .random(in: 1...12, using: &random))
            case 4: return .week(y, .random(in: 1...52, using: &random))
            default: return .rollingYear(y, .random(in: 1...4, using: &random))
            }
        }
        for _ in 0..<20_000 {
            let a = any(), b = Bool.random(using: &random) ? any() : a.advanced(by: .random(in: -3...3, using: &random))
            let byDay = a.firstDay != b.firstDay ? a.firstDay < b.firstDay : a.granularity.rawValue < b.granularity.rawValue
            #expect((a < b) == byDay, "\(a) < \(b)")
        }
    }

    @Test("Ranges iterate from one end to the other and refuse mixed kinds")
    func ranges() throws {
        let range = try PeriodRange(.quarter(2018, 2), .quarter(2019, 2))
        #expect(Array(range).count == 5)
        #expect(range.contains(.month(2018, 4)))
        #expect(!range.contains(.month(2019, 7)))
        #expect(throws: PeriodError.self) { try PeriodRange(.quarter(2019, 2), .year(2019)) }
        #expect(throws: PeriodError.self) { try PeriodRange(.year(2020), .year(2019)) }
    }

    @Test("Property: round trips, neighbours and covering sub-periods hold for random periods")
    func properties() throws {
        var rng = SeededGenerator(for: "period properties")
        for _ in 0..<3000 {
            let p = rng.period()
            #expect(try Period(parsing: p.description) == p)
            #expect(try Period(parsing: p.isoDescription) == p)
            #expect(p.next.previous == p)
            #expect(p < p.next)
            #expect(p.next.firstDay == p.lastDay.advanced(by: 1))
            #expect(p.contains(p.firstDay) && p.contains(p.lastDay))
            #expect(Period.starting(at: p.firstDay, granularity: p.granularity) == p)
            if p.granularity < .month {
                let months = p.subperiods(.month)
                #expect(months.first?.firstDay == p.firstDay)
                #expect(months.last?.lastDay == p.lastDay)
                #expect(months.allSatisfy(p.contains))
            }
            let n = Int(rng.next() % 200) - 100
            #expect(p.advanced(by: n).advanced(by: -n) == p)
        }
    }

    @Test("A rolling year is the twelve months ending with its quarter: it holds its quarters and lies in no other period")
    func rollingYears() throws {
        let p = Period.rollingYear(2022, 2)
        #expect(p.description == "2022QMAT02" && p.isoDescription == "2022QMAT02")
        #expect(p.danishLabel == "12 mdr. til og med 2. kvartal 2022")
        #expect(p.firstDay == Day(year: 2021, month: 7, day: 1) && p.lastDay == Day(year: 2022, month: 6, day: 30))
        #expect(p.next == .rollingYear(2022, 3) && Period.rollingYear(2022, 4).next == .rollingYear(2023, 1))
        #expect(p.sameInPreviousYear == .rollingYear(2021, 2) && p.previous == .rollingYear(2022, 1))
        #expect(p.subperiods(.quarter) == [.quarter(2021, 3), .quarter(2021, 4), .quarter(2022, 1), .quarter(2022, 2)])
        #expect(p.contains(.month(2021, 7)) && !p.contains(.month(2021, 6)) && !p.contains(.year(2022)))
        #expect(!Period.year(2022).contains(.rollingYear(2022, 4)), "a published rolling figure is never summed into a year")
        #expect(Period.year(2022).subperiods(.rollingYear).isEmpty)
        #expect(Period.starting(at: p.firstDay, granularity: .rollingYear) == p)
        #expect(Period.year(2022) < .rollingYear(2022, 4) && Period.month(2022, 1) < .rollingYear(2022, 4))
        #expect([Period.rollingYear(2023, 1), .rollingYear(2022, 4), .quarter(2022, 3)].sorted()
            == [.rollingYear(2022, 4), .rollingYear(2023, 1), .quarter(2022, 3)], "by first day, as every period")
        #expect(try PeriodRange(.rollingYear(2022, 3), .rollingYear(2023, 2)).map(\.description)
            == ["2022QMAT03", "2022QMAT04", "2023QMAT01", "2023QMAT02"])
        #expect(throws: PeriodError.self) { try Period(parsing: "2022-QMAT04") }
        #expect(throws: PeriodError.self) { try Period(parsing: "2022QMAT4") }
    }

    @Test("Days convert to and from civil dates")
    func days() {
        #expect(Day(year: 1970, month: 1, day: 1).number == 0)
        #expect(Day(year: 2000, month: 3, day: 1).components == (2000, 3, 1))
        #expect(Day(year: 2024, month: 2, day: 29).advanced(by: 1) == Day(year: 2024, month: 3, day: 1))
        #expect(Day(year: 2023, month: 8, day: 14).isoWeekday == 1)
        #expect(Day(iso: "2024-02-30") == nil)
        #expect(Day(iso: "2024-02-29")?.description == "2024-02-29")
        #expect(Day(iso: "0018-01-15")?.description == "0018-01-15", "the text reads back as the same day")
    }
}

extension SeededGenerator {
    mutating func period() -> Period {
        let year = 1990 + Int(next() % 60)
        switch next() % 5 {
        case 0: return .year(year)
        case 1: return .half(year, 1 + Int(next() % 2))
        case 2: return .quarter(year, 1 + Int(next() % 4))
        case 3: return .month(year, 1 + Int(next() % 12))
        default: return .week(year, 1 + Int(next() % UInt64(Period.weeksIn(isoYear: year))))
        }
    }
}
