/// The time a figure describes: a year, a half, a quarter, a month, an ISO week, or a rolling year
/// (the twelve months ending with a quarter, as Jobindsats publishes its benchmarks).
///
/// Danish notation is canonical (`2024`, `2024H1`, `2019K2`, `2019M05`, `2023U33`, and Jobindsats'
/// `2022QMAT04`); the SDMX/ISO forms (`2019-Q2`, `2019Q2`, `2019-05`, `2023-W33`) are read too.
/// Periods nest: a quarter lies in its year and half; a week lies in the month, quarter, half and
/// ISO year of its Thursday. A rolling year holds its four quarters but lies in no other period.
public enum Period: Hashable, Sendable {
    case year(Int)
    case half(Int, Int)
    case quarter(Int, Int)
    case month(Int, Int)
    /// ISO year and ISO week (1–52 or 53).
    case week(Int, Int)
    /// The twelve months ending with the given quarter (1–4) of the year: `2022QMAT04` is
    /// 2022K1–2022K4, `2022QMAT02` is 2021K3–2022K2.
    case rollingYear(Int, Int)

    /// The kind of period, longest first. The raw value is stored (`PeriodKey`) and never reused.
    public enum Granularity: Int, Comparable, Sendable, CaseIterable, Codable {
        case year, half, quarter, month, week, rollingYear = 5

        /// Longest first; a rolling year is as long as a year.
        private var order: Int {
            switch self {
            case .year: 0
            case .rollingYear: 1
            case .half: 2
            case .quarter: 3
            case .month: 4
            case .week: 5
            }
        }

        public static func < (lhs: Granularity, rhs: Granularity) -> Bool { lhs.order < rhs.order }
    }

    public var granularity: Granularity {
        switch self {
        case .year: .year
        case .half: .half
        case .quarter: .quarter
        case .month: .month
        case .week: .week
        case .rollingYear: .rollingYear
        }
    }

    /// The calendar (or ISO) year the period belongs to; for a rolling year, the year it ends in.
    public var year: Int {
        switch self {
        case .year(let y), .half(let y, _), .quarter(let y, _), .month(let y, _), .week(let y, _),
            .rollingYear(let y, _):
            y
        }
    }

    /// The first day of the period (a Monday for weeks).
    public var firstDay: Day {
        switch self {
        case .year(let y): Day(year: y, month: 1, day: 1)
        case .half(let y, let h): Day(year: y, month: h * 6 - 5, day: 1)
        case .quarter(let y, let q): Day(year: y, month: q * 3 - 2, day: 1)
        case .month(let y, let m): Day(year: y, month: m, day: 1)
        case .week(let y, let w): Period.mondayOfWeekOne(isoYear: y).advanced(by: (w - 1) * 7)
        case .rollingYear(let y, let q): Period.quarter(y, q).advanced(by: -3).firstDay
        }
    }

    /// The last day of the period.
    public var lastDay: Day {
        switch self {
        case .week: firstDay.advanced(by: 6)
        case .rollingYear(let y, let q): Period.quarter(y, q).lastDay
        default: next.firstDay.advanced(by: -1)
        }
    }

    /// The period right after this one, of the same granularity (a rolling year moves a quarter).
    public var next: Period { advanced(by: 1) }

    /// The period right before this one, of the same granularity.
    public var previous: Period { advanced(by: -1) }

    /// The same period one year earlier (`2019K2` → `2018K2`); week 53 falls back to week 52.
    public var sameInPreviousYear: Period {
        switch self {
        case .year(let y): .year(y - 1)
        case .half(let y, let h): .half(y - 1, h)
        case .quarter(let y, let q): .quarter(y - 1, q)
        case .month(let y, let m): .month(y - 1, m)
        case .week(let y, let w): .week(y - 1, min(w, Period.weeksIn(isoYear: y - 1)))
        case .rollingYear(let y, let q): .rollingYear(y - 1, q)
        }
    }

    /// The same period `n` years later (week 53 becomes week 52 in a year without one).
    public func shifted(years n: Int) -> Period {
        switch self {
        case .year(let y): .year(y + n)
        case .half(let y, let h): .half(y + n, h)
        case .quarter(let y, let q): .quarter(y + n, q)
        case .month(let y, let m): .month(y + n, m)
        case .week(let y, let w): .week(y + n, min(w, Period.weeksIn(isoYear: y + n)))
        case .rollingYear(let y, let q): .rollingYear(y + n, q)
        }
    }

