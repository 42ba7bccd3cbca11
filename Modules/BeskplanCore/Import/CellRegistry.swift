/// The cells (series and period) a statistics table has given, so that a cell given twice is an
/// error instead of a quiet overwrite: a table has one value per cell, and a second one usually
/// means a row whose area text was read as another area's. (A beskplan feed may revise its own
/// values within one file; it does not use this.)
///
/// It is on every observation's path, so it is kept cheap: a reader that knows an observation
/// continues the series before it says so (a `nil` series) and the series is not hashed again; each
/// series keeps its cells in an array sorted by period while they come in that order (the usual
/// order of a table: one append each), and in a dictionary once they do not.
public struct CellRegistry: Sendable {
    /// One cell of a series: its period as `cellKey` and the line it was first given on.
    private struct Cell: Sendable {
        let key: Int32
        let line: Int32
    }

    private var seriesNumbers: [SeriesKey: Int] = [:]
    /// Per series number, its cells in increasing key order, while they come in that order.
    private var cells: [[Cell]] = []
    /// The series whose cells came out of order: key → line.
    private var scattered: [Int: [Int32: Int32]] = [:]
    /// Per series number, whether it is in `scattered` (asked per cell, so an array, not a lookup).
    private var isScattered: [Bool] = []
    private var lastSeries = -1

    public init() {}

    /// Notes a cell given on `line`; returns the line it was given on before, if it was.
    /// `series` is `nil` when the caller knows the cell is in the series of the previous call.
    public mutating func note(_ series: SeriesKey?, _ period: Period, line: Int) -> Int? {
        let number: Int
        if let series {
            if let known = seriesNumbers[series] {
                number = known
            } else {
                number = cells.count
                seriesNumbers[series] = number
                cells.append([])
                isScattered.append(false)
            }
        } else {
            precondition(lastSeries >= 0, "a cell in the previous series before any series")
            number = lastSeries
        }
        lastSeries = number
        let cell = Cell(key: Self.cellKey(period), line: Int32(clamping: line))
        if !isScattered[number] {
            guard let last = cells[number].last, last.key >= cell.key else {
                cells[number].append(cell)
                return nil
            }
            // Out of order: the series' cells move to a dictionary, so that a table giving its
            // periods newest first costs a lookup per cell, not an insert into an array.
            scattered[number] = Dictionary(cells[number].map { ($0.key, $0.line) }, uniquingKeysWith: { first, _ in first })
            cells[number] = []
            isScattered[number] = true
        }
        if let earlier = scattered[number]?[cell.key] { return Int(earlier) }
        scattered[number]?[cell.key] = cell.line
        return nil
    }

    /// A period as one integer, distinct for distinct periods (years as statistics give them, at
    /// most four digits): the year, the half, quarter, month or week within it, the granularity.
    static func cellKey(_ period: Period) -> Int32 {
        let (year, part): (Int, Int) =
            switch period {
            case .year(let y): (y, 0)
            case .half(let y, let n), .quarter(let y, let n), .month(let y, let n), .week(let y, let n), .rollingYear(let y, let n):
                (y, n)
            }
        return Int32(truncatingIfNeeded: year) << 9 | Int32(truncatingIfNeeded: part & 63) << 3
            | Int32(period.granularity.rawValue)
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
