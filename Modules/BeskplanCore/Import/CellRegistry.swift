/// The cells (series and period) a statistics table has given, so that a cell given twice is an
/// error instead of a quiet overwrite: a table has one value per cell, and a second one usually
/// means a row whose area text was read as another area's. (A beskplan feed may revise its own
/// values within one file; it does not use this.)
public struct CellRegistry: Sendable {
    private var seriesNumbers: [SeriesKey: UInt64] = [:]
    /// Series number and period → the line the cell was first given on.
    private var lines: [UInt64: Int32] = [:]

    public init() {}

    /// Notes a cell given on `line`; returns the line it was given on before, if it was.
    public mutating func note(_ series: SeriesKey, _ period: Period, line: Int) -> Int? {
        let number = seriesNumbers[series] ?? {
            let next = UInt64(seriesNumbers.count)
            seriesNumbers[series] = next
            return next
        }()
        // A period is its first day (32 bits) and its granularity (3 bits); the series number above them.
        let key = number << 36 | UInt64(UInt32(truncatingIfNeeded: period.firstDay.number)) << 3
            | UInt64(period.granularity.rawValue)
        if let earlier = lines[key] { return Int(earlier) }
        lines[key] = Int32(clamping: line)
        return nil
    }

    /// The error for a cell given a second time: `Svendborg, 3. kvartal 2021 (…) is given twice …`.
    public static func givenTwice(_ key: SeriesKey, _ period: Period, earlier: Int, catalog: ImportCatalog) -> String {
        let area = catalog.areas[key.area]?.name ?? key.area.rawValue
        var what = catalog.measures[key.measure]?.name.lowercasedFirst() ?? key.measure
        if !key.dimensions.isEmpty { what += ", " + key.dimensions.sorted { $0.key < $1.key }.map(\.value).joined(separator: ", ") }
        return "\(area), \(period.danishLabel) (\(what)) is given twice, on line \(earlier) and here; a table has one "
            + "value per cell: is an area text on one of the lines another area's?"
    }
}
