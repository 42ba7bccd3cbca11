import BeskplanCore

/// Observations in memory, by series, in time order: what evaluation reads.
public struct ObservationIndex: Sendable {
    private var series: [SeriesKey: [DataPoint]] = [:]
    /// The periods of each series that beskplan computed (`derived(_:)`), not read from a source.
    private(set) var computed: [SeriesKey: Set<Period>] = [:]

    public init(_ observations: [Observation] = []) {
        add(observations)
    }

    public mutating func add(_ observations: [Observation]) {
        // A store returns a series' observations one after another: each run is one lookup.
        var start = observations.startIndex
        while start < observations.endIndex {
            let key = observations[start].series
            var end = start + 1
            while end < observations.endIndex, observations[end].series == key { end += 1 }
            append(observations[start..<end].map { DataPoint(period: $0.period, value: $0.value) }, to: key)
            start = end
        }
    }

    private mutating func append(_ points: [DataPoint], to key: SeriesKey) {
        series[key, default: []].append(contentsOf: points)
        let all = series[key]!
        // A series read whole from the store comes in time order, one figure a period.
        if zip(all, all.dropFirst()).allSatisfy({ $0.period < $1.period }) { return }
        // The same observation may arrive from two overlapping loads: keep one per period, the
        // first (the sort is stable): a stored figure wins over one derived later.
        var seen = Set<Period>()
        series[key] = all.sorted { $0.period < $1.period }.filter { seen.insert($0.period).inserted }
    }

    public func points(_ key: SeriesKey) -> [DataPoint] { series[key] ?? [] }

    /// Whether a figure of the series for the period (or a part of it) was computed by beskplan.
    public func isComputed(_ key: SeriesKey, _ period: Period) -> Bool {
        computed[key]?.contains { $0 == period || period.contains($0) } ?? false
    }

    /// Adds computed figures: only periods the series lacks, and remembered as computed.
    /// Returns the measures that got figures.
    mutating func addComputed(_ runs: [(key: SeriesKey, points: [DataPoint])]) -> Set<MeasureID> {
        var grown = Set<MeasureID>()
        for (key, points) in runs {
            var held = Set(self.points(key).map(\.period))
            let fresh = points.filter { held.insert($0.period).inserted }
            guard !fresh.isEmpty else { continue }
            computed[key, default: []].formUnion(fresh.map(\.period))
            append(fresh, to: key)
            grown.insert(key.measure)
        }
        return grown
    }

    public var seriesCount: Int { series.count }

    /// Every series of a measure held.
    public func keys(of measure: MeasureID) -> [SeriesKey] { series.keys.filter { $0.measure == measure } }
}
