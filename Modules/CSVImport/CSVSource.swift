import BeskplanCore
import Foundation

/// Reads a CSV file through an `ImportMapping`: long (one observation per row), wide (periods as
/// columns) or with measures as columns. Refuses files that hold CPR numbers; skips and counts
/// missing values and areas that are no kommune, region or the country.
public final class CSVSource: ObservationSource, ReadProgress {
    private let reader: CSVReader
    private let mapping: ImportMapping
    private let catalog: ImportCatalog
    /// The header line's column names.
    public let header: [String]
    private let segment: FileSegment?
    private let numbers: NumberFormat
    /// Value columns: (column index, fixed measure or nil, fixed period or nil).
    private let values: [(index: Int, measure: MeasureID?, period: Period?)]
    private let periodIndex: Int?
    private let measureIndex: Int?
    /// Columns that are neither values nor the period: the row's key.
    private let keyColumns: [Int]
    private var resolvers: [MeasureID: MappingResolver] = [:]
    private var lastResolver: MappingResolver?
    private var cache: [String: MappingResolver.Outcome] = [:]
    /// The previous row's measure and outcome, and its key columns' bytes: rows of one series
    /// usually follow each other.
    private var last: (measure: MeasureID, outcome: MappingResolver.Outcome)?
    private var lastKey: [UInt8] = []
    private var key: [UInt8] = []
    /// The texts that mean a missing value, as bytes in the file's encoding.
    private let missingMarkers: [[UInt8]]
    /// The text that stands for a cell the source suppressed (Jobindsats' `null`), counted apart.
    private let suppressedMarker: [UInt8]?
    /// Chunks ready for the store, and the series being filled.
    private var ready: [ObservationChunk] = []
    private var current: ObservationChunk?
    private var report = SkipReport()
    private var cells = CellRegistry()
    private static let chunkLimit = 4096

    /// What was skipped, at the file's lines.
    public var skipped: SkipReport {
        guard let segment, report.total > 0 || !report.selectValues.isEmpty else { return report }
        return report.shiftingLines(by: segment.lineOffset())
    }

