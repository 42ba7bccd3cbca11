/// One kommune's employment plan (beskæftigelsesplan) for one year or a period of years
/// (Faxe 2024–2026). A plan of several years is stored under its first year and found by any
/// year in it; `forYear` is what one year's follow-up, evaluation and report read.
public struct Plan: Hashable, Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        case udkast, godkendt
    }

    public var kommune: AreaCode
    /// The plan's (first) year.
    public var year: Int
    /// The last year of a plan over several years (`period: 2024–2026`); `nil` for one year.
    public var through: Int?
    public var title: String
    public var status: Status
    /// The approval chain, in order (udvalg → økonomiudvalg → kommunalbestyrelse).
    public var approvals: [Approval]
    /// Narrative sections (forord, indledning, …).
    public var sections: [Section]
    public var goals: [Goal]

    public init(
        kommune: AreaCode, year: Int, through: Int? = nil, title: String, status: Status = .udkast,
        approvals: [Approval] = [], sections: [Section] = [], goals: [Goal] = []
    ) {
        self.kommune = kommune
        self.year = year
        self.through = through
        self.title = title
        self.status = status
        self.approvals = approvals
        self.sections = sections
        self.goals = goals
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kommune = try c.decode(AreaCode.self, forKey: .kommune)
        if c.contains(.period) {
            guard !c.contains(.year) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .period, in: c, debugDescription: "give either year or period, not both")
            }
            (year, through) = try Self.period(c)
        } else {
            year = try c.decode(Int.self, forKey: .year)
        }
        title = try c.decode(String.self, forKey: .title)
        status = try c.decodeIfPresent(Status.self, forKey: .status) ?? .udkast
        approvals = try c.decodeIfPresent([Approval].self, forKey: .approvals) ?? []
        sections = try c.decodeIfPresent([Section].self, forKey: .sections) ?? []
        goals = try c.decodeIfPresent([Goal].self, forKey: .goals) ?? []
    }

    private enum CodingKeys: String, CodingKey {
        case kommune, year, period, title, status, approvals, sections, goals
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kommune, forKey: .kommune)
        if through != nil { try c.encode(periodLabel, forKey: .period) } else { try c.encode(year, forKey: .year) }
        try c.encode(title, forKey: .title)
        try c.encode(status, forKey: .status)
        try c.encode(approvals, forKey: .approvals)
        try c.encode(sections, forKey: .sections)
        try c.encode(goals, forKey: .goals)
    }

    /// `period: 2024–2026` (an en dash or a hyphen), or one year.
    private static func period(_ c: KeyedDecodingContainer<CodingKeys>) throws -> (Int, Int?) {
        if let one = try? c.decode(Int.self, forKey: .period) { return (one, nil) }
        let text = try c.decode(String.self, forKey: .period)
        let parts = text.split(whereSeparator: { $0 == "–" || $0 == "-" }).map { Int(String($0.filter { !$0.isWhitespace })) }
        guard parts.count == 2, let first = parts[0], let last = parts[1], first <= last, last - first <= 9 else {
            throw DecodingError.dataCorruptedError(
                forKey: .period, in: c, debugDescription: "expected a period of years such as 2024–2026, got '\(text)'")
        }
        return (first, last == first ? nil : last)
    }

    /// Every year the plan covers.
    public var years: ClosedRange<Int> { year...(through ?? year) }

    /// "2024–2026", or "2024".
    public var periodLabel: String { through.map { "\(year)–\($0)" } ?? String(year) }

    /// Every target of the plan, goal by goal.
    public var targets: [Target] { goals.flatMap(\.targets) }

    /// The plan as one of its years reads it: that year, and the targets for it (`Target.isFor`).
    /// A plan of one year is itself.
    public func forYear(_ year: Int) -> Plan {
        guard through != nil else { return self }
        var plan = self
        plan.year = year
        plan.through = nil
        // A goal whose targets are all for other years is not the year's; a goal without
        // targets (narrative, actions) is every year's.
        plan.goals = goals.compactMap { goal in
            var kept = goal
            kept.targets = goal.targets.filter { $0.isFor(year: year, in: years) }
            return kept.targets.isEmpty && !goal.targets.isEmpty ? nil : kept
        }
        return plan
    }
}

