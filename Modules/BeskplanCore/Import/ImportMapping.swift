/// How an external source's codes become beskplan observations: which component holds the area
/// and the period, which become beskplan dimensions (with code maps), which values to keep, and
/// which measure the data is. Written as YAML (`docs/import-mapping.md`); SDMX and CSV share it.
///
/// ```yaml
/// name: AUK01 fuldtidsmodtagere
/// measure: ydelse.fuldtidspersoner
/// area: { from: OMRÅDE }
/// period: { from: TID }
/// dimensions:
///   ydelse: { from: YDELSESTYPE, codes: { TOT: i_alt, KON: kontanthjaelp } }
/// select: { KØN: TOT }
/// ```
public struct ImportMapping: Codable, Sendable, Hashable {
    /// A label for messages.
    public var name: String?
    /// The measure every observation belongs to.
    public var measure: MeasureID
    public var area: AreaBinding
    /// Where the period is; default: SDMX's `TIME_PERIOD` (or the observation's time element).
    public var period: PeriodBinding?
    /// beskplan dimension → where its value comes from.
    public var dimensions: [String: DimensionBinding]?
    /// Source components that must take these values; other observations are skipped (a total
    /// over a dimension beskplan does not split by is selected here, never recomputed).
    public var select: [String: String]?
    /// Source components that are neither mapped nor selected but do not split the data
    /// (attributes such as `UNIT_MULT`).
    public var ignore: [String]?
    /// Multiply every value (e.g. `1000` when a source counts in thousands).
    public var scale: Double?
    public var missing: MissingRule?

    public init(
        name: String? = nil, measure: MeasureID, area: AreaBinding, period: PeriodBinding? = nil,
        dimensions: [String: DimensionBinding]? = nil, select: [String: String]? = nil, ignore: [String]? = nil,
        scale: Double? = nil, missing: MissingRule? = nil
    ) {
        self.name = name
        self.measure = measure
        self.area = area
        self.period = period
        self.dimensions = dimensions
        self.select = select
        self.ignore = ignore
        self.scale = scale
        self.missing = missing
    }

    /// The component holding the area, with an optional code map (else codes and names are
    /// looked up in the area catalog: `101`, `Copenhagen`, `Hele landet`, `Region Nordjylland`).
    public struct AreaBinding: Codable, Sendable, Hashable {
        public var from: String
        public var codes: [String: String]?

        public init(from: String, codes: [String: String]? = nil) {
            self.from = from
            self.codes = codes
        }
    }

    public struct PeriodBinding: Codable, Sendable, Hashable {
        public var from: String

        public init(from: String) { self.from = from }
    }

    /// A beskplan dimension's value: taken from a source component (through a code map) or fixed.
    public struct DimensionBinding: Codable, Sendable, Hashable {
        public var from: String?
        public var codes: [String: String]?
        public var value: String?

        public init(from: String? = nil, codes: [String: String]? = nil, value: String? = nil) {
            self.from = from
            self.codes = codes
            self.value = value
        }
    }

    /// What marks a missing value besides an absent or empty one.
    public struct MissingRule: Codable, Sendable, Hashable {
        /// Value texts that mean "missing" (`..`, `NaN`).
        public var values: [String]?
        /// Observation status codes that mean "missing" (SDMX `M`, `L`, `O`).
        public var obsStatus: [String]?

        public init(values: [String]? = nil, obsStatus: [String]? = nil) {
            self.values = values
            self.obsStatus = obsStatus
        }
    }

    /// SDMX's default missing-value statuses: M (missing), L (not collected), O (missing, old lists).
    public static let defaultMissingStatuses: Set<String> = ["M", "L", "O"]
    public static let defaultMissingValues: Set<String> = ["", "NaN", "nan", "..", "...", "-"]
}
