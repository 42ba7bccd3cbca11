import BeskplanCore

/// `beskplan import --inspect` for CSV: the dialect, every column with its most frequent values
/// and their counts, the period column's range and the row count, to write a mapping from.
public struct CSVInspection: Sendable {
    public struct Column: Sendable {
        public let name: String
        /// The most frequent values first, at most `shownValues`.
        public let values: [(value: String, count: Int)]
        public let distinct: Int
        /// Whether there were more distinct values than were counted.
        public let more: Bool
        /// For a column of areas: how many of its values are areas, known non-areas, and the
        /// values that are neither (which an import refuses).
        public let areas: (areas: Int, nonAreas: Int, unknown: [String])?
    }

    public let file: String
    public let encoding: String
    public let separator: String
    public let rows: Int
    public let columns: [Column]
    /// A column whose every value is a period, and its range.
    public let period: (column: String, first: Period, last: Period)?

    static let shownValues = 12
    /// Values counted per column; a column with more (a value column) is summarised.
    static let countedValues = 2000

    /// Classifies a column's values as areas when most of them are.
    static func areaSummary(_ values: [String], catalog: AreaCatalog = .standard) -> (areas: Int, nonAreas: Int, unknown: [String])? {
        var areas = 0
        var nonAreas = 0
        var unknown: [String] = []
        for value in values {
            switch catalog.match(value, suggest: false) {
            case .area: areas += 1
            case .nonArea: nonAreas += 1
            case .unknown: unknown.append(value)
            }
        }
        // Numbers that happen to be area codes do not make a value column an area column.
        guard areas > 0, (areas + nonAreas) * 2 >= values.count, values.contains(where: { Int($0) == nil }) || values.allSatisfy({ $0.count == 3 }) else {
            return nil
        }
        return (areas, nonAreas, unknown.sorted())
    }

    public static func inspect(path: String, displayName: String? = nil) throws -> CSVInspection {
        let reader = try CSVReader(path: path, displayName: displayName, separator: nil, encoding: nil)
        guard let header = try reader.next() else {
            throw ImportError(file: reader.file, line: 0, column: 0, message: "the file is empty")
        }
        var counts = Array(repeating: [String: Int](), count: header.count)
        var overflow = Array(repeating: false, count: header.count)
        var periods: [(first: Period, last: Period)?] = Array(repeating: nil, count: header.count)
        var notPeriod = Array(repeating: false, count: header.count)
        var rows = 0
        while try reader.advance() {
            rows += 1
            for i in 0..<min(header.count, reader.record.count) {
                let value = reader.string(i)
                if counts[i][value] != nil || counts[i].count < countedValues {
                    counts[i][value, default: 0] += 1
                } else {
                    overflow[i] = true
                }
                guard !notPeriod[i] else { continue }
                if let period = try? Period(parsing: value) {
                    periods[i] = (min(periods[i]?.first ?? period, period), max(periods[i]?.last ?? period, period))
                } else {
                    notPeriod[i] = true
                }
            }
        }
        let columns = header.indices.map { i in
            Column(
                name: header[i],
                values: counts[i].sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(shownValues).map { ($0.key, $0.value) },
                distinct: counts[i].count, more: overflow[i], areas: areaSummary(Array(counts[i].keys)))
        }
        let period = header.indices.first { !notPeriod[$0] && periods[$0] != nil }.map { (header[$0], periods[$0]!.first, periods[$0]!.last) }
        let separator = reader.separator == 9 ? "tab" : String(UnicodeScalar(reader.separator))
        return CSVInspection(
            file: reader.file, encoding: reader.encoding.rawValue, separator: separator, rows: rows, columns: columns,
            period: period)
    }
}