/// A body that approved (or is to approve) the plan, and when.
public struct Approval: Hashable, Sendable, Codable {
    public var body: String
    /// ISO date `YYYY-MM-DD`; `nil` while pending.
    public var date: String?

    public init(body: String, date: String? = nil) {
        self.body = body
        self.date = date
    }
}

/// A narrative section of the plan.
public struct Section: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var text: String

    public init(id: String, title: String, text: String) {
        self.id = id
        self.title = title
        self.text = text
    }
}

/// A goal: a ministermål as the kommune takes it up, or a local goal.
/// In the plan language `serves`, `actions` and `targets` may be left out.
public struct Goal: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable {
        case minister, local
    }

    /// Number or label as the plan writes it ("1", "6.1", "Samsø-mål").
    public var id: String
    public var kind: Kind
    /// Numbers of the ministermål of the plan's year the goal serves (Samsø: `[2, 5]`).
    public var serves: [Int]
    /// Whether the goal is new this year or carried over from last year's plan.
    public var mark: Ministermaal.Mark?
    public var title: String
    public var text: String?
    /// Handlinger.
    public var actions: [String]
    public var targets: [Target]

    public init(
        id: String, kind: Kind, serves: [Int] = [], mark: Ministermaal.Mark? = nil, title: String, text: String? = nil,
        actions: [String] = [], targets: [Target] = []
    ) {
        self.id = id
        self.kind = kind
        self.serves = serves
        self.mark = mark
        self.title = title
        self.text = text
        self.actions = actions
        self.targets = targets
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(Kind.self, forKey: .kind)
        serves = try c.decodeIfPresent([Int].self, forKey: .serves) ?? []
        mark = try c.decodeIfPresent(Ministermaal.Mark.self, forKey: .mark)
        title = try c.decode(String.self, forKey: .title)
        text = try c.decodeIfPresent(String.self, forKey: .text)
        actions = try c.decodeIfPresent([String].self, forKey: .actions) ?? []
        targets = try c.decodeIfPresent([Target].self, forKey: .targets) ?? []
    }
}

/// A resultatmål or fokusmål in the four-column schema: what is followed up, what is measured,
/// the rule (mål), and when it is followed up.
public struct Target: Hashable, Sendable, Codable {
    public var id: String
    /// Hvad følges der op på?
    public var follows: String
    /// Hvad måles der på?
    public var measures: String
    /// Mål — `.milestone` for a target assessed by hand.
    public var rule: Rule
    /// Hvornår følges der op?
    public var followUp: FollowUp?
    /// The year of a plan period the target is for; `nil`: the year its rule ends in, or every
    /// year when that is outside the period (a 2030 goal is followed up each year).
    public var year: Int?

    public init(id: String, follows: String, measures: String, rule: Rule, followUp: FollowUp? = nil, year: Int? = nil) {
        self.id = id
        self.follows = follows
        self.measures = measures
        self.rule = rule
        self.followUp = followUp
        self.year = year
    }

    /// What names the target in its plan: its id, with its year where it has one ("1.2@2027"),
    /// since a plan over several years may give one id once a year.
    public var key: String { year.map { "\(id)@\($0)" } ?? id }

    /// Whether the target belongs to `year` of a plan over `years`.
    public func isFor(year: Int, in years: ClosedRange<Int>) -> Bool {
        if let own = self.year { return own == year }
        guard let end = rule.endYear, years.contains(end) else { return true }
        return end == year
    }
}

/// When, for whom and from what source a target is followed up.
public struct FollowUp: Hashable, Sendable, Codable {
    public enum Frequency: String, Sendable, Codable, CaseIterable {
        case ugentligt, månedligt, kvartalsvis, halvårligt, årligt

        /// How many follow-ups a year.
        public var perYear: Int {
            switch self {
            case .ugentligt: 52
            case .månedligt: 12
            case .kvartalsvis: 4
            case .halvårligt: 2
            case .årligt: 1
            }
        }
    }

    public var frequency: Frequency
    public var audience: String
    public var source: String

    public init(frequency: Frequency, audience: String, source: String) {
        self.frequency = frequency
        self.audience = audience
        self.source = source
    }
}
