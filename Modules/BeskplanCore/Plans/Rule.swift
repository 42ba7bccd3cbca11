/// The "mål" of a target: how its figure is judged. One case per rule kind of DESIGN §3, plus
/// the kinds plugins register. Encoded flat with a `kind` field:
/// `{ kind: threshold, measure: ydelse.personer, period: "2024", aggregate: average, op: "<=", value: 50 }`.
public enum Rule: Hashable, Sendable {
    case threshold(ThresholdRule)
    case benchmark(BenchmarkRule)
    case development(DevelopmentRule)
    case change(ChangeRule)
    case deadline(DeadlineRule)
    case milestone(MilestoneRule)
    /// A kind a plugin registers; its parameters are read by that plugin.
    case plugin(PluginRule)

    /// The built-in kinds, as written in plans.
    public static let builtInKinds = ["threshold", "benchmark", "development", "change", "deadline", "milestone"]

    public var kind: String {
        switch self {
        case .threshold: "threshold"
        case .benchmark: "benchmark"
        case .development: "development"
        case .change: "change"
        case .deadline: "deadline"
        case .milestone: "milestone"
        case .plugin(let rule): rule.kind
        }
    }

    /// The year the rule is judged in: its period, the end of its comparison, its deadline, or
    /// the year a milestone is due; `nil` for a plugin's rule and an undated milestone.
    public var endYear: Int? {
        switch self {
        case .threshold(let r): r.period.year
        case .benchmark(let r): r.period.year
        case .development(let r): r.to.year
        case .change(let r): r.to.year
        case .deadline(let r): r.deadline.year
        case .milestone(let r): r.due.flatMap { Int($0.prefix(4)) }
        case .plugin(let r): r.parameters["year"].flatMap { Int($0) }
        }
    }

    /// The dimension values the rule selects of its measure, if it reads one.
    public var select: [String: String]? {
        switch self {
        case .threshold(let r): r.select
        case .benchmark(let r): r.select
        case .development(let r): r.select
        case .change(let r): r.select
        case .deadline(let r): r.select
        case .milestone, .plugin: nil
        }
    }

    /// The measure the rule reads, if it reads one.
    public var measure: MeasureID? {
        switch self {
        case .threshold(let r): r.measure
        case .benchmark(let r): r.measure
        case .development(let r): r.measure
        case .change(let r): r.measure
        case .deadline(let r): r.measure
        case .milestone, .plugin: nil
        }
    }
}

/// How sub-period values become one figure.
public enum Aggregate: String, Sendable, Codable, CaseIterable {
    case average, sum, last, min, max
}

/// A comparison as written in plans.
public enum Comparison: String, Sendable, Codable, CaseIterable {
    case atLeast = ">="
    case atMost = "<="
    case above = ">"
    case below = "<"
    case equal = "="

    public func holds(_ lhs: Double, _ rhs: Double) -> Bool {
        switch self {
        case .atLeast: lhs >= rhs
        case .atMost: lhs <= rhs
        case .above: lhs > rhs
        case .below: lhs < rhs
        case .equal: lhs == rhs
        }
    }
}

/// What a kommune's figure is compared with.
public enum BenchmarkArea: Hashable, Sendable, Codable {
    /// The kommune's own region in the plan year.
    case region
    /// The whole country (landstallet).
    case country
    /// The area of the regional labour-market council (RAR) the kommune belonged to, the
    /// comparator until 2024 (`YearRules.comparator`). beskplan holds no RAR figures (which
    /// kommuner made up each of the 8 areas is not in its reference data), so such a target is
    /// not evaluated; from 2025 the validator refuses it.
    case rar
    /// A named area.
    case area(AreaCode)
    /// An expected series for the kommune itself, e.g. the benchmark model's expected count.
    case expected(MeasureID)

    private enum Keys: String, CodingKey { case area, expected }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            switch text {
            case "region": self = .region
            case "country": self = .country
            case "rar": self = .rar
            default:
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected region, country, rar, { area: CODE } or { expected: MEASURE }"))
            }
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        if let area = try c.decodeIfPresent(AreaCode.self, forKey: .area) {
            self = .area(area)
        } else {
            self = .expected(try c.decode(MeasureID.self, forKey: .expected))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .region:
            var c = encoder.singleValueContainer()
            try c.encode("region")
        case .country:
            var c = encoder.singleValueContainer()
            try c.encode("country")
        case .rar:
            var c = encoder.singleValueContainer()
            try c.encode("rar")
        case .area(let code):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(code, forKey: .area)
        case .expected(let measure):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(measure, forKey: .expected)
        }
    }
}

/// Whether an offset or tolerance is in procentpoint or in percent of the benchmark.
public enum OffsetUnit: String, Sendable, Codable {
    case procentpoint, percent
}

/// The kommune's aggregate over a period against a fixed number.
/// Samsø: the yearly average of sygedagpengemodtagere at most 50.
public struct ThresholdRule: Hashable, Sendable, Codable {
    public var measure: MeasureID
    public var select: [String: String]?
    public var period: Period
    public var aggregate: Aggregate?
    public var op: Comparison
    public var value: Double
    /// Beyond this the status is "ikke opfyldt"; between it and `value`, "i risiko".
    public var redFlag: Double?

    public init(
        measure: MeasureID, select: [String: String]? = nil, period: Period, aggregate: Aggregate? = nil,
        op: Comparison, value: Double, redFlag: Double? = nil
    ) {
        self.measure = measure
        self.select = select
        self.period = period
        self.aggregate = aggregate
        self.op = op
        self.value = value
        self.redFlag = redFlag
    }
}

