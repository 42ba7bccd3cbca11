import BeskplanCore
import Foundation

/// Reads an SDMX-ML data message through an `ImportMapping` and yields observations grouped by
/// series. Missing values are skipped and counted, never stored as 0; so are observations the
/// mapping does not select and areas that are no kommune, region or the country.
public final class SDMXSource: ObservationSource, ReadProgress {
    private let scanner: SDMXScanner
    private let resolver: MappingResolver
    /// Components that are attributes in SDMX's standard lists, never part of a key.
    static let standardAttributes: Set<String> = [
        "UNIT_MULT", "DECIMALS", "TITLE", "TITLE_COMPL", "UNIT_MEASURE", "OBS_CONF", "OBS_PRE_BREAK", "OBS_COM",
        "COMMENT", "TIME_FORMAT", "COLLECTION", "COMPILATION", "SOURCE_AGENCY", "EMBARGO_TIME",
    ]
    private var report = SkipReport()
    private var cells = CellRegistry()
    /// The series element of the observation resolved last, and its series, when it had no
    /// components of its own (the next observation of the element then has the same series).
    private var resolvedSeries: (number: Int, key: SeriesKey)?
    private let catalog: ImportCatalog
    private let segment: FileSegment?
    private var cache: [String: MappingResolver.Outcome] = [:]
    private var seriesOutcome: (number: Int, outcome: MappingResolver.Outcome)?
    /// The series' `UNIT_MULT`, read once per series.
    private var seriesMultiplier: (number: Int, exponent: Int)?
    /// With `unitMult: false`: the multiplier each measure's values were stored with, unapplied.
    private var unappliedMultiplier: [MeasureID: Int] = [:]
    private let applyUnitMult: Bool
    /// An observation read and resolved that belongs to the next chunk.
    private var pending: (SeriesKey?, DataPoint)?
    private static let chunkLimit = 4096

    /// Reads the message at `path`, or one segment of it (see `segments(path:parts:minimumSize:)`).
    public init(
        path: String, displayName: String? = nil, kind: XMLDocumentKind, mapping: ImportMapping, catalog: ImportCatalog,
        segment: FileSegment? = nil, dataset: String? = nil
    ) throws {
        scanner = try segment.map { segment throws(ImportError) in try SDMXScanner(segment: segment, kind: kind) }
            ?? SDMXScanner(path: path, displayName: displayName, kind: kind)
        scanner.onlyDataSet = dataset
        do {
            resolver = try MappingResolver(
                mapping, measures: catalog.measures, dimensions: catalog.dimensions, areas: catalog.areas)
        } catch {
            throw ImportError(file: displayName ?? path, line: 0, column: 0, message: "mapping: \(error)")
        }
        if let period = mapping.period?.from { scanner.useTimeComponent(period) }
        applyUnitMult = mapping.unitMult ?? true
        self.segment = segment
        self.catalog = catalog
    }

    /// What was skipped, at the file's lines.
    public var skipped: SkipReport {
        guard let segment, report.total > 0 || !report.selectValues.isEmpty else { return report }
        return report.shiftingLines(by: segment.lineOffset())
    }

    /// Cuts a large message between its series (or flat observations) into `parts` segments
    /// that read in parallel, or `nil` when the file is small or cannot be cut.
    public static func segments(path: String, parts: Int, minimumSize: Int64) throws(ImportError) -> [FileSegment]? {
        try XMLSegment.split(path: path, container: "DataSet", records: ["Series", "Obs"], parts: parts, minimumSize: minimumSize)
    }

    public var bytesRead: Int64 { scanner.reader.bytesConsumed }
    public var totalBytes: Int64 { scanner.reader.totalBytes }

    public func nextChunk() throws -> ObservationChunk? {
        var key: SeriesKey?
        var points: [DataPoint] = []
        while let (series, point) = try pending.take() ?? nextResolved() {
            // `series` is nil for a point that continues the series of the one before.
            if let current = key, (series != nil && series != current) || points.count >= Self.chunkLimit {
                pending = (series ?? current, point)
                return ObservationChunk(series: current, points: points)
            }
            if let series { key = series }
            points.append(point)
        }
        return key.map { ObservationChunk(series: $0, points: points) }
    }

    /// The next observation that is not skipped, resolved once.
    private func nextResolved() throws -> (SeriesKey?, DataPoint)? {
        while let observation = try scanner.next() {
            if let resolved = try resolve(observation) { return resolved }
        }
        return nil
    }

