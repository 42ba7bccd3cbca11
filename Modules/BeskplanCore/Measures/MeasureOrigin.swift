/// Where a source with an API publishes a measure, for `beskplan fetch`: the table and the
/// selection at the source, how often it publishes, and the shipped mapping that reads the
/// answer. A measure may have several (Jobindsats publishes each ydelse in a table of its own).
public struct MeasureOrigin: Hashable, Sendable, Codable {
    public enum Source: String, Hashable, Sendable, Codable, CaseIterable {
        /// Danmarks Statistik's Statistikbanken (`api.statbank.dk/v1`), no key.
        case dst
        /// STAR's Jobindsats (`api.jobindsats.dk/v2`), a key per organisation.
        case jobindsats
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
    public var variables: [String: [String]]?
    public var frequency: Frequency
    /// The shipped mapping that reads the answer (`jobindsats-ptva02`).
    public var mapping: String

    public init(
        source: Source, table: String, select: [String: String]? = nil, measurement: String? = nil,
        variables: [String: [String]]? = nil, frequency: Frequency, mapping: String
    ) {
        self.source = source
        self.table = table
        self.select = select
        self.measurement = measurement
        self.variables = variables
        self.frequency = frequency
        self.mapping = mapping
    }

    /// Whether this table publishes series with these dimension values (none given: any).
    public func covers(_ dimensions: [String: String]) -> Bool {
        (select ?? [:]).allSatisfy { key, value in dimensions[key].map { $0 == value } ?? true }
    }
}