    /// Whether a file is CSV rather than XML: its first character (after a BOM) is not `<`.
    public static func looksLikeCSV(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path), let head = try? handle.read(upToCount: 512) else { return false }
        try? handle.close()
        let bytes = [UInt8](head).drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }
        return bytes.first != UInt8(ascii: "<")
    }

    /// Reads the file at `path`, or one segment of it (see `segments(path:mapping:catalog:encoding:parts:minimumSize:)`).
    public init(
        path: String, displayName: String? = nil, mapping: ImportMapping, catalog: ImportCatalog, encoding: String? = nil,
        segment: FileSegment? = nil, suppressed: String? = nil
    ) throws {
        let file = displayName ?? path
        func fail(_ line: Int, _ column: Int, _ message: String) -> ImportError {
            ImportError(file: file, line: line, column: column, message: message)
        }
        let options = mapping.csv
        let separator: UInt8? = switch options?.separator {
        case "tab"?, "\t"?: 9
        case let s? where s.utf8.count == 1: s.utf8.first
        default: nil
        }
        let encodingName = (encoding ?? options?.encoding)?.lowercased()
        let chosen: CSVReader.Encoding? = switch encodingName {
        case nil: nil
        case "utf-8"?, "utf8"?: .utf8
        case "windows-1252"?, "cp1252"?, "iso-8859-1"?, "latin1"?, "latin-1"?: .windows1252
        default: throw fail(0, 0, "unknown encoding '\(encodingName!)' (utf-8, windows-1252 or iso-8859-1)")
        }
        reader = try CSVReader(path: path, displayName: displayName, separator: separator, encoding: chosen, segment: segment)
        guard let first = try reader.next() else { throw fail(1, 1, "the file is empty") }
        let names = first.map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.contains(where: { !$0.isEmpty }) else {
            throw fail(reader.line, 1, "the first line is empty; a CSV file starts with its header line (OMRÅDE;TID;INDHOLD, …)")
        }
        // Mojibake in the header: the file was read in the wrong encoding.
        let encodingHint = names.contains { $0.contains("\u{FFFD}") || $0.contains("Ã") }
            ? " (the header does not read as text in \(reader.encoding.rawValue): is --encoding right?)" : ""
        let decimal: Character = options?.decimal.flatMap(\.first) ?? (reader.separator == UInt8(ascii: ",") ? "." : ",")
        let thousands: Character? = options?.thousands.map { $0.first } ?? (decimal == "," ? "." : nil)
        func column(_ name: String, _ what: String) throws -> Int {
            guard let i = names.firstIndex(of: name) else {
                throw fail(
                    1, 1,
                    "no column '\(name)' (\(what)); the columns are \(names.joined(separator: ", ").clippedForMessage(200))"
                        + encodingHint)
            }
            return i
        }
        let values: [(index: Int, measure: MeasureID?, period: Period?)]
        let periodIndex: Int?
        if let measures = mapping.measures, !measures.isEmpty {
            values = try measures.sorted { $0.key < $1.key }.map { (try column($0.key, "a measure column"), $0.value, nil) }
            periodIndex = try column(mapping.period?.from ?? "TID", "period")
        } else if mapping.wide == true {
            let periods = names.enumerated().compactMap { i, name in (try? Period(parsing: name)).map { (i, $0) } }
            guard !periods.isEmpty else { throw fail(1, 1, "wide: true, but no column header is a period (2019K2, 2021M10, …)") }
            values = periods.map { ($0.0, nil, $0.1) }
            periodIndex = nil
        } else {
            values = [(try column(mapping.value ?? "INDHOLD", "value"), nil, nil)]
            periodIndex = try column(mapping.period?.from ?? "TID", "period")
        }
        header = names
        self.segment = segment
        numbers = NumberFormat(decimal: decimal, thousands: thousands)
        missingMarkers = mapping.missingValueTexts.compactMap { [reader] in reader.encode($0) }
        suppressedMarker = suppressed.flatMap { [reader] in reader.encode($0) }
        self.mapping = mapping
        self.catalog = catalog
        self.values = values
        self.periodIndex = periodIndex
        let notKey = Set(values.map(\.index) + [periodIndex].compactMap { $0 })
        keyColumns = names.indices.filter { !notKey.contains($0) }
        measureIndex = try mapping.measureFrom.map { try column($0, "measureFrom") }
        if measureIndex == nil {
            // Every column is mapped, selected, ignored, a period or a value: an unmapped column
            // would mix totals with their parts.
            let known = try located(1, 1) { try resolver(mapping.measure ?? values.first?.measure ?? "").knownComponents }
            let used = Set(values.map(\.index) + [periodIndex].compactMap { $0 })
            for (i, name) in names.enumerated() where !used.contains(i) && !known.contains(name) {
                throw fail(
                    1, i + 1,
                    "column '\(name.clippedForMessage())' is neither mapped nor selected; add it to the mapping's dimensions:, "
                        + "select: or ignore:" + encodingHint)
            }
        }
    }

    /// Cuts a large CSV file into `parts` segments that read in parallel, each after a copy of
    /// the header line, at line starts where the series changes (so that a series is not split
    /// between segments); `nil` when the file is small or cannot be cut. The encoding is
    /// detected once, for all segments: pass `encoding` on to them.
    public static func segments(
        path: String, mapping: ImportMapping, catalog: ImportCatalog, encoding: String? = nil, parts: Int,
        minimumSize: Int64
    ) throws -> (segments: [FileSegment], encoding: String)? {
        let whole = try CSVSource(path: path, mapping: mapping, catalog: catalog, encoding: encoding)
        let size = whole.reader.totalBytes
        guard parts > 1, size >= minimumSize else { return nil }
        let headEnd = whole.reader.nextRecordOffset
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        let head = [UInt8]((try? file.read(upToCount: Int(headEnd))) ?? Data())
        let encodingName = whole.reader.encoding.rawValue
        let cuts = FileSegment.cuts(size: size, parts: parts, from: headEnd) { target in
            try? whole.seriesBoundary(in: path, after: target, size: size)
        }
        guard cuts.count > 1 else { return nil }
        let segments = cuts.indices.map { i in
            FileSegment(
                path: path, head: i == 0 ? [] : head,
                range: (i == 0 ? 0 : cuts[i])..<(i + 1 < cuts.count ? cuts[i + 1] : size), tail: [])
        }
        return (segments, encodingName)
    }

    /// The start of the first line at or after `target` whose key columns differ from the line
    /// before it, looking at most 100,000 lines ahead.
    private func seriesBoundary(in path: String, after target: Int64, size: Int64) throws -> Int64? {
        let from = max(target - 1, 0)
        let probe = try CSVReader(
            path: path, displayName: nil, separator: reader.separator, encoding: reader.encoding,
            segment: FileSegment(path: path, head: [], range: from..<size, tail: []))
        // The rest of the line `target` falls in.
        guard try probe.advance() else { return nil }
        var previous: [UInt8]?
        for _ in 0..<100_000 {
            let start = from + probe.nextRecordOffset
            guard try probe.advance() else { return nil }
            guard probe.record.count == header.count else { return nil }
            var key: [UInt8] = []
            keyBytes(of: probe.record, into: &key)
            if let previous, previous != key { return start }
            previous = key
        }
        return nil
    }

    public var bytesRead: Int64 { reader.bytesRead }
    public var totalBytes: Int64 { reader.totalBytes }

    public func nextChunk() throws -> ObservationChunk? {
        while ready.isEmpty, try reader.advance() {
            try readRecord()
        }
        if !ready.isEmpty { return ready.removeFirst() }
        defer { current = nil }
        return current
    }

    /// Adds a point to the series being filled, handing the chunk on when the series changes.
    private func add(_ key: SeriesKey, _ point: DataPoint, sameAsLast: Bool) {
        if var chunk = current, sameAsLast || chunk.series == key, chunk.points.count < Self.chunkLimit {
            current = nil  // keep the array uniquely referenced while appending
            chunk.points.append(point)
            current = chunk
            return
        }
        if let chunk = current { ready.append(chunk) }
        current = ObservationChunk(series: key, points: [point])
    }

    /// Reads the reader's current record. Fields stay bytes (in the file's encoding) until a
    /// message or a new series needs them as text: this runs once per row of files with millions.
    private func readRecord() throws {
        let record = reader.record
        let line = reader.line
        guard record.count == header.count else {
            throw ImportError(file: reader.file, line: line, column: 1, message: "expected \(header.count) fields, found \(record.count)")
        }
        for i in keyColumns where CPR.looksLike(record[i]) { throw cprRefusal(line: line, column: i) }
        var rowPeriod: Period?
        if let periodIndex {
            rowPeriod = Self.trimmed(record[periodIndex]).withUnsafeBufferPointer(Period.parse(utf8:))
            if rowPeriod == nil {
                do throws(PeriodError) {
                    rowPeriod = try Period(parsing: reader.string(periodIndex))
                } catch {
                    throw ImportError(file: reader.file, line: line, column: periodIndex + 1, message: error.description)
                }
            }
        }
        let rowMeasure = measureIndex.map { reader.string($0) }
        for value in values {
            let field = Self.trimmed(record[value.index])
            guard let measure = value.measure ?? rowMeasure ?? mapping.measure else { continue }
            let resolver = try located(line, value.index) { try self.resolver(measure) }
            if CPR.looksLike(field) {
                // A count is never a ten-digit number that starts with a date: refuse it with the
                // rest of the file rather than store a person's number as a figure.
                throw cprRefusal(line: line, column: value.index)
            }
            if let suppressedMarker, suppressedMarker.elementsEqual(field) {
                report.add("suppressed by the source (null: too few persons to publish)", line: line)
                continue
            }
            if missingMarkers.contains(where: { $0.elementsEqual(field) }) {
                report.add("missing value", line: line)
                continue
            }
            guard let number = numbers.parse(field), number.isFinite else {
                let reason = numbers.parse(field) == nil ? "is not a number in this file's format (\(numbers))" : "is too large for a number"
                throw ImportError(
                    file: reader.file, line: line, column: value.index + 1,
                    message: "'\(reader.decode(field).clippedForMessage())' \(reason)")
            }
            let (outcome, repeated) = try located(line, 1) { try self.outcome(record, line: line, measure: measure, resolver: resolver) }
            switch outcome {
            case .skipped(let reason): report.add(reason, line: line)
            case .series(let key):
                let period = value.period ?? rowPeriod!
                if let earlier = cells.note(repeated ? nil : key, period, line: line) {
                    throw ImportError(
                        file: reader.file, line: line, column: areaColumn,
                        message: CellRegistry.givenTwice(key, period, earlier: earlier, catalog: catalog))
                }
                add(key, DataPoint(period: period, value: resolver.scaled(number)), sameAsLast: repeated && values.count == 1)
            }
        }
    }

    /// The 1-based column of the area, for an error about a row's cell.
    private var areaColumn: Int { mapping.area.from.flatMap { header.firstIndex(of: $0) }.map { $0 + 1 } ?? 1 }

    /// The file is refused: the field at `column` (0-based) looks like a CPR number.
    private func cprRefusal(line: Int, column: Int) -> ImportError {
        ImportError(
            file: reader.file, line: line, column: column + 1,
            message: "column '\(header[column].clippedForMessage())' holds what looks like a CPR number; "
                + "beskplan holds aggregate statistics only, so the file is refused")
    }

    private static func trimmed(_ field: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var field = field
        while field.first == 32 { field = field.dropFirst() }
        while field.last == 32 { field = field.dropLast() }
        return field
    }

    private func resolver(_ measure: MeasureID) throws -> MappingResolver {
        if let lastResolver, lastResolver.measure.id == measure { return lastResolver }
        if let r = resolvers[measure] {
            lastResolver = r
            return r
        }
        let r = try MappingResolver(mapping, measure: measure, measures: catalog.measures, dimensions: catalog.dimensions, areas: catalog.areas)
        resolvers[measure] = r
        lastResolver = r
        return r
    }

    /// The series of a record's key columns. Rows of one series usually follow each other, so
    /// the previous row's key is compared first, as bytes; other keys are cached by their text.
    /// Also says whether it is the previous row's key.
    private func outcome(
        _ record: CSVRecord, line: Int, measure: MeasureID, resolver: MappingResolver
    ) throws -> (MappingResolver.Outcome, Bool) {
        keyBytes(of: record, into: &key)
        if let last, last.measure == measure, key == lastKey {
            return (last.outcome, true)
        }
        let signature = measure + "\u{1F}" + reader.decode(key[...])
        let outcome: MappingResolver.Outcome
        if let cached = cache[signature] {
            outcome = cached
        } else {
            var components: [String: String] = [:]
            for i in keyColumns { components[header[i]] = reader.string(i) }
            outcome = try resolver.resolve(components, line: line, report: &report)
            if cache.count > 100_000 { cache.removeAll() }
            cache[signature] = outcome
        }
        last = (measure, outcome)
        swap(&key, &lastKey)
        return (outcome, false)
    }

    /// A record's key columns as bytes, each followed by 0x1F.
    private func keyBytes(of record: CSVRecord, into key: inout [UInt8]) {
        key.removeAll(keepingCapacity: true)
        for i in keyColumns {
            key.append(contentsOf: record[i])
            key.append(0x1F)
        }
    }

    /// Runs `body`, placing a mapping error at `line`, in the column of the component it names
    /// (else `column`).
    private func located<T>(_ line: Int, _ column: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as MappingError {
            let at = error.component.flatMap { header.firstIndex(of: $0) }.map { $0 + 1 } ?? column
            throw ImportError(file: reader.file, line: line, column: at, message: error.description)
        }
    }
}

/// Danish CPR numbers: `ddmmyy-xxxx`, or ten digits that start with a valid date.
enum CPR {
    static func looksLike(_ field: ArraySlice<UInt8>) -> Bool {
        guard field.count == 10 || field.count == 11 else { return false }
        let u = Array(field)
        let digits: (ArraySlice<UInt8>) -> Bool = { $0.allSatisfy { (48...57).contains($0) } }
        let date: (ArraySlice<UInt8>) -> Bool = { d in
            let day = Int(d[d.startIndex] - 48) * 10 + Int(d[d.startIndex + 1] - 48)
            let month = Int(d[d.startIndex + 2] - 48) * 10 + Int(d[d.startIndex + 3] - 48)
            return (1...31).contains(day) && (1...12).contains(month)
        }
        if u.count == 11, u[6] == UInt8(ascii: "-"), digits(u[0..<6]), digits(u[7..<11]) { return date(u[0..<6]) }
        if u.count == 10, digits(u[0..<10]) { return date(u[0..<6]) }
        return false
    }
}