    /// The observation's series and point, or `nil` when it is skipped. The series is `nil` when
    /// the observation continues the series element of the one resolved before (it has no
    /// components of its own): its series is not looked up, copied or compared again.
    private func resolve(_ o: RawObservation) throws -> (SeriesKey?, DataPoint)? {
        let continues = o.components.isEmpty && resolvedSeries?.number == o.seriesNumber
        var series: SeriesKey?
        if !continues {
            let outcome = try outcome(o)
            guard case .series(let found) = outcome else {
                if case .skipped(let reason) = outcome { skip(reason, o) }
                return nil
            }
            series = found
        }
        var value: Double
        switch o.value {
        case .number(let number) where !resolver.isMissing(status: o.status):
            value = number
        case .number:
            skip("missing (OBS_STATUS \(o.status ?? ""))", o)
            return nil
        case .missing:
            skip("missing value", o)
            return nil
        case .text(let text):
            guard resolver.isMissing(value: text, status: o.status) else {
                throw located(o, "'\(text.clippedForMessage())' is not a number")
            }
            skip("missing value", o)
            return nil
        }
        guard let time = o.time else { throw located(o, "the observation has no time period") }
        let exponent = try multiplier(o)
        if applyUnitMult {
            if exponent != 0 { value = Self.scaled(value, exponent: exponent) }
        } else {
            let measure = (series ?? resolvedSeries!.key).measure
            if let earlier = unappliedMultiplier[measure], earlier != exponent {
                throw located(
                    o, "UNIT_MULT \(exponent) here, \(earlier) before, for \(measure): with unitMult: false the values "
                        + "would mix multipliers; apply them (leave out unitMult) or import the series apart")
            }
            if unappliedMultiplier[measure] == nil { unappliedMultiplier[measure] = exponent }
        }
        guard value.isFinite else { throw located(o, "the value is too large for a number") }
        if let earlier = cells.note(series, time, line: o.line) {
            throw located(o, CellRegistry.givenTwice(series ?? resolvedSeries!.key, time, earlier: earlier, catalog: catalog))
        }
        if let series { resolvedSeries = o.components.isEmpty ? (o.seriesNumber, series) : nil }
        return (series, DataPoint(period: time, value: resolver.scaled(value)))
    }

    /// The observation's `UNIT_MULT` (its own, else its series'), as a power of ten; 0 without one.
    private func multiplier(_ o: RawObservation) throws -> Int {
        if let own = o.components.first(where: { $0.id == "UNIT_MULT" }) { return try exponent(own.value, o) }
        if !o.components.isEmpty || seriesMultiplier?.number != o.seriesNumber {
            let found = try o.series.first { $0.id == "UNIT_MULT" }.map { try exponent($0.value, o) } ?? 0
            if !o.components.isEmpty { return found }
            seriesMultiplier = (o.seriesNumber, found)
        }
        return seriesMultiplier?.exponent ?? 0
    }

    private func exponent(_ text: String, _ o: RawObservation) throws -> Int {
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)), (-15...15).contains(n) else {
            throw located(o, "UNIT_MULT '\(text.clippedForMessage())' is not a power of ten (an integer from -15 to 15)")
        }
        return n
    }

    /// `value` × 10^exponent, exact for a decimal (1.1 with UNIT_MULT 3 is 1100, not 1100.0000000000002):
    /// the shortest decimal that reads as `value`, shifted, read again.
    static func scaled(_ value: Double, exponent: Int) -> Double {
        Double("\(value)e\(exponent)") ?? value * pow(10, Double(exponent))
    }

    private func outcome(_ o: RawObservation) throws -> MappingResolver.Outcome {
        if o.components.isEmpty, let cached = seriesOutcome, cached.number == o.seriesNumber {
            return cached.outcome
        }
        var components: [String: String] = [:]
        for (id, value) in o.series { components[id] = value }
        for (id, value) in o.components { components[id] = value }
        let signature = o.components.isEmpty ? nil : components.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
        if let signature, let cached = cache[signature] { return cached }
        if let stray = components.keys.sorted().first(where: {
            !resolver.knownComponents.contains($0) && !Self.standardAttributes.contains($0)
                && $0 != scanner.timeComponent
        }) {
            throw located(
                o, "component '\(stray)' is neither mapped nor selected; add it to the mapping's dimensions:, "
                    + "select: (to keep one value) or ignore:")
        }
        let outcome: MappingResolver.Outcome
        do {
            outcome = try resolver.resolve(components, line: o.line, report: &report)
        } catch {
            throw located(o, error.description)
        }
        if let signature {
            if cache.count > 100_000 { cache.removeAll() }
            cache[signature] = outcome
        } else {
            seriesOutcome = (o.seriesNumber, outcome)
        }
        return outcome
    }

    private func skip(_ reason: String, _ o: RawObservation) { report.add(reason, line: o.line) }

    private func located(_ o: RawObservation, _ message: String) -> ImportError {
        ImportError(file: scanner.reader.file, line: o.line, column: o.column, message: message)
    }
}

extension Optional {
    /// The value, leaving `nil` behind.
    fileprivate mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
