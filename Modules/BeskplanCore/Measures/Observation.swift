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

/// Observations a source read and left out, with the reasons: each with its count and the first
/// line it happened on. Also the values met in each `select:` component, so that a selection
/// that matches nothing can name the values that do occur.
public struct SkipReport: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        public var count: Int
        /// The first line (1-based) a row was skipped for this reason; 0 where lines are unknown.
        public var firstLine: Int
    }

    public private(set) var total = 0
    /// Reason → count and first line.
    public private(set) var entries: [String: Entry] = [:]
    /// `select:` component → each value met → the first line it was met on.
    public private(set) var selectValues: [String: [String: Int]] = [:]

    public init() {}

    /// Reason → count.
    public var reasons: [String: Int] { entries.mapValues(\.count) }

    /// Every reason, the most frequent first; ties by first line, then by text: the same order
    /// on every run.
    public var sorted: [(reason: String, count: Int, firstLine: Int)] {
        entries.map { ($0.key, $0.value.count, $0.value.firstLine) }.sorted {
            ($1.count, $0.firstLine, $0.reason) < ($0.count, $1.firstLine, $1.reason)
        }
    }

    public mutating func add(_ reason: String, line: Int) {
        total += 1
        if let entry = entries[reason] {
            entries[reason] = Entry(count: entry.count + 1, firstLine: Self.earlier(entry.firstLine, line))
        } else {
            entries[reason] = Entry(count: 1, firstLine: line)
        }
    }

    /// Notes a value of a `select:` component, met on `line`.
    public mutating func noteSelectValue(_ value: String, of component: String, line: Int) {
        if let first = selectValues[component]?[value], first <= line, first > 0 { return }
        selectValues[component, default: [:]][value] = line
    }

    /// Adds another report's counts (of another part of the same input).
    public mutating func merge(_ other: SkipReport) {
        total += other.total
        entries.merge(other.entries) { a, b in Entry(count: a.count + b.count, firstLine: Self.earlier(a.firstLine, b.firstLine)) }
        selectValues.merge(other.selectValues) { a, b in a.merging(b) { Self.earlier($0, $1) } }
    }

    /// The same report with every line moved by `offset` (a file segment's lines counted from
    /// the segment's start become the file's).
    public func shiftingLines(by offset: Int) -> SkipReport {
        guard offset != 0 else { return self }
        var shifted = self
        shifted.entries = entries.mapValues { Entry(count: $0.count, firstLine: $0.firstLine > 0 ? $0.firstLine + offset : 0) }
        shifted.selectValues = selectValues.mapValues { $0.mapValues { $0 > 0 ? $0 + offset : 0 } }
        return shifted
    }

    /// The earlier of two lines, 0 (unknown) only when both are.
    private static func earlier(_ a: Int, _ b: Int) -> Int { a == 0 ? b : b == 0 ? a : min(a, b) }
}

/// A source over chunks already in memory (tests, benchmarks, small demo data).
public struct ChunkList: ObservationSource {
    private var iterator: IndexingIterator<[ObservationChunk]>

    public init(_ chunks: [ObservationChunk]) { iterator = chunks.makeIterator() }

    public mutating func nextChunk() throws -> ObservationChunk? { iterator.next() }
}
