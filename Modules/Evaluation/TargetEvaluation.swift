import BeskplanCore

/// A target's status at a date, with the figures it used and one Danish sentence.
public struct TargetEvaluation: Sendable, Hashable, Codable {
    public var kommune: AreaCode
    public var year: Int
    public var goal: String
    public var target: String
    /// Hvad følges der op på?
    public var follows: String
    public var rule: String
    public var status: EvaluationStatus
    /// The kommune's figure (a level, or a development for development rules).
    public var value: Double?
    /// What it was compared with (another area's figure, a threshold, last period's figure).
    public var benchmark: Double?
    public var unit: MeasureUnit?
    /// Every figure the evaluation read.
    public var figures: [Figure]
    /// The series that were needed and not found.
    public var missing: [String]
    public var explanation: String

    public init(
        kommune: AreaCode, year: Int, goal: String, target: String, follows: String, rule: String,
        status: EvaluationStatus, value: Double? = nil, benchmark: Double? = nil, unit: MeasureUnit? = nil,
        figures: [Figure] = [], missing: [String] = [], explanation: String
    ) {
        self.kommune = kommune
        self.year = year
        self.goal = goal
        self.target = target
        self.follows = follows
        self.rule = rule
        self.status = status
        self.value = value
        self.benchmark = benchmark
        self.unit = unit
        self.figures = figures
        self.missing = missing
        self.explanation = explanation
    }
}

/// One figure an evaluation read: a stored value or an aggregate of stored values.
public struct Figure: Sendable, Hashable, Codable {
    public var measure: MeasureID
    public var area: AreaCode
    public var dimensions: [String: String]
    public var period: Period
    public var value: Double
    /// How many stored observations it was made of (1 for a value read as stored).
    public var observations: Int
    /// Whether the period was over at the as-of date and every sub-period had a value.
    public var complete: Bool

    public init(
        measure: MeasureID, area: AreaCode, dimensions: [String: String], period: Period, value: Double,
        observations: Int, complete: Bool
    ) {
        self.measure = measure
        self.area = area
        self.dimensions = dimensions
        self.period = period
        self.value = value
        self.observations = observations
        self.complete = complete
    }
}
