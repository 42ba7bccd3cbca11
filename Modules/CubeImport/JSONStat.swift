import BeskplanCore
import Foundation

/// A JSON-stat file as cubes: version 1.x (Statistikbanken's `{"dataset": …}`, and bundles of
/// several named datasets) and 2.0 (`"class": "dataset"`), with `value` and `status` as arrays or
/// as sparse objects. A `null` value, or one whose status is a missing symbol, is missing.
///
/// Read in two passes, because JSON-stat puts the dimensions before or after the values as it
/// likes: the first reads everything but the `value` and `status` lists, which it only counts;
/// the cells are then read from the file a cell at a time. A gigabyte file takes a few megabytes.
public struct JSONStatFile {
    public struct Dataset {
        public let name: String
        public let cube: Cube
        let values: Cells<Double>
        let status: Cells<String>
        let cellCount: Int
    }

    /// A dataset's values or statuses: a list in the file with one per cell, sparse, or one for all.
    enum Cells<T> {
        case list(JSONValue.ListSpan)
        case sparse([Int: T])
        case all(T?)
    }

    public let datasets: [Dataset]
    /// `1.x` or `2.0`.
    public let version: String
    let bytes: Int64
    let path: String
    let file: String

    public init(path: String, displayName: String? = nil) throws(ImportError) {
        let file = displayName ?? path
        func fail(_ message: String) -> ImportError { ImportError(file: file, line: 1, column: 1, message: message) }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        bytes = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        self.path = path
        self.file = file
        let root = try JSONValue.parse(path: path, file: file)
        guard let object = root.object else { throw fail("JSON-stat is an object; this file is \(root.items != nil ? "a list" : "a single value")") }
        if object["class"]?.string == "dataset" || object["version"]?.string == "2.0" {
            guard object["class"]?.string == "dataset" else {
                throw fail("JSON-stat 2.0 class '\(object["class"]?.string ?? "-")' is not read; export a dataset")
            }
            version = "2.0"
            datasets = [try Self.dataset(root, name: object["label"]?.string ?? "dataset", file: file)]
        } else {
            version = "1.x"
            // A bundle: every member that is an object with "dimension" and "value" is a dataset.
            var found: [Dataset] = []
            for (name, member) in object.sorted(by: { $0.key < $1.key }) where member["dimension"] != nil && member["value"] != nil {
                found.append(try Self.dataset(member, name: name, file: file))
            }
            guard !found.isEmpty else { throw fail("no dataset: JSON-stat 1.x is {\"dataset\": {\"dimension\": …, \"value\": …}}") }
            datasets = found
        }
    }

