import BeskplanCore

/// Observations in memory, by series, in time order: what evaluation reads.
public struct ObservationIndex: Sendable {
    private var series: [SeriesKey: [DataPoint]] = [:]
    /// The periods of each series that beskplan computed (`derived(_:)`), not read from a source.
    private(set) var computed: [SeriesKey: Set<Period>] = [:]

    public init(_ observations: [Observation] = []) {
        for o in observations { series[o.series, default: []].append(DataPoint(period: o.period, value: o.value)) }
        for key in series.keys { series[key]!.sort { $0.period < $1.period } }
    }

    public mutating func add(_ observations: [Observation]) {
        var touched = Set<SeriesKey>()
        for o in observations {
            series[o.series, default: []].append(DataPoint(period: o.period, value: o.value))
            touched.insert(o.series)
        }
        for key in touched {
            // The same observation may arrive from two overlapping loads: keep one per period, the
            // first (the sort is stable): a stored figure wins over one derived later.
            var seen = Set<Period>()
            series[key] = series[key]!.sorted { $0.period < $1.period }.filter { seen.insert($0.period).inserted }
        }
    }

    public func points(_ key: SeriesKey) -> [DataPoint] { series[key] ?? [] }

    /// Whether a figure of the series for the period (or a part of it) was computed by beskplan.
    public func isComputed(_ key: SeriesKey, _ period: Period) -> Bool {
        computed[key]?.contains { $0 == period || period.contains($0) } ?? false
    }

    /// Adds computed observations: only periods the series lacks, and remembered as computed.
    mutating func addComputed(_ observations: [Observation]) {
        let fresh = observations.filter { o in !(series[o.series]?.contains { $0.period == o.period } ?? false) }
        for o in fresh { computed[o.series, default: []].insert(o.period) }
        add(fresh)
    }

    public var seriesCount: Int { series.count }

    /// Every series of a measure held.
    public func keys(of measure: MeasureID) -> [SeriesKey] { series.keys.filter { $0.measure == measure } }

    var pointCount: Int { series.values.reduce(0) { $0 + $1.count } }
}
