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
    /// The measure every observation belongs to (or see `measureFrom`, `measures`).
    public var measure: MeasureID?
    /// CSV: the column holding each row's measure id (beskplan's own export).
    public var measureFrom: String?
    /// CSV: value columns, each holding one measure (Jobindsats: "Antal fuldtidspersoner").
    public var measures: [String: MeasureID]?
    /// CSV: the column holding the value (default `INDHOLD`, Statistikbanken's).
    public var value: String?
    /// CSV: periods are columns (every column whose header is a period), rows are series.
    public var wide: Bool?
    /// CSV: columns named after a dimension of the measure, upper-cased (`YDELSE`), carry its value.
    public var dimensionColumns: Bool?
    /// CSV: the file's dialect, where detection should not decide.
    public var csv: CSVOptions?
    public var area: AreaBinding
    /// Where the period is; default: SDMX's `TIME_PERIOD` (or the observation's time element).
    public var period: PeriodBinding?
    /// beskplan dimension → where its value comes from.
    public var dimensions: [String: DimensionBinding]?
    /// Source components that must take one of these values; other observations are skipped (a
    /// total over a dimension beskplan does not split by is selected here, never recomputed).
    /// A list names the same value in each of a source's presentations (`[Total, I alt, TOT]`).
    public var select: [String: Selection]?
    /// Area texts to skip, beyond the non-areas the reference data knows (a user's decision).
    public var skipAreas: [String]?
    /// Source components that are neither mapped nor selected but do not split the data
    /// (attributes such as `UNIT_MULT`).
    public var ignore: [String]?
    /// Multiply every value (e.g. `1000` when a source counts in thousands).
    public var scale: Double?
    public var missing: MissingRule?
    /// SDMX: whether `UNIT_MULT` is applied (value × 10^n; the default). `false` stores the values
    /// as published, and refuses a file whose values of one measure carry different multipliers.
    public var unitMult: Bool?
    /// PX and JSON-stat: whether the file's values are read as their texts (the default) or as
    /// their codes, where the file has codes.
    public var labels: Labels?

    /// How a cube's values are read: `text` (`Vesthimmerlands`) or `code` (`820`).
    public enum Labels: String, Codable, Sendable, Hashable {
        case text, code
    }

    public init(
        name: String? = nil, measure: MeasureID?, area: AreaBinding, period: PeriodBinding? = nil,
        dimensions: [String: DimensionBinding]? = nil, select: [String: Selection]? = nil, ignore: [String]? = nil,
        scale: Double? = nil, missing: MissingRule? = nil, skipAreas: [String]? = nil
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
        self.skipAreas = skipAreas
    }

    /// The values a `select:` component may take: one text, or a list of the same value's
    /// spellings in a source's presentations (English text, Danish text, code).
    public struct Selection: Codable, Sendable, Hashable, ExpressibleByStringLiteral {
        public var values: [String]

        public init(_ values: [String]) { self.values = values }
        public init(stringLiteral value: String) { values = [value] }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) {
                values = [one]
            } else {
                values = try container.decode([String].self)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if values.count == 1 { try container.encode(values[0]) } else { try container.encode(values) }
        }
    }

    /// Where a value comes from: a source component (through an optional code map), or a
    /// fixed value.
    public struct Binding: Codable, Sendable, Hashable {
        public var from: String?
        public var codes: [String: String]?
        public var value: String?

        public init(from: String? = nil, codes: [String: String]? = nil, value: String? = nil) {
            self.from = from
            self.codes = codes
            self.value = value
        }
    }

    /// The area: a component, with an optional code map (else codes and names are looked up in
    /// the area catalog: `101`, `Copenhagen`, `Hele landet`, `Region Nordjylland`); or a fixed
    /// area for a local system's export (`value: "707"`).
    public typealias AreaBinding = Binding

    /// A CSV file's dialect; anything left out is detected.
    public struct CSVOptions: Codable, Sendable, Hashable {
        /// `;`, `,` or `tab`.
        public var separator: String?
        /// `,` or `.`.
        public var decimal: String?
        /// `.`, `,`, ` ` or empty for none.
        public var thousands: String?
        /// `utf-8` or `windows-1252` (also read for ISO-8859-1).
        public var encoding: String?

        public init(separator: String? = nil, decimal: String? = nil, thousands: String? = nil, encoding: String? = nil) {
            self.separator = separator
            self.decimal = decimal
            self.thousands = thousands
            self.encoding = encoding
        }
    }

    public struct PeriodBinding: Codable, Sendable, Hashable {
        public var from: String

        public init(from: String) { self.from = from }
    }

    /// A beskplan dimension's value: taken from a source component (through a code map) or fixed.
    public typealias DimensionBinding = Binding

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
    public static let defaultMissingValues: Set<String> = ["", "NaN", "nan", "..", "..."]

    /// The value texts that mean missing: the defaults and the mapping's own.
    public var missingValueTexts: Set<String> { Self.defaultMissingValues.union(missing?.values ?? []) }
}