    static func dataset(_ object: JSONValue, name: String, file: String) throws(ImportError) -> Dataset {
        func fail(_ message: String) -> ImportError { ImportError(file: file, line: 1, column: 1, message: "dataset '\(name)': \(message)") }
        guard let dimension = object["dimension"] else { throw fail("it has no \"dimension\"") }
        // 2.0 puts id, size and role at the top; 1.x inside "dimension".
        guard let ids = (object["id"] ?? dimension["id"])?.strings else { throw fail("it has no \"id\" list of dimensions") }
        let sizes = ((object["size"] ?? dimension["size"])?.items ?? []).compactMap { $0.number.flatMap { Int(exactly: $0) } }
        guard sizes.count == ids.count, sizes.allSatisfy({ $0 >= 0 }) else { throw fail("\"size\" has \(sizes.count) sizes for \(ids.count) dimensions") }
        // The cells the dimensions make, checked before anything of that size is made.
        var count = 1
        for size in sizes {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= 1 << 32 else { throw fail("the dimensions make more cells than any file holds") }
            count = product
        }
        let role = object["role"] ?? dimension["role"]
        let timeIDs = Set(role?["time"]?.strings ?? [])
        let metricIDs = Set(role?["metric"]?.strings ?? [])
        var variables: [Cube.Variable] = []
        var units: [String] = []
        for (id, size) in zip(ids, sizes) {
            guard let category = dimension[id]?["category"] else { throw fail("dimension '\(id)' has no category") }
            let listed = category["index"]?.items?.count ?? category["index"]?.object?.count ?? category["label"]?.object?.count ?? 0
            guard listed == size else { throw fail("dimension '\(id)' has size \(size) but \(listed) categories") }
            var labels: [String: String] = [:]
            for (code, label) in category["label"]?.object ?? [:] { labels[code] = label.string }
            var codes = Array(repeating: "", count: size)
            if let list = category["index"]?.strings {
                for (i, code) in list.enumerated() where i < size { codes[i] = code }
            } else if let index = category["index"]?.object {
                for (code, position) in index {
                    guard let i = position.number.flatMap({ Int(exactly: $0) }), i >= 0, i < size else {
                        throw fail("dimension '\(id)': category '\(code.clippedForMessage())' has an index outside 0..<\(size)")
                    }
                    codes[i] = code
                }
            } else if size == 1, labels.count == 1, let only = labels.keys.first {
                codes[0] = only
            } else {
                throw fail("dimension '\(id)' has no category index")
            }
            if let empty = codes.firstIndex(of: "") { throw fail("dimension '\(id)' has no category at position \(empty)") }
            var variable = Cube.Variable(name: id, texts: codes.map { labels[$0] ?? $0 }, codes: codes)
            variable.isTime = timeIDs.contains(id)
            variable.isContent = metricIDs.contains(id)
            if variable.isContent, let unit = category["unit"] {
                units = codes.map { unit[$0]?["label"]?.string ?? unit[$0]?["base"]?.string ?? "" }
            }
            variables.append(variable)
        }
        let values: Cells<Double>
        switch object["value"] {
        case .list(let span)?:
            guard span.count == count else {
                throw fail("\"value\" holds \(span.count) cells, but the dimensions make \(count) (\(zip(ids, sizes).map { "\($0) (\($1))" }.joined(separator: " × ")))")
            }
            values = .list(span)
        case .object(let sparse)?:
            // A sparse cube is read cell by cell: no more cells than a list in a file this size could hold.
            guard count <= 64 * sparse.count + 1_000_000 else {
                throw fail("\"value\" names \(sparse.count) cells of \(count): too sparse to read")
            }
            var cells: [Int: Double] = [:]
            for (key, v) in sparse {
                guard let i = Int(key), i >= 0, i < count else { throw fail("\"value\" has a cell '\(key.clippedForMessage())' outside 0..<\(count)") }
                cells[i] = v.number
            }
            values = .sparse(cells)
        default:
            throw fail("it has no \"value\" list or object")
        }
        let status: Cells<String>
        switch object["status"] {
        case .string(let one)?: status = .all(one)
        case .list(let span)?:
            // One status for every cell, or one per cell (a shorter list leaves the rest without).
            guard span.count <= count else { throw fail("\"status\" holds \(span.count) cells, but the dimensions make \(count)") }
            status = .list(span)
        case .object(let sparse)?: status = .sparse(sparse.reduce(into: [:]) { cells, member in
            if let i = Int(member.key), let s = member.value.string { cells[i] = s }
        })
        default: status = .all(nil)
        }
        let cube = Cube(title: object["label"]?.string, variables: variables, units: units, decimals: nil)
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

    /// The cells of one dataset, read from the file.
    public func cells(_ dataset: Dataset) throws(ImportError) -> any CubeCells {
        try JSONStatCells(dataset, path: path, file: file, bytes: bytes)
    }
}

/// A dataset's cells in order: a number, or missing (`null`, a text, or a status that is a
/// missing symbol).
final class JSONStatCells: CubeCells {
    private let dataset: JSONStatFile.Dataset
    private let values: JSONListReader?
    private let statuses: JSONListReader?
    /// A status list of one item: it holds for every cell.
    private var statusForAll: String?
    private var index = 0
    let totalBytes: Int64
    var line: Int { 0 }
    var bytesRead: Int64 { dataset.cellCount == 0 ? totalBytes : totalBytes * Int64(index) / Int64(dataset.cellCount) }

    init(_ dataset: JSONStatFile.Dataset, path: String, file: String, bytes: Int64) throws(ImportError) {
        self.dataset = dataset
        totalBytes = bytes
        if case .list(let span) = dataset.values {
            values = try JSONListReader(path: path, file: file, offset: span.offset)
        } else {
            values = nil
        }
        if case .list(let span) = dataset.status, span.count == 1, dataset.cellCount > 1 {
            if case .string(let one)? = try JSONListReader(path: path, file: file, offset: span.offset).next() { statusForAll = one }
            statuses = nil
        } else if case .list(let span) = dataset.status {
            statuses = try JSONListReader(path: path, file: file, offset: span.offset)
        } else {
            statuses = nil
        }
    }

    /// Statuses that mean the value is not there (PX's symbols, which Statistikbanken also uses, and SDMX's).
    static let missingStatuses: Set<String> = [".", "..", "...", "....", ".....", "......", "-", "M", "L", "O"]

    func next() throws(ImportError) -> CubeCell? {
        guard index < dataset.cellCount else { return nil }
        defer { index += 1 }
        let status: String?
        switch dataset.status {
        case .all(let one): status = one
        case .sparse(let cells): status = cells[index]
        case .list:
            switch try statuses?.next() {
            case .string(let text)?: status = text
            default: status = statusForAll
            }
        }
        let value: Double?
        switch dataset.values {
        case .all(let one): value = one
        case .sparse(let cells): value = cells[index]
        case .list:
            switch try values?.next() {
            case .number(let number)?: value = number
            case .string(let text)?: return .missing(status ?? text)
            default: value = nil
            }
        }
        guard let value else { return .missing(status ?? "null") }
        if let status, Self.missingStatuses.contains(status) { return .missing(status) }
        return .number(value)
    }
}
