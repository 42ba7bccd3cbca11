import BeskplanCore
import CLibXML2
import Foundation

/// Reads a native feed (`urn:beskplan:feed:1`), validating it against `feed.xsd` while it
/// streams, and yields one chunk per `<series>`. Every series is checked against the catalogs
/// (measure, area, dimension names and values) before any of it is handed on.
public final class FeedSource: ObservationSource, ReadProgress {
    /// The namespace of the native feed.
    public static let namespace = "urn:beskplan:feed:1"

    private let reader: XMLReader
    private let catalog: ImportCatalog
    private let names: Names
    /// Observations without a value, or with status M: skipped and counted.
    private var report = SkipReport()
    private var segment: FileSegment?
    public private(set) var header: [String: String] = [:]
    private var started = false

    public init(path: String, displayName: String? = nil, catalog: ImportCatalog) throws(ImportError) {
        reader = try XMLReader(path: path, displayName: displayName, schema: try FeedSchema.shared())
        self.catalog = catalog
        names = Names(reader)
    }

    /// Reads one segment of a feed (see `segments(path:parts:minimumSize:)`), validated on its own.
    public init(segment: FileSegment, catalog: ImportCatalog) throws(ImportError) {
        reader = try XMLReader(segment: segment, schema: try FeedSchema.shared())
        self.catalog = catalog
        names = Names(reader)
        self.segment = segment
    }

    /// What was skipped, at the file's lines.
    public var skipped: SkipReport {
        guard let segment, report.total > 0 else { return report }
        return report.shiftingLines(by: segment.lineOffset())
    }

    /// Cuts a large feed between its `<series>` into `parts` segments that read in parallel,
    /// or `nil` when the file is small or cannot be cut.
    public static func segments(path: String, parts: Int, minimumSize: Int64 = 8 << 20) throws(ImportError) -> [FileSegment]? {
        try XMLSegment.split(path: path, container: "feed", records: ["series"], parts: parts, minimumSize: minimumSize)
    }

    public var bytesRead: Int64 { reader.bytesConsumed }
    public var totalBytes: Int64 { reader.totalBytes }

    public func nextChunk() throws -> ObservationChunk? {
        while try reader.read() {
            guard reader.node == .element else { continue }
            if !started {
                try readRoot()
                started = true
            } else if reader.is(names.series) {
                return try readSeries()
            }
        }
        guard started else { throw reader.failure("the file is empty") }
        return nil
    }

    private func readRoot() throws(ImportError) {
        guard reader.is(names.feed), reader.namespaceURI == Self.namespace else {
            throw reader.failure("expected <feed xmlns=\"\(Self.namespace)\">, found <\(reader.localNameString)>")
        }
        for (name, value) in reader.attributes() { header[name] = value }
    }

    private func readSeries() throws -> ObservationChunk {
        let line = reader.line
        var measure = ""
        var area = ""
        try reader.forEachAttribute { name, value throws(ImportError) in
            if name == names.measure { measure = String(cString: value) }
            if name == names.area { area = String(cString: value) }
        }
        var dimensions: [String: String] = [:]
        var points: [DataPoint] = []
        if reader.isEmptyElement { return try chunk(measure, area, dimensions, points, line) }
        while try reader.read() {
            switch reader.node {
            case .endElement:
                return try chunk(measure, area, dimensions, points, line)
            case .element where reader.is(names.obs):
                if let point = try readObservation() { points.append(point) }
            case .element where reader.is(names.dim):
                var dimension = ""
                var value = ""
                try reader.forEachAttribute { name, text throws(ImportError) in
                    if name == names.name { dimension = String(cString: text) }
                    if name == names.value { value = String(cString: text) }
                }
                guard dimensions.updateValue(value, forKey: dimension) == nil else {
                    throw reader.failure("dimension '\(dimension)' is given twice")
                }
            default:
                continue
            }
        }
        throw reader.failure("the feed ends inside a <series>")
    }

