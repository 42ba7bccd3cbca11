import BeskplanCore

extension ObservationIndex {
    /// The index with every derived measure of the catalog computed from the inputs it holds
    /// (derived from derived, in as many rounds as that takes). A stored figure of a derived
    /// measure (one a source publishes itself) is kept: only the periods it lacks are computed.
    public func derived(_ catalog: MeasureCatalog) -> ObservationIndex {
        var index = self
        let derivations = catalog.all.compactMap { m in m.derived.map { (m.id, $0) } }
        guard !derivations.isEmpty else { return index }
        for _ in 0..<3 {
            var added: [Observation] = []
            for (id, derivation) in derivations {
                added += index.compute(id, derivation, catalog)
            }
            let before = index.pointCount
            index.addComputed(added)
            if index.pointCount == before { break }
        }
        return index
    }

    private func compute(_ id: MeasureID, _ d: Derivation, _ catalog: MeasureCatalog) -> [Observation] {
        let parts = keys(of: d.of).filter { key in (d.select ?? [:]).allSatisfy { key.dimensions[$0.key] == $0.value } }
        var result: [Observation] = []
        func out(_ key: SeriesKey, dropping: [String]) -> SeriesKey {
            SeriesKey(measure: id, area: key.area, dimensions: key.dimensions.filter { !dropping.contains($0.key) })
        }
        switch d.formula {
        case .change, .changePoints:
            for key in parts {
                let points = Dictionary(self.points(key).map { ($0.period, $0.value) }, uniquingKeysWith: { a, _ in a })
                // Never a change across a series break: the two figures come from two tables.
                let breaks = catalog[d.of]?.breaks(key.dimensions).map(\.from.firstDay) ?? []
                for (period, value) in points {
                    let earlier = period.sameInPreviousYear
                    guard let before = points[earlier], !breaks.contains(where: { earlier.firstDay < $0 && $0 <= period.firstDay }) else { continue }
                    let change = d.formula == .changePoints ? value - before : before == 0 ? nil : (value / before - 1) * 100
                    if let change {
                        result.append(Observation(series: out(key, dropping: Array((d.select ?? [:]).keys)), period: period, value: change))
                    }
                }
            }
        case .share, .perThousand:
            let whole = d.wholeMeasure ?? d.of
            for key in parts {
                var wholeDimensions = whole == d.of ? key.dimensions : [:]
                for (k, v) in d.wholeSelect ?? [:] { wholeDimensions[k] = v }
                let denominator = self.points(SeriesKey(measure: whole, area: key.area, dimensions: wholeDimensions))
                guard !denominator.isEmpty else { continue }
                for point in self.points(key) {
                    guard let base = Self.value(of: denominator, for: point.period), base != 0 else { continue }
                    let value = point.value / base * (d.formula == .share ? 100 : 1000)
                    result.append(Observation(series: out(key, dropping: Array((d.select ?? [:]).keys)), period: point.period, value: value))
                }
            }
        case .sum:
            guard let (dimension, values) = d.sum?.first else { return [] }
            var groups: [SeriesKey: [Period: (Double, Int)]] = [:]
            for key in parts where values.contains(key.dimensions[dimension] ?? "") {
                let target = out(key, dropping: [dimension] + Array((d.select ?? [:]).keys))
                for point in self.points(key) {
                    let (sum, n) = groups[target, default: [:]][point.period] ?? (0, 0)
                    groups[target, default: [:]][point.period] = (sum + point.value, n + 1)
                }
            }
            // A sum with a part missing is no sum: only periods with every value count.
            for (key, periods) in groups {
                for (period, (sum, n)) in periods where n == values.count {
                    result.append(Observation(series: key, period: period, value: sum))
                }
            }
        }
        return result
    }

    /// The denominator for a period: its own value, else the mean of its values inside the period
    /// (a quarter's three months of population), else the last one before the period ends.
    public static func value(of points: [DataPoint], for period: Period) -> Double? {
        if let exact = points.first(where: { $0.period == period }) { return exact.value }
        let inside = points.filter { period.contains($0.period) }
        if !inside.isEmpty { return inside.map(\.value).reduce(0, +) / Double(inside.count) }
        return points.last(where: { $0.period.lastDay <= period.lastDay })?.value
    }
}
