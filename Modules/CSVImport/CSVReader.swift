import BeskplanCore
import Foundation

/// A streaming CSV reader over bytes: `;`, `,` or tab; quotes with doubled quotes; CRLF or LF;
/// UTF-8 with or without BOM, or Windows-1252 (which also reads ISO-8859-1's letters).
///
/// Hand-written: CSV.swift and SwiftCSV read Unicode scalars one at a time and know neither
/// Windows-1252 nor byte offsets for progress; this reads 1 MB blocks and decodes fields only.
final class CSVReader {
    enum Encoding: String {
        case utf8 = "utf-8"
        case windows1252 = "windows-1252"
    }

    let file: String
    let separator: UInt8
    let encoding: Encoding
    let totalBytes: Int64
    private let source: FileSegmentReader
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var readFailed = false
    /// The physical line the current record started on (1-based).
    private(set) var line = 0
    private var nextLine = 1

    /// Opens a file, or one segment of it (whose head is the header line); a separator or
    /// encoding not given is detected from the first 64 KB it reads.
    init(
        path: String, displayName: String?, separator: UInt8?, encoding: Encoding?, segment: FileSegment? = nil
    ) throws(ImportError) {
        file = displayName ?? path
        let segment = if let segment { segment } else { try FileSegment.whole(path: path, displayName: displayName) }
        source = try FileSegmentReader(segment, displayName: displayName)
        totalBytes = segment.size
        let sample = Self.read(source, after: [])
        let start = sample.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let head = sample.bytes.prefix(65_536)
        self.encoding = encoding ?? (start == 3 || String(validating: head.prefix(60_000), as: UTF8.self) != nil
            || Self.cutMidCharacter(Array(head)) ? .utf8 : .windows1252)
        self.separator = separator ?? Self.detectSeparator(head.dropFirst(start))
        (buffer, atEnd, readFailed) = sample
        position = start
    }

    /// Bytes read from the file (and a segment's head) so far, for progress.
    var bytesRead: Int64 { source.position }

    /// Where the next record starts, counted in the bytes this reader reads.
    var nextRecordOffset: Int64 { source.position - Int64(buffer.count - position) }

    /// The current record: its fields as bytes in the file's encoding. Valid until the next read.
    private(set) var record = CSVRecord()

    /// The next record's fields as strings, or `nil` at the end of the file.
    func next() throws(ImportError) -> [String]? {
        guard try advance() else { return nil }
        return (0..<record.count).map { decode(record[$0]) }
    }

    /// Reads the next record into `record`; `false` at the end of the file.
    func advance() throws(ImportError) -> Bool {
        line = nextLine
        record.removeAll()
        if fastRecord() { return true }
        return try slowRecord()
    }

    /// Field `index` of the current record as a string.
    func string(_ index: Int) -> String { decode(record[index]) }

    /// The common case: a record of unquoted fields that ends inside the buffer, copied in one
    /// go. Returns false (and consumes nothing) when the record needs the general path.
    private func fastRecord() -> Bool {
        let sep = separator
        return buffer.withUnsafeBufferPointer { bytes -> Bool in
            var i = position
            while i < bytes.count {
                let b = bytes[i]
                if b == 10 {
                    var end = i
                    if end > position && bytes[end - 1] == 13 { end -= 1 }
                    if end == position { return false }  // blank line: general path
                    record.take(UnsafeBufferPointer(rebasing: bytes[position..<end]), separator: sep)
                    position = i + 1
                    nextLine += 1
                    return true
                } else if b == UInt8(ascii: "\"") {
                    return false
                }
                i += 1
            }
            return false
        }
    }

