/// Where a source with an API publishes a measure, for `beskplan fetch`: the table and the
/// selection at the source, how often it publishes, and the shipped mapping that reads the
/// answer. A measure may have several (Jobindsats publishes each ydelse in a table of its own).
public struct MeasureOrigin: Hashable, Sendable, Codable {
    public enum Source: String, Hashable, Sendable, Codable, CaseIterable {
        /// Danmarks Statistik's Statistikbanken (`api.statbank.dk/v1`), no key.
        case dst
        /// STAR's Jobindsats (`api.jobindsats.dk/v3`), a key per organisation.
        case jobindsats

        /// The source's name, for people.
        public var danishName: String {
            switch self {
            case .dst: "Danmarks Statistik"
            case .jobindsats: "Jobindsats"
            }
        }
    }

    /// How sure the catalogue is of this origin (SOURCES.md): `high` seen in real client code or
    /// answers, `med` the table right and the selection inferred, `low` the table inferred.
    public enum Confidence: String, Hashable, Sendable, Codable {
        case high, med, low
    }

    /// The periods a table publishes.
    public enum Frequency: String, Hashable, Sendable, Codable {
        case year, half, quarter, month, rollingYear

        public var granularity: Period.Granularity {
            switch self {
            case .year: .year
            case .half: .half
            case .quarter: .quarter
            case .month: .month
            case .rollingYear: .rollingYear
            }
        }
    }

    public var source: Source
    /// The table's id at the source (`ptv_a02`, `AUK01`).
    public var table: String
    /// The measure's dimension values this table publishes (`ydelse: kontanthjaelp`); absent: all.
    public var select: [String: String]?
    /// Jobindsats: the measurement, as the table's column is labelled (`Antal fuldtidspersoner`).
    public var measurement: String?
    /// Statistikbanken: the values of the table's other variables (`KØN: [TOT]`; `*` for all,
    /// used where the table has one value), beside its area (`OMRÅDE`) and time (`TID`).
    /// Jobindsats: other hierarchies' values by name (`_ygrpa02: [Ydelsesgrupper i alt]`, `*` all).
    public var variables: [String: [String]]?
    /// Statistikbanken: the variable that holds the area, where it is not `OMRÅDE` (`BOPKOM`).
    public var areaVariable: String?
    public var frequency: Frequency
    /// The shipped mapping that reads the answer (`jobindsats-ptva02`).
    public var mapping: String
    /// The first and last period the table publishes the measure for, where a table ended or
    /// began (the `y36*` tables end with June 2025, the `y60*` tables begin with July 2025): a
    /// series read across that day comes from two tables, and a break is marked between them.
    public var from: Period?
    public var until: Period?
    public var confidence: Confidence?

    public init(
        source: Source, table: String, select: [String: String]? = nil, measurement: String? = nil,
        variables: [String: [String]]? = nil, areaVariable: String? = nil, frequency: Frequency, mapping: String,
        from: Period? = nil, until: Period? = nil, confidence: Confidence? = nil
    ) {
        self.areaVariable = areaVariable
        self.from = from
        self.until = until
        self.confidence = confidence
        self.source = source
        self.table = table
        self.select = select
        self.measurement = measurement
        self.variables = variables
        self.frequency = frequency
        self.mapping = mapping
    }

    /// Whether the table publishes (part of) a period: it lies within `from`…`until`.
    public func publishes(_ period: Period) -> Bool {
        (from.map { period.lastDay >= $0.firstDay } ?? true) && (until.map { period.firstDay <= $0.lastDay } ?? true)
    }

    /// Whether this table publishes series with these dimension values (none given: any).
    public func covers(_ dimensions: [String: String]) -> Bool {
        (select ?? [:]).allSatisfy { key, value in dimensions[key].map { $0 == value } ?? true }
    }
}
