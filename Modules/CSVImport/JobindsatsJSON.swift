import BeskplanCore
import Foundation

/// Jobindsats' API answers (`/v2/data/{table}/json`): `[{"Variables": [{"Name", "Label"}, …],
/// "Data": [[…], …]}]`, each row positional, numbers as numbers or as texts with decimal commas.
/// Read as the table it is: the rows go through the CSV reader with the same mapping as the
/// table's CSV download (`jobindsats-y60a02`), columns named by each variable's label.
public struct JobindsatsJSONFormat: ImportFormat {
    public init() {}
    public var id: String { "jobindsats" }
    public var name: String { "Jobindsats JSON" }
    public var needsMapping: Bool { true }

    public func matches(head: [UInt8]) -> Bool {
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (text.hasPrefix("[") && text.contains("\"Variables\"")) || (text.hasPrefix("{") && text.contains("Forkert nøgle"))
    }

    public func inspect(_ file: ImportFile) throws -> ImportInspection {
        let table = try Self.table(file)
        defer { try? FileManager.default.removeItem(atPath: table.path) }
        let csv = try CSVInspection.inspect(path: table.path, displayName: file.name)
        return ImportInspection(
            format: name, details: [("rows", "\(table.rows)")],
            components: csv.columns.map { c in .init(id: c.name, values: c.values.map { ($0.value, $0.count) }, distinct: c.distinct) },
            timeComponent: csv.period?.column, firstPeriod: csv.period?.first, lastPeriod: csv.period?.last,
            seriesCount: 0, observationCount: csv.rows, missingCount: 0)
    }

    public func sources(_ file: ImportFile, mapping: ImportMapping?, catalog: ImportCatalog) throws -> [any ObservationSource & ReadProgress] {
        guard let mapping else {
            throw ImportError(file: file.name, line: 1, column: 1, message: "the file needs a mapping (--mapping), such as jobindsats-y60a02")
        }
        let table = try Self.table(file, decimal: mapping.csv?.decimal ?? ",")
        do {
            return [TemporaryTableSource(table.path, source: try CSVSource(path: table.path, displayName: file.name, mapping: mapping, catalog: catalog, encoding: "utf-8"))]
        } catch {
            try? FileManager.default.removeItem(atPath: table.path)
            throw error
        }
    }

    /// The rows as a `;`-separated table in a temporary file (line 1 the labels, line n + 1 row n).
    static func table(_ file: ImportFile, decimal: String = ",") throws -> (path: String, rows: Int) {
        func fail(_ message: String) -> ImportError { ImportError(file: file.name, line: 1, column: 1, message: message) }
        // An empty file is said so before Foundation reads it (its reader leaks on an empty file: tools/fuzz found it).
        let size = ((try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? NSNumber)?.int64Value
        guard let size else { throw fail("cannot read the file") }
        guard size > 0 else { throw fail("the file is empty: Jobindsats sent nothing") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file.path)) } catch { throw fail("cannot read the file") }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch { throw fail("not JSON") }
        if let refusal = root as? [String: Any], let key = refusal.keys.first, key.contains("nøgle") {
            throw fail("Jobindsats answered '\(key.clippedForMessage(80))': the API key is wrong or has expired; nothing was sent back")
        }
        guard let answer = (root as? [Any])?.first as? [String: Any], let variables = answer["Variables"] as? [[String: Any]],
            let rows = answer["Data"] as? [[Any]]
        else { throw fail("expected [{\"Variables\": […], \"Data\": […]}], Jobindsats' answer") }
        let names = variables.map { ($0["Label"] as? String) ?? ($0["Name"] as? String) ?? "" }
        guard !names.isEmpty, !names.contains("") else { throw fail("a variable has neither Label nor Name") }
        var text = names.map(Self.field).joined(separator: ";") + "\n"
        for (i, row) in rows.enumerated() {
            guard row.count == names.count else {
                throw ImportError(file: file.name, line: i + 2, column: 1, message: "row \(i + 1) of Data has \(row.count) values for \(names.count) variables")
            }
            text += row.map { value -> String in
                switch value {
                case let number as NSNumber where !(value is String):
                    return Self.field(Self.number(number.doubleValue, decimal: decimal))
                case let string as String: return Self.field(string)
                case is NSNull: return ""
                default: return Self.field("\(value)")
                }
            }.joined(separator: ";") + "\n"
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-jobindsats-\(UUID().uuidString).csv").path
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw fail("cannot write a temporary file")
        }
        return (path, rows.count)
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
