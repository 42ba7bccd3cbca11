import BeskplanCore
import Foundation

/// A JSON-stat file as cubes: version 1.x (Statistikbanken's `{"dataset": …}`, and bundles of
/// several named datasets) and 2.0 (`"class": "dataset"`), with `value` and `status` as arrays or
/// as sparse objects. A `null` value, or one whose status is a missing symbol, is missing.
///
/// Read whole with Foundation's JSON parser: JSON-stat puts the dimensions after or before the
/// values as it likes, so the cells cannot be placed before the whole document is read.
public struct JSONStatFile {
    public struct Dataset {
        public let name: String
        public let cube: Cube
        let values: [Int: Double]
        let status: [Int: String]
        let cellCount: Int
    }

    public let datasets: [Dataset]
    /// `1.x` or `2.0`.
    public let version: String
    let bytes: Int64

    public init(path: String, displayName: String? = nil) throws(ImportError) {
        let file = displayName ?? path
        func fail(_ message: String) -> ImportError { ImportError(file: file, line: 1, column: 1, message: message) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw ImportError(file: file, line: 0, column: 0, message: "cannot read the file")
        }
        bytes = Int64(data.count)
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw fail("not JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "the file cannot be parsed")")
        }
        guard let object = root as? [String: Any] else { throw fail("JSON-stat is an object; this file is a \(root is [Any] ? "list" : "value")") }
        if object["class"] as? String == "dataset" || object["version"] as? String == "2.0" {
            guard object["class"] as? String == "dataset" else {
                throw fail("JSON-stat 2.0 class '\(object["class"] as? String ?? "-")' is not read; export a dataset")
            }
            version = "2.0"
            datasets = [try Self.dataset(object, name: object["label"] as? String ?? "dataset", file: file)]
        } else {
            version = "1.x"
            // A bundle: every member that is an object with "dimension" and "value" is a dataset.
            var found: [Dataset] = []
            for (name, member) in object.sorted(by: { $0.key < $1.key }) {
                guard let member = member as? [String: Any], member["dimension"] != nil, member["value"] != nil else { continue }
                found.append(try Self.dataset(member, name: name, file: file))
            }
            guard !found.isEmpty else { throw fail("no dataset: JSON-stat 1.x is {\"dataset\": {\"dimension\": …, \"value\": …}}") }
            datasets = found
        }
    }

    static func dataset(_ object: [String: Any], name: String, file: String) throws(ImportError) -> Dataset {
        func fail(_ message: String) -> ImportError { ImportError(file: file, line: 1, column: 1, message: "dataset '\(name)': \(message)") }
        guard let dimension = object["dimension"] as? [String: Any] else { throw fail("it has no \"dimension\"") }
        // 2.0 puts id, size and role at the top; 1.x inside "dimension".
        guard let ids = (object["id"] ?? dimension["id"]) as? [String] else { throw fail("it has no \"id\" list of dimensions") }
        let sizes = ((object["size"] ?? dimension["size"]) as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue } ?? []
        guard sizes.count == ids.count else { throw fail("\"size\" has \(sizes.count) entries for \(ids.count) dimensions") }
        let role = (object["role"] ?? dimension["role"]) as? [String: Any] ?? [:]
        let timeIDs = Set(role["time"] as? [String] ?? [])
        let metricIDs = Set(role["metric"] as? [String] ?? [])
        var variables: [Cube.Variable] = []
        var units: [String] = []
        for (id, size) in zip(ids, sizes) {
            guard let entry = dimension[id] as? [String: Any], let category = entry["category"] as? [String: Any] else {
                throw fail("dimension '\(id)' has no category")
            }
            let labels = category["label"] as? [String: String] ?? [:]
            var codes = Array(repeating: "", count: size)
            if let list = category["index"] as? [String] {
                for (i, code) in list.enumerated() where i < size { codes[i] = code }
            } else if let index = category["index"] as? [String: Any] {
                for (code, position) in index {
                    guard let i = (position as? NSNumber)?.intValue, i >= 0, i < size else {
                        throw fail("dimension '\(id)': category '\(code)' has index \(position), outside 0..<\(size)")
                    }
                    codes[i] = code
                }
            } else if labels.count == size, size == 1, let only = labels.keys.first {
                codes[0] = only
            } else {
                throw fail("dimension '\(id)' has no category index")
            }
            if let empty = codes.firstIndex(of: "") { throw fail("dimension '\(id)' has no category at position \(empty)") }
            var variable = Cube.Variable(name: id, texts: codes.map { labels[$0] ?? $0 }, codes: codes)
            variable.isTime = timeIDs.contains(id)
            variable.isContent = metricIDs.contains(id)
            if variable.isContent, let unit = category["unit"] as? [String: Any] {
                units = codes.map { ((unit[$0] as? [String: Any])?["label"] as? String) ?? "" }
            }
            variables.append(variable)
        }
        let count = sizes.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
        var values: [Int: Double] = [:]
        switch object["value"] {
        case let list as [Any]:
            guard list.count == count else {
                throw fail("\"value\" holds \(list.count) cells, but the dimensions make \(count) (\(zip(ids, sizes).map { "\($0) (\($1))" }.joined(separator: " × ")))")
            }
            values.reserveCapacity(list.count)
            for (i, v) in list.enumerated() { if let number = v as? NSNumber, !(v is NSNull) { values[i] = number.doubleValue } }
        case let sparse as [String: Any]:
            for (key, v) in sparse {
                guard let i = Int(key), i >= 0, i < count else { throw fail("\"value\" has a cell '\(key)' outside 0..<\(count)") }
                if let number = v as? NSNumber { values[i] = number.doubleValue }
            }
        default:
            throw fail("it has no \"value\"")
        }
        var status: [Int: String] = [:]
        switch object["status"] {
        case let one as String: for i in 0..<count { status[i] = one }
        case let list as [Any]: for (i, s) in list.enumerated() { if let s = s as? String { status[i] = s } }
        case let sparse as [String: Any]: for (key, s) in sparse { if let i = Int(key), let s = s as? String { status[i] = s } }
        default: break
        }
        let cube = Cube(
            title: object["label"] as? String, variables: variables, units: units, decimals: nil)
        return Dataset(name: name, cube: cube, values: values, status: status, cellCount: count)
    }

    /// Whether a file's first bytes look like JSON-stat: a JSON object that names a dataset or its parts.
    public static func matches(head: [UInt8]) -> Bool {
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard bytes.first(where: { ![32, 9, 10, 13].contains($0) }) == UInt8(ascii: "{") else { return false }
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        return ["\"dataset\"", "\"dimension\"", "\"class\"", "\"version\""].contains { text.contains($0) }
    }

    /// The cells of one dataset.
    public func cells(_ dataset: Dataset) -> any CubeCells { JSONStatCells(dataset, bytes: bytes) }
}

/// A dataset's cells in order: a number, or missing (`null`, or a status that is a missing symbol).
final class JSONStatCells: CubeCells {
    private let dataset: JSONStatFile.Dataset
    private var index = 0
    let totalBytes: Int64
    var line: Int { 0 }
    var bytesRead: Int64 { dataset.cellCount == 0 ? totalBytes : totalBytes * Int64(index) / Int64(dataset.cellCount) }

    init(_ dataset: JSONStatFile.Dataset, bytes: Int64) {
        self.dataset = dataset
        totalBytes = bytes
    }

    /// Statuses that mean the value is not there (PX's symbols, which Statistikbanken also uses, and SDMX's).
    static let missingStatuses: Set<String> = [".", "..", "...", "....", ".....", "......", "-", "M", "L", "O"]

    func next() throws(ImportError) -> CubeCell? {
        guard index < dataset.cellCount else { return nil }
        defer { index += 1 }
        let status = dataset.status[index]
        guard let value = dataset.values[index] else { return .missing(status ?? "null") }
        if let status, Self.missingStatuses.contains(status) { return .missing(status) }
        return .number(value)
    }
}