    private func readObservation() throws(ImportError) -> DataPoint? {
        var period: Period?
        var value: Double?
        var missing = true
        var periodError: PeriodError?
        try reader.forEachAttribute { name, text throws(ImportError) in
            if name == names.period {
                switch Period.parse(utf8CString: text) {
                case .success(let p): period = p
                case .failure(let e): periodError = e
                }
            } else if name == names.value {
                if text.pointee != 0 {
                    value = NumberText.double(text)
                    missing = value == nil || value!.isNaN
                }
            } else if name == names.status, text.pointee == UInt8(ascii: "M"), text[1] == 0 {
                missing = true
                value = nil
            }
        }
        if let periodError { throw reader.failure(periodError.description) }
        if let value, value.isInfinite { throw reader.failure("the value is too large for a number") }
        guard let period else { throw reader.failure("<obs> has no period") }
        guard !missing, let value else {
            report.add("missing value", line: reader.line)
            return nil
        }
        return DataPoint(period: period, value: value)
    }

    private func chunk(
        _ measure: String, _ area: String, _ dimensions: [String: String], _ points: [DataPoint], _ line: Int
    ) throws -> ObservationChunk {
        do {
            let key = try catalog.seriesKey(measure: measure, area: area, dimensions: dimensions)
            return ObservationChunk(series: key, points: points)
        } catch {
            throw ImportError(file: reader.file, line: line, column: 1, message: String(describing: error))
        }
    }

    /// Element and attribute names, interned once per reader.
    private struct Names {
        let feed, series, dim, obs, measure, area, name, value, period, status: UnsafePointer<UInt8>

        init(_ reader: XMLReader) {
            feed = reader.intern("feed")
            series = reader.intern("series")
            dim = reader.intern("dim")
            obs = reader.intern("obs")
            measure = reader.intern("measure")
            area = reader.intern("area")
            name = reader.intern("name")
            value = reader.intern("value")
            period = reader.intern("period")
            status = reader.intern("status")
        }
    }
}

/// The compiled `feed.xsd`, parsed once per process.
enum FeedSchema {
    private static let compiled: Result<XMLSchema, ImportError> = {
        guard let url else {
            return .failure(ImportError(file: "feed.xsd", line: 0, column: 0, message: "the schema is not bundled"))
        }
        return Result { () throws(ImportError) in try XMLSchema(path: url.path) }
    }()

    static func shared() throws(ImportError) -> XMLSchema { try compiled.get() }

    /// The schema file, for documentation and tests.
    static let url = ResourceFolder(module: "XMLImport") { Bundle.module }.file("feed.xsd")
}

/// Reads numbers straight from C strings: `strtod` in the C locale (a decimal point, whatever
/// the process locale), the whole text or nothing.
enum NumberText {
    static func double(_ text: UnsafePointer<UInt8>) -> Double? {
        if let value = plainDecimal(text) { return value }
        return text.withMemoryRebound(to: CChar.self, capacity: 1) { chars -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            let value = beskplan_strtod_c(chars, &end)
            guard let end, end != UnsafeMutablePointer(mutating: chars) else { return nil }
            var rest = end
            while rest.pointee == 32 || rest.pointee == 9 || rest.pointee == 10 || rest.pointee == 13 { rest += 1 }
            return rest.pointee == 0 ? value : nil
        }
    }

    private static let powersOfTen: [Double] = (0...15).map { pow(10, Double($0)) }

    /// The common case, `-123.45` with at most 15 digits, without strtod: the digits as one
    /// integer divided once by an exact power of ten round exactly as strtod does. Anything else
    /// (exponents, spaces, long numbers) is `nil` and goes to strtod.
    @inline(__always)
    static func plainDecimal(_ text: UnsafePointer<UInt8>) -> Double? {
        var p = text
        let negative = p.pointee == UInt8(ascii: "-")
        if negative { p += 1 }
        var mantissa: Int64 = 0
        var digits = 0
        var fraction = -1
        while true {
            let byte = p.pointee
            if byte &- UInt8(ascii: "0") < 10 {
                mantissa = mantissa &* 10 &+ Int64(byte &- UInt8(ascii: "0"))
                digits += 1
                if fraction >= 0 { fraction += 1 }
            } else if byte == UInt8(ascii: "."), fraction < 0 {
                fraction = 0
            } else if byte == 0 {
                break
            } else {
                return nil
            }
            p += 1
        }
        guard digits > 0, digits <= 15, fraction != 0 else { return nil }
        let value = Double(mantissa) / powersOfTen[max(fraction, 0)]
        return negative ? -value : value
    }
}
