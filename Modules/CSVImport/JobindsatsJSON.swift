import BeskplanCore
import Foundation

/// Jobindsats' API answers, version 3 (`/v3/data/{id}?format=json`): `{"columns": ["Periode",
/// "Område", …, "<group>: <measure>", …], "rows": [["2025M05", "Hele landet", …, 101672, 2.8], …]}`,
/// numbers as JSON numbers, a suppressed cell as `null` (skipped and counted, never stored as 0).
/// Read as the table it is: the rows go through the CSV reader with the same mapping as the
/// table's CSV download (`jobindsats-y60a02`). An answer of the retired version 2 is refused.
public struct JobindsatsJSONFormat: ImportFormat {
    public init() {}
    public var id: String { "jobindsats" }
    public var name: String { "Jobindsats JSON" }
    public var needsMapping: Bool { true }

    /// What a suppressed cell is written as in the intermediate table (no real value reads so).
    static let suppressed = "\u{1F}null"

    public func matches(head: [UInt8]) -> Bool {
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (text.hasPrefix("{") && (text.contains("\"columns\"") || text.contains("\"request_id\"") || text.contains("Forkert nøgle")))
            || (text.hasPrefix("[") && text.contains("\"Variables\""))
    }

    public func inspect(_ file: ImportFile) throws -> ImportInspection {
        let table = try Self.table(file, mapping: nil)
        defer { try? FileManager.default.removeItem(atPath: table.path) }
        let csv = try CSVInspection.inspect(path: table.path, displayName: file.name)
        return ImportInspection(
            format: name, details: [("rows", "\(table.rows)"), ("suppressed cells (null)", "\(table.suppressed)")],
            components: csv.columns.map { c in .init(id: c.name, values: c.values.map { ($0.value, $0.count) }, distinct: c.distinct) },
            timeComponent: csv.period?.column, firstPeriod: csv.period?.first, lastPeriod: csv.period?.last,
            seriesCount: 0, observationCount: csv.rows, missingCount: table.suppressed)
    }

    public func sources(_ file: ImportFile, mapping: ImportMapping?, catalog: ImportCatalog) throws -> [any ObservationSource & ReadProgress] {
        guard let mapping else {
            throw ImportError(file: file.name, line: 1, column: 1, message: "the file needs a mapping (--mapping), such as jobindsats-y60a02")
        }
        let table = try Self.table(file, mapping: mapping)
        do {
            return [TemporaryTableSource(table.path, source: try CSVSource(
                path: table.path, displayName: file.name, mapping: mapping, catalog: catalog, encoding: "utf-8", suppressed: Self.suppressed))]
        } catch {
            try? FileManager.default.removeItem(atPath: table.path)
            throw error
        }
    }

    /// The rows as a `;`-separated table in a temporary file (line 1 the labels, line n + 1 row n).
    /// A measure column `<group>: <measure>` takes the name the mapping gives it (the whole label
    /// or the measure's); one the mapping names in neither form is another measurement of the
    /// table, left out.
    static func table(_ file: ImportFile, mapping: ImportMapping?) throws -> (path: String, rows: Int, suppressed: Int) {
        func fail(_ message: String) -> ImportError { ImportError(file: file.name, line: 1, column: 1, message: message) }
        // An empty file is said so before Foundation reads it (its reader leaks on an empty file: tools/fuzz found it).
        let size = ((try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? NSNumber)?.int64Value
        guard let size else { throw fail("cannot read the file") }
        guard size > 0 else { throw fail("the file is empty: Jobindsats sent nothing") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file.path)) } catch { throw fail("cannot read the file") }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch { throw fail("not JSON") }
        if root is [Any] || ((root as? [String: Any])?.keys.contains { $0.contains("nøgle") } ?? false) {
            throw fail("this is an answer of Jobindsats' API version 2, which was retired after 30 September 2026: fetch it again from version 3 (beskplan fetch)")
        }
        guard let answer = root as? [String: Any] else { throw fail("expected {\"columns\": […], \"rows\": […]}, Jobindsats' version 3 answer") }
        if let cause = answer["cause"] as? String {
            let id = (answer["request_id"] as? String).map { ", request id \($0)" } ?? ""
            throw fail("Jobindsats answered an error (\((answer["code"] as? Int).map(String.init) ?? "?")\(id)): \(cause.clippedForMessage(120))")
        }
        guard let columns = answer["columns"] as? [Any], let rows = answer["rows"] as? [[Any]] else {
            throw fail("expected {\"columns\": […], \"rows\": […]}, Jobindsats' version 3 answer")
        }
        let labels = try columns.enumerated().map { i, c -> String in
            guard let text = c as? String, !text.isEmpty else { throw ImportError(file: file.name, line: 1, column: i + 1, message: "column \(i + 1) has no name") }
            return text
        }
        let (names, kept) = Self.columns(labels, mapping: mapping)
        var text = names.map(Self.field).joined(separator: ";") + "\n"
        var suppressed = 0
        for (i, row) in rows.enumerated() {
            guard row.count == labels.count else {
                throw ImportError(file: file.name, line: i + 2, column: 1, message: "row \(i + 1) has \(row.count) values for \(labels.count) columns")
            }
            text += kept.map { j -> String in
                let value = row[j]
                switch value {
                case is NSNull:
                    suppressed += 1
                    return Self.suppressed
                case let string as String: return Self.field(string)
                case let number as NSNumber: return Self.field(Self.number(number.doubleValue, decimal: mapping?.csv?.decimal ?? ","))
                default: return Self.field("\(value)")
                }
            }.joined(separator: ";") + "\n"
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-jobindsats-\(UUID().uuidString).csv").path
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw fail("cannot write a temporary file")
        }
        return (path, rows.count, suppressed)
    }

    /// The columns' names in the table, and which of the answer's columns are kept.
    static func columns(_ labels: [String], mapping: ImportMapping?) -> (names: [String], kept: [Int]) {
        guard let measures = mapping?.measures else { return (labels, Array(labels.indices)) }
        var names: [String] = []
        var kept: [Int] = []
        for (i, label) in labels.enumerated() {
            if measures[label] != nil {
                names.append(label)
            } else if let range = label.range(of: ": "), measures[String(label[range.upperBound...])] != nil {
                names.append(String(label[range.upperBound...]))
            } else if label.contains(": ") {
                continue
            } else {
                names.append(label)
            }
            kept.append(i)
        }
        return (names, kept)
    }

    /// A JSON number written as the table's texts write theirs: `1234,5` with a decimal comma, `12` whole.
    static func number(_ value: Double, decimal: String) -> String {
        let text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        return decimal == "," ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// A field quoted when it holds the separator, a quote or a line break.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A table source over a temporary file, which goes when the source does.
final class TemporaryTableSource: ObservationSource, ReadProgress {
    private let path: String
    private let source: CSVSource

    init(_ path: String, source: CSVSource) {
        self.path = path
        self.source = source
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func nextChunk() throws -> ObservationChunk? { try source.nextChunk() }
    var skipped: SkipReport { source.skipped }
    var bytesRead: Int64 { source.bytesRead }
    var totalBytes: Int64 { source.totalBytes }
}