    /// The period `n` steps later (or earlier, for negative `n`), of the same granularity.
    public func advanced(by n: Int) -> Period {
        switch self {
        case .year(let y): return .year(y + n)
        case .half(let y, let h): return Period.split(y * 2 + h - 1 + n, by: 2) { .half($0, $1) }
        case .quarter(let y, let q): return Period.split(y * 4 + q - 1 + n, by: 4) { .quarter($0, $1) }
        case .month(let y, let m): return Period.split(y * 12 + m - 1 + n, by: 12) { .month($0, $1) }
        case .week:
            return Period.week(containing: firstDay.advanced(by: 7 * n))
        case .rollingYear(let y, let q): return Period.split(y * 4 + q - 1 + n, by: 4) { .rollingYear($0, $1) }
        }
    }

    /// Whether `other` lies within this period. A period contains itself; a rolling year lies in
    /// no other period (its value is published, never summed from or into calendar periods).
    public func contains(_ other: Period) -> Bool {
        if self == other { return true }
        guard granularity < other.granularity, other.granularity != .rollingYear else { return false }
        if case .week = other {
            let thursday = other.firstDay.advanced(by: 3)
            return firstDay <= thursday && thursday <= lastDay
        }
        if case .week = self { return false }
        return firstDay <= other.firstDay && other.lastDay <= lastDay
    }

    /// Whether the day falls within this period.
    public func contains(_ day: Day) -> Bool { firstDay <= day && day <= lastDay }

    /// The periods of a finer granularity that lie in this one, in order
    /// (`2019` → its four quarters; `2020` → ISO weeks 1–53 of 2020).
    public func subperiods(_ granularity: Granularity) -> [Period] {
        guard granularity >= self.granularity else { return [] }
        if granularity == self.granularity { return [self] }
        var first = Period.starting(at: firstDay, granularity: granularity)
        if granularity == .week, !contains(first) { first = first.next }
        var result: [Period] = []
        var p = first
        while contains(p) {
            result.append(p)
            p = p.next
        }
        return result
    }

    /// The period of the given granularity that contains the day (for weeks: the ISO week; for
    /// rolling years: the one that starts with the day's quarter).
    public static func starting(at day: Day, granularity: Granularity) -> Period {
        let c = day.components
        switch granularity {
        case .rollingYear:
            guard case .quarter(let y, let q) = starting(at: day, granularity: .quarter).advanced(by: 3) else {
                preconditionFailure("a quarter advanced is a quarter")
            }
            return .rollingYear(y, q)
        case .year: return .year(c.year)
        case .half: return .half(c.year, c.month <= 6 ? 1 : 2)
        case .quarter: return .quarter(c.year, (c.month - 1) / 3 + 1)
        case .month: return .month(c.year, c.month)
        case .week: return week(containing: day)
        }
    }

    /// The ISO week that contains the day.
    public static func week(containing day: Day) -> Period {
        let thursday = day.advanced(by: 4 - day.isoWeekday)
        let isoYear = thursday.components.year
        let week = (thursday.number - mondayOfWeekOne(isoYear: isoYear).number) / 7 + 1
        return .week(isoYear, week)
    }

    /// 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or is a leap year
    /// starting on a Wednesday.
    public static func weeksIn(isoYear: Int) -> Int {
        let jan1 = Day(year: isoYear, month: 1, day: 1).isoWeekday
        return jan1 == 4 || (jan1 == 3 && Day.isLeap(isoYear)) ? 53 : 52
    }

    /// Monday of ISO week 1: the week that holds 4 January.
    static func mondayOfWeekOne(isoYear: Int) -> Day {
        let jan4 = Day(year: isoYear, month: 1, day: 4)
        return jan4.advanced(by: 1 - jan4.isoWeekday)
    }

    private static func split(_ index: Int, by n: Int, _ make: (Int, Int) -> Period) -> Period {
        let year = index >= 0 ? index / n : (index - n + 1) / n
        return make(year, index - year * n + 1)
    }
}

extension Period: Comparable {
    /// Time order: by first day, and a longer period before the shorter ones it starts with
    /// (`2019` < `2019H1` < `2019K1` < `2019M01` < `2019K2`); a rolling year after every calendar
    /// period it starts with (`2019M01` < `2019QMAT04`), as the stored keys sort (`PeriodKey`).
    public static func < (lhs: Period, rhs: Period) -> Bool {
        // Two periods of one calendar kind are in the order of their year and number; a series is
        // sorted by this often, so it is told without working out two days.
        switch (lhs, rhs) {
        case (.year(let a), .year(let b)): return a < b
        case (.half(let a, let i), .half(let b, let j)),
            (.quarter(let a, let i), .quarter(let b, let j)),
            (.month(let a, let i), .month(let b, let j)):
            return (a, i) < (b, j)
        default:
            let l = lhs.firstDay, r = rhs.firstDay
            if l != r { return l < r }
            return lhs.granularity.rawValue < rhs.granularity.rawValue
        }
    }
}