/// The kommune's figure against another area's or an expected series, with an offset.
/// Norddjurs: aktivitetsparate unge at most 4 procentpoint above landstallet.
public struct BenchmarkRule: Hashable, Sendable, Codable {
    public var measure: MeasureID
    public var select: [String: String]?
    public var period: Period
    public var aggregate: Aggregate?
    public var against: BenchmarkArea
    public var op: Comparison
    /// Added to the benchmark before comparing (`4` with `<=`: at most 4 above).
    public var offset: Double?
    public var offsetUnit: OffsetUnit?

    public init(
        measure: MeasureID, select: [String: String]? = nil, period: Period, aggregate: Aggregate? = nil,
        against: BenchmarkArea, op: Comparison, offset: Double? = nil, offsetUnit: OffsetUnit? = nil
    ) {
        self.measure = measure
        self.select = select
        self.period = period
        self.aggregate = aggregate
        self.against = against
        self.op = op
        self.offset = offset
        self.offsetUnit = offsetUnit
    }
}

/// The kommune's relative change between two periods against the benchmark's.
/// Vesthimmerland: development in fuldtidspersoner on offentlig forsørgelse on level with the region.
public struct DevelopmentRule: Hashable, Sendable, Codable {
    public var measure: MeasureID
    public var select: [String: String]?
    public var from: Period
    public var to: Period
    public var against: BenchmarkArea
    /// How much worse than the benchmark still counts as "på niveau", in procentpoint.
    public var tolerance: Double?

    public init(
        measure: MeasureID, select: [String: String]? = nil, from: Period, to: Period,
        against: BenchmarkArea, tolerance: Double? = nil
    ) {
        self.measure = measure
        self.select = select
        self.from = from
        self.to = to
        self.against = against
        self.tolerance = tolerance
    }
}

/// The kommune's own change between two periods.
/// Norddjurs: the share with ordinære timer increases in 2024 against 2023.
public struct ChangeRule: Hashable, Sendable, Codable {
    public enum Direction: String, Sendable, Codable, CaseIterable {
        /// Higher than in `from`.
        case increase
        /// Lower than in `from`.
        case decrease
        /// At least the level of `from` ("som minimum at bevare niveauet").
        case keep
        /// At most the level of `from` ("fastholdes på et lavt niveau").
        case noIncrease
    }

    public var measure: MeasureID
    public var select: [String: String]?
    public var from: Period
    public var to: Period
    public var direction: Direction
    public var aggregate: Aggregate?

    public init(
        measure: MeasureID, select: [String: String]? = nil, from: Period, to: Period,
        direction: Direction, aggregate: Aggregate? = nil
    ) {
        self.measure = measure
        self.select = select
        self.from = from
        self.to = to
        self.direction = direction
        self.aggregate = aggregate
    }
}

/// A threshold to reach by a later period, with a straight-line trajectory from a baseline.
/// Norddjurs: at least 90 % of the 25-årige with an ungdomsuddannelse in 2030.
public struct DeadlineRule: Hashable, Sendable, Codable {
    public var measure: MeasureID
    public var select: [String: String]?
    public var baseline: Period
    public var deadline: Period
    public var op: Comparison
    public var value: Double

    public init(
        measure: MeasureID, select: [String: String]? = nil, baseline: Period, deadline: Period,
        op: Comparison, value: Double
    ) {
        self.measure = measure
        self.select = select
        self.baseline = baseline
        self.deadline = deadline
        self.op = op
        self.value = value
    }
}

/// A qualitative target, assessed by hand. Jammerbugt: a dialogue meeting at least once a year.
public struct MilestoneRule: Hashable, Sendable, Codable {
    /// What counts as done.
    public var description: String?
    /// ISO date by which it is due.
    public var due: String?

    public init(description: String? = nil, due: String? = nil) {
        self.description = description
        self.due = due
    }
}

/// A rule of a kind a plugin registered; the parameters are the rule's other fields as text.
public struct PluginRule: Hashable, Sendable {
    public var kind: String
    public var parameters: [String: String]

    public init(kind: String, parameters: [String: String]) {
        self.kind = kind
        self.parameters = parameters
    }
}

extension Rule: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let kind = try c.decode(String.self, forKey: Key(stringValue: "kind"))
        switch kind {
        case "threshold": self = .threshold(try ThresholdRule(from: decoder))
        case "benchmark": self = .benchmark(try BenchmarkRule(from: decoder))
        case "development": self = .development(try DevelopmentRule(from: decoder))
        case "change": self = .change(try ChangeRule(from: decoder))
        case "deadline": self = .deadline(try DeadlineRule(from: decoder))
        case "milestone": self = .milestone(try MilestoneRule(from: decoder))
        default:
            var parameters: [String: String] = [:]
            for key in c.allKeys where key.stringValue != "kind" {
                if let s = try? c.decode(String.self, forKey: key) {
                    parameters[key.stringValue] = s
                } else if let d = try? c.decode(Double.self, forKey: key) {
                    parameters[key.stringValue] = d == d.rounded() ? String(Int(d)) : String(d)
                } else if let b = try? c.decode(Bool.self, forKey: key) {
                    parameters[key.stringValue] = String(b)
                }
            }
            self = .plugin(PluginRule(kind: kind, parameters: parameters))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kind, forKey: Key(stringValue: "kind"))
        switch self {
        case .threshold(let r): try r.encode(to: encoder)
        case .benchmark(let r): try r.encode(to: encoder)
        case .development(let r): try r.encode(to: encoder)
        case .change(let r): try r.encode(to: encoder)
        case .deadline(let r): try r.encode(to: encoder)
        case .milestone(let r): try r.encode(to: encoder)
        case .plugin(let r):
            for (name, value) in r.parameters.sorted(by: { $0.key < $1.key }) {
                try c.encode(value, forKey: Key(stringValue: name))
            }
        }
    }
}