    private func slowRecord() throws(ImportError) -> Bool {
        var quoted = false
        var started = false
        while true {
            if position >= buffer.count {
                if atEnd {
                    if readFailed {
                        throw ImportError(file: file, line: line, column: record.count + 1, message: "the file cannot be read")
                    }
                    if quoted {
                        throw ImportError(file: file, line: line, column: record.count + 1, message: "a quoted field is not closed")
                    }
                    guard started else { return false }
                    record.endField()
                    return true
                }
                fill()
                continue
            }
            let byte = buffer[position]
            position += 1
            started = true
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if peek() == UInt8(ascii: "\"") {
                        record.append(byte)
                        position += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == 10 { nextLine += 1 }
                    record.append(byte)
                }
                continue
            }
            switch byte {
            case separator:
                record.endField()
            case UInt8(ascii: "\""):
                if record.currentFieldIsEmpty { quoted = true } else { record.append(byte) }
            case 13:
                continue
            case 10:
                nextLine += 1
                if record.count == 0 && record.currentFieldIsEmpty {  // a blank line
                    line = nextLine
                    started = false
                    if fastRecord() { return true }
                    continue
                }
                record.endField()
                return true
            default:
                record.append(byte)
            }
        }
    }

    private func peek() -> UInt8? {
        if position >= buffer.count && !atEnd { fill() }
        return position < buffer.count ? buffer[position] : nil
    }

    /// Reads the next block, keeping what is not consumed yet.
    private func fill() {
        buffer.removeFirst(min(position, buffer.count))
        position = 0
        (buffer, atEnd, readFailed) = Self.read(source, after: buffer)
    }

    /// `kept` and the next 1 MB of `source`; at the end (or on a read error) no more bytes come.
    private static func read(_ source: FileSegmentReader, after kept: [UInt8]) -> (bytes: [UInt8], atEnd: Bool, failed: Bool) {
        let block = 1 << 20
        var bytes = kept
        bytes.append(contentsOf: repeatElement(0, count: block))
        let count = bytes.withUnsafeMutableBytes { source.read(into: $0.baseAddress! + kept.count, count: block) }
        bytes.removeLast(block - max(count, 0))
        return (bytes, count <= 0, count < 0)
    }

    /// Text as bytes in the file's encoding; `nil` if the encoding cannot hold it.
    func encode(_ text: String) -> [UInt8]? {
        switch encoding {
        case .utf8: return Array(text.utf8)
        case .windows1252:
            var bytes: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard let byte = (0...255).first(where: { Self.windows1252(UInt8($0)) == scalar }) else { return nil }
                bytes.append(UInt8(byte))
            }
            return bytes
        }
    }

    func decode(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    private func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        switch encoding {
        case .utf8: return String(decoding: bytes, as: UTF8.self)
        case .windows1252:
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            return String(String.UnicodeScalarView(bytes.map(Self.windows1252)))
        }
    }

    /// Windows-1252: Latin-1 but for 0x80–0x9F, where it has € and typographic marks.
    static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        let high: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
            0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
            0x0153, 0x9D, 0x017E, 0x0178,
        ]
        if (0x80...0x9F).contains(byte) { return Unicode.Scalar(high[Int(byte) - 0x80])! }
        return Unicode.Scalar(byte)
    }

    /// A 64 KB sample may end inside a multi-byte character; that is still UTF-8.
    private static func cutMidCharacter(_ head: [UInt8]) -> Bool {
        for cut in 1...3 where head.count > cut {
            if String(validating: head.dropLast(cut), as: UTF8.self) != nil { return true }
        }
        return false
    }

    /// The separator of the header line: the most frequent of `;`, tab and `,` outside quotes.
    private static func detectSeparator(_ head: ArraySlice<UInt8>) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ";"): 0, 9: 0, UInt8(ascii: ","): 0]
        var quoted = false
        for byte in head {
            if byte == 10 { break }
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted, counts[byte] != nil { counts[byte]! += 1 }
        }
        return [UInt8(ascii: ";"), 9, UInt8(ascii: ",")].max { counts[$0]! < counts[$1]! }!
    }
}

/// One CSV record: its bytes and where each field starts and ends in them. Storage is kept
/// from record to record, so reading a row allocates nothing.
struct CSVRecord {
    private(set) var bytes: [UInt8] = []
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var fieldStart = 0

    /// The number of fields.
    var count: Int { ends.count }

    subscript(index: Int) -> ArraySlice<UInt8> {
        bytes[starts[index]..<ends[index]]
    }

    var currentFieldIsEmpty: Bool { bytes.count == fieldStart }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        fieldStart = 0
    }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func endField() {
        starts.append(fieldStart)
        ends.append(bytes.count)
        fieldStart = bytes.count
    }

    /// A whole line of unquoted fields: copied at once, the separators stay between the fields.
    mutating func take(_ line: UnsafeBufferPointer<UInt8>, separator: UInt8) {
        bytes.append(contentsOf: line)
        var start = 0
        for (i, byte) in line.enumerated() where byte == separator {
            starts.append(start)
            ends.append(i)
            start = i + 1
        }
        starts.append(start)
        ends.append(line.count)
        fieldStart = line.count
    }
}
