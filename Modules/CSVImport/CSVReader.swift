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
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private(set) var bytesRead: Int64 = 0
    /// The physical line the current record started on (1-based).
    private(set) var line = 0
    private var nextLine = 1

    init(path: String, displayName: String?, separator: UInt8?, encoding: Encoding?) throws(ImportError) {
        file = displayName ?? path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(file: file, line: 0, column: 0, message: "cannot read the file")
        }
        self.handle = handle
        totalBytes = Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0)
        let head = [UInt8]((try? handle.read(upToCount: 65_536)) ?? Data())
        try? handle.seek(toOffset: 0)
        var start = 0
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        self.encoding = encoding ?? (start == 3 || String(validating: head.prefix(60_000), as: UTF8.self) != nil
            || Self.cutMidCharacter(head) ? .utf8 : .windows1252)
        self.separator = separator ?? Self.detectSeparator(head[start...])
        fill()
        position = start
    }

    deinit { try? handle.close() }

    /// The next record's fields, or `nil` at the end of the file.
    func next() throws(ImportError) -> [String]? {
        line = nextLine
        if let fast = fastRecord() { return fast }
        return try slowRecord()
    }

    /// The common case, without copying bytes: a record of unquoted fields that ends inside the
    /// buffer. Returns nil (and consumes nothing) when the record needs the general path.
    private func fastRecord() -> [String]? {
        let sep = separator
        return buffer.withUnsafeBufferPointer { bytes -> [String]? in
            var fields: [String] = []
            var fieldStart = position
            var i = position
            while i < bytes.count {
                let b = bytes[i]
                if b == sep {
                    fields.append(decode(UnsafeBufferPointer(rebasing: bytes[fieldStart..<i])))
                    fieldStart = i + 1
                } else if b == 10 {
                    var end = i
                    if end > fieldStart && bytes[end - 1] == 13 { end -= 1 }
                    if fields.isEmpty && end == fieldStart { return nil }  // blank line: general path
                    fields.append(decode(UnsafeBufferPointer(rebasing: bytes[fieldStart..<end])))
                    position = i + 1
                    nextLine += 1
                    return fields
                } else if b == UInt8(ascii: "\"") {
                    return nil
                }
                i += 1
            }
            return nil
        }
    }

    private func slowRecord() throws(ImportError) -> [String]? {
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var started = false
        while true {
            if position >= buffer.count {
                if atEnd {
                    if quoted { throw ImportError(file: file, line: line, column: fields.count + 1, message: "a quoted field is not closed") }
                    guard started || !field.isEmpty || !fields.isEmpty else { return nil }
                    fields.append(decode(field))
                    return fields
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
                        field.append(byte)
                        position += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == 10 { nextLine += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case separator:
                fields.append(decode(field))
                field.removeAll(keepingCapacity: true)
            case UInt8(ascii: "\""):
                if field.isEmpty { quoted = true } else { field.append(byte) }
            case 13:
                continue
            case 10:
                nextLine += 1
                fields.append(decode(field))
                if fields.count == 1 && fields[0].isEmpty {  // a blank line
                    fields.removeAll()
                    field.removeAll(keepingCapacity: true)
                    line = nextLine
                    started = false
                    if let fast = fastRecord() { return fast }
                    continue
                }
                return fields
            default:
                field.append(byte)
            }
        }
    }

    private func peek() -> UInt8? {
        if position >= buffer.count && !atEnd { fill() }
        return position < buffer.count ? buffer[position] : nil
    }

    /// Reads the next block, keeping what is not consumed yet.
    private func fill() {
        let rest = position < buffer.count ? Array(buffer[position...]) : []
        let data = (try? handle.read(upToCount: 1 << 20)) ?? Data()
        if data.isEmpty { atEnd = true }
        bytesRead += Int64(data.count)
        buffer = rest + data
        position = 0
    }

    private func decode(_ bytes: [UInt8]) -> String {
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
