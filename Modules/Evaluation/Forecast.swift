import BeskplanCore

/// Where a running period is heading: the value at its last sub-period, projected from the latest
/// figure by the seasonal pattern of earlier years, with a range. Labelled *prognose* wherever it
/// is shown; never stored as a figure.
///
/// The method is the seasonal ratio: in each earlier year, how the series moved from the latest
/// observed sub-period to the period's end (value at the end ÷ value then). The projection is the
/// latest figure times the median of those ratios; the range is the latest figure times their
/// smallest and largest. With n earlier years, a year like them ends inside the range with a
/// chance of about (n − 1)/(n + 1), so at least three are needed and at most `maximumYears` (the
/// most recent) are used. How often it held on real data is measured (docs/evaluation.md).
public struct Forecast: Sendable, Equatable {
    /// The sub-period projected to (the period's end, e.g. 4. kvartal 2024).
    public let period: Period
    public let value: Double
    public let low: Double
    public let high: Double
    /// The figure projected from, and its sub-period.
    public let from: Period
    public let latest: Double
    /// The earlier years whose movement the projection follows.
    public let years: [Int]

    public static let minimumYears = 3
    public static let maximumYears = 8

    /// The projection of `series` (one series' values by period) to `end`, from its latest value
    /// before or at `end` in `end`'s year; `nil` when there is nothing to project (the end is
    /// already there, no figure of the year yet, or too few earlier years with both figures).
    public static func project(_ series: [Period: Double], to end: Period) -> Forecast? {
        if series[end] != nil { return nil }
        guard let (from, latest) = series.filter({ $0.key.granularity == end.granularity && $0.key.year == end.year && $0.key < end })
            .max(by: { $0.key < $1.key })
        else { return nil }
        var ratios: [(year: Int, ratio: Double)] = []
        for back in 1...40 where ratios.count < maximumYears {
            guard let then = series[from.shifted(years: -back)], let after = series[end.shifted(years: -back)], then != 0 else { continue }
            ratios.append((end.year - back, after / then))
        }
        guard ratios.count >= minimumYears else { return nil }
        let sorted = ratios.map(\.ratio).sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        let bounds = [latest * sorted.first!, latest * sorted.last!]
        return Forecast(
            period: end, value: latest * median, low: bounds.min()!, high: bounds.max()!, from: from, latest: latest,
            years: ratios.map(\.year).sorted())
    }

    /// "Prognose for 4. kvartal 2024: 4.650 (4.580–4.720), ud fra 2. kvartal 2024 og udviklingen i 2016–2023."
    public func danish(_ unit: MeasureUnit?) -> String {
        // A projection of a count is a whole number of persons; of a share, to one decimal.
        func n(_ v: Double) -> String {
            switch unit {
            case .fuldtidspersoner?, .helaarspersoner?, .antal?: DanishNumber.format(v.rounded())
            case let unit?: DanishNumber.format(v, unit: unit)
            case nil: DanishNumber.format(v, decimals: 1)
            }
        }
        // "2016–2023" only when no year between is missing; else the years one by one.
        let span = years.count > 1 && years.last! - years.first! == years.count - 1
            ? "\(years.first!)–\(years.last!)" : years.map(String.init).joined(separator: ", ")
        return "Prognose for \(period.danishLabel): \(n(value)) (\(n(low))–\(n(high))), ud fra \(from.danishLabel) og udviklingen i \(span)."
    }
}
