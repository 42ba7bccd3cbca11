/// What identifies a series: a measure, an area and the values of the measure's dimensions.
public struct SeriesKey: Hashable, Sendable, Codable {
    public let measure: MeasureID
    public let area: AreaCode
    /// Dimension values, e.g. `["ydelse": "kontanthjaelp"]`.
    public let dimensions: [String: String]

    public init(measure: MeasureID, area: AreaCode, dimensions: [String: String] = [:]) {
        self.measure = measure
        self.area = area
        self.dimensions = dimensions
    }

    /// `ydelse=kontanthjaelp;alder=16-29`, sorted by name: one text per distinct selection.
    public var dimensionText: String {
        dimensions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
    }

    /// The inverse of `dimensionText`.
    public static func dimensions(fromText text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
        }
        return result
    }
}

/// One value of a series at one period.
public struct DataPoint: Hashable, Sendable {
    public let period: Period
    public let value: Double

    public init(period: Period, value: Double) {
        self.period = period
        self.value = value
    }
}

/// One stored figure: measure + area + dimension values + period → value.
public struct Observation: Hashable, Sendable {
    public let series: SeriesKey
    public let period: Period
    public let value: Double
    /// The import that last wrote the value.
    public let importID: Int64?

    public init(series: SeriesKey, period: Period, value: Double, importID: Int64? = nil) {
        self.series = series
        self.period = period
        self.value = value
        self.importID = importID
    }
}

/// A series and some of its points, the unit importers hand to a store.
public struct ObservationChunk: Sendable {
    public let series: SeriesKey
    public var points: [DataPoint]

    public init(series: SeriesKey, points: [DataPoint]) {
        self.series = series
        self.points = points
    }
}

/// A pull-based stream of observations, read inside the store's transaction.
///
/// Importers implement it over their parsers, so a file is parsed, validated and written in one
/// pass with flat memory; throwing from `nextChunk()` rolls the whole import back.
public protocol ObservationSource {
    /// The next series chunk, or `nil` when the input is exhausted.
    mutating func nextChunk() throws -> ObservationChunk?

    /// What the source read but did not yield (missing values, areas outside the catalog, …).
    var skipped: SkipReport { get }
}

extension ObservationSource {
    public var skipped: SkipReport { SkipReport() }
}

/// Observations a source read and left out, with the reasons.
public struct SkipReport: Sendable, Hashable {
    public private(set) var total = 0
    /// Reason → count.
    public private(set) var reasons: [String: Int] = [:]

    public init() {}

    public mutating func add(_ reason: String) {
        total += 1
        reasons[reason, default: 0] += 1
    }

    /// Adds another report's counts (of another part of the same input).
    public mutating func merge(_ other: SkipReport) {
        total += other.total
        reasons.merge(other.reasons, uniquingKeysWith: +)
    }
}

/// A source over chunks already in memory (tests, benchmarks, small demo data).
public struct ChunkList: ObservationSource {
    private var iterator: IndexingIterator<[ObservationChunk]>

    public init(_ chunks: [ObservationChunk]) { iterator = chunks.makeIterator() }

    public mutating func nextChunk() throws -> ObservationChunk? { iterator.next() }
}
