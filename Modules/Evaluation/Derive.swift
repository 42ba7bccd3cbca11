import BeskplanCore

extension ObservationIndex {
    /// The index with every derived measure of the catalog computed from the inputs it holds
    /// (derived from derived, in as many rounds as that takes). A stored figure of a derived
    /// measure (one a source publishes itself) is kept: only the periods it lacks are computed.
    public func derived(_ catalog: MeasureCatalog) -> ObservationIndex {
        var index = self
        let all = catalog.all.compactMap { m in m.derived.map { (m.id, $0) } }
        var derivations = all
        for _ in 0..<3 where !derivations.isEmpty {
            var added: [(key: SeriesKey, points: [DataPoint])] = []
            for (id, derivation) in derivations {
                added += index.compute(id, derivation, catalog)
            }
            // A later round computes only what reads a measure this round gave figures: the rest
            // would come out as it did.
            let grown = index.addComputed(added)
            derivations = all.filter { _, d in d.inputs.contains(where: grown.contains) }
        }
        return index
    }

    /// The derived measure's figures, a series at a time.
    private func compute(_ id: MeasureID, _ d: Derivation, _ catalog: MeasureCatalog) -> [(key: SeriesKey, points: [DataPoint])] {
        let parts = keys(of: d.of).filter { key in (d.select ?? [:]).allSatisfy { key.dimensions[$0.key] == $0.value } }
        var result: [(key: SeriesKey, points: [DataPoint])] = []
        func out(_ key: SeriesKey, dropping: [String]) -> SeriesKey {
            SeriesKey(measure: id, area: key.area, dimensions: key.dimensions.filter { !dropping.contains($0.key) })
        }
        switch d.formula {
        case .change, .changePoints:
            for key in parts {
                let series = self.points(key)
                let values = Dictionary(series.map { ($0.period, $0.value) }, uniquingKeysWith: { a, _ in a })
                // Never a change across a series break: the two figures come from two tables.
                let breaks = catalog[d.of]?.breaks(key.dimensions).map(\.from.firstDay) ?? []
                var changes: [DataPoint] = []
                for point in series {
                    let earlier = point.period.sameInPreviousYear
                    guard let before = values[earlier],
                        !breaks.contains(where: { earlier.firstDay < $0 && $0 <= point.period.firstDay })
                    else { continue }
                    let change = d.formula == .changePoints ? point.value - before : before == 0 ? nil : (point.value / before - 1) * 100
                    if let change { changes.append(DataPoint(period: point.period, value: change)) }
                }
                if !changes.isEmpty { result.append((out(key, dropping: Array((d.select ?? [:]).keys)), changes)) }
            }
        case .share, .perThousand:
            let whole = d.wholeMeasure ?? d.of
            for key in parts {
                var wholeDimensions = whole == d.of ? key.dimensions : [:]
                for (k, v) in d.wholeSelect ?? [:] { wholeDimensions[k] = v }
                let denominator = self.points(SeriesKey(measure: whole, area: key.area, dimensions: wholeDimensions))
                guard !denominator.isEmpty else { continue }
                let shares = self.points(key).compactMap { point -> DataPoint? in
                    guard let base = Self.value(of: denominator, for: point.period), base != 0 else { return nil }
                    return DataPoint(period: point.period, value: point.value / base * (d.formula == .share ? 100 : 1000))
                }
                if !shares.isEmpty { result.append((out(key, dropping: Array((d.select ?? [:]).keys)), shares)) }
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
                let sums = periods.filter { $0.value.1 == values.count }.map { DataPoint(period: $0.key, value: $0.value.0) }
                if !sums.isEmpty { result.append((key, sums.sorted { $0.period < $1.period })) }
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
