import BeskplanCore

/// Observations in memory, by series, in time order: what evaluation reads.
public struct ObservationIndex: Sendable {
    private var series: [SeriesKey: [DataPoint]] = [:]

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

    public var seriesCount: Int { series.count }

    /// Every series of a measure held.
    public func keys(of measure: MeasureID) -> [SeriesKey] { series.keys.filter { $0.measure == measure } }

    var pointCount: Int { series.values.reduce(0) { $0 + $1.count } }
}
