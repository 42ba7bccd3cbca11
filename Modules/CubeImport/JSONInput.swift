import BeskplanCore
import Foundation

/// JSON text read through a window: a file a megabyte at a time, or bytes already in memory.
/// The parser asks for one byte at a time (`peek`); the window moves on when it is used up, so a
/// gigabyte file is read in a megabyte of memory.
final class JSONInput {
    private let handle: FileHandle?
    private(set) var buffer: [UInt8]
    /// The file offset of `buffer[0]`.
    private var start: Int64 = 0
    /// The next byte to read, in `buffer`.
    var index = 0
    private var exhausted: Bool
    let file: String
    private let path: String?
    static let window = 1 << 20

    init(bytes: [UInt8], file: String) {
        handle = nil
        path = nil
        buffer = bytes
        exhausted = true
        self.file = file
    }

    init(path: String, file: String, at offset: Int64 = 0) throws(ImportError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(file: file, line: 0, column: 0, message: "cannot read the file")
        }
        self.handle = handle
        self.path = path
        buffer = []
        exhausted = false
        self.file = file
        if offset > 0 {
            do { try handle.seek(toOffset: UInt64(offset)) } catch {
                throw ImportError(file: file, line: 0, column: 0, message: "cannot read the file")
            }
            start = offset
        }
        _ = refill()
    }

    deinit { try? handle?.close() }

    /// The file offset of the next byte.
    var offset: Int64 { start + Int64(index) }

    /// The next byte, or `nil` at the end.
    @inline(__always)
    func peek() -> UInt8? {
        if index < buffer.count { return buffer[index] }
        return refill() ? buffer[index] : nil
    }

    /// Drops what is read and reads the next window; `false` at the end of the input.
    func refill() -> Bool {
        guard !exhausted, let handle else { return index < buffer.count }
        buffer.removeFirst(index)
        start += Int64(index)
        index = 0
        let data = (try? handle.read(upToCount: Self.window)) ?? nil
        if let data, !data.isEmpty { buffer.append(contentsOf: data) } else { exhausted = true }
        return index < buffer.count
    }

    /// An error at the next byte, with its line and column (counted again from the start: only
    /// a failing read pays for it).
    func error(_ message: String, at target: Int64? = nil) -> ImportError {
        let (line, column) = location(of: target ?? offset)
        return ImportError(file: file, line: line, column: column, message: "not JSON: \(message)")
    }

    private func location(of target: Int64) -> (Int, Int) {
        var line = 1
        var column = 1
        func count(_ bytes: some Sequence<UInt8>) {
            for b in bytes {
                if b == 10 { line += 1; column = 1 } else { column += 1 }
            }
        }
        if let path, let reader = FileHandle(forReadingAtPath: path) {
            defer { try? reader.close() }
            var read: Int64 = 0
            while read < target, let data = try? reader.read(upToCount: Int(min(Int64(Self.window), target - read))), !data.isEmpty {
                count(data)
                read += Int64(data.count)
            }
        } else {
            count(buffer[..<min(Int(target), buffer.count)])
        }
        return (line, column)
    }
}

/// A list in a JSON file, read an item at a time from where it starts (a cube's `value` or
/// `status`, which may be most of a gigabyte file).
final class JSONListReader {
    enum Item: Equatable {
        case number(Double)
        case string(String)
        case null
    }

    private var parser: JSONValue.Parser
    private var first = true
    private var ended = false

    /// `offset` is where the list's `[` is.
    init(path: String, file: String, offset: Int64) throws(ImportError) {
        parser = JSONValue.Parser(input: try JSONInput(path: path, file: file, at: offset))
        parser.skipSpace()
        guard parser.input.peek() == UInt8(ascii: "[") else { throw parser.input.error("expected a list") }
        parser.input.index += 1
    }

    /// The next item, or `nil` after the list's `]`. A list or object in it is an error.
    func next() throws(ImportError) -> Item? {
        guard !ended else { return nil }
        parser.skipSpace()
        if first {
            first = false
            if parser.input.peek() == UInt8(ascii: "]") {
                ended = true
                return nil
            }
        } else {
            switch parser.input.peek() {
            case UInt8(ascii: ",")?:
                parser.input.index += 1
                parser.skipSpace()
            case UInt8(ascii: "]")?:
                ended = true
                return nil
            default:
                throw parser.input.error(parser.input.peek() == nil ? "the file ends inside a list" : "expected ',' or ']'")
            }
        }
        switch parser.input.peek() {
        case UInt8(ascii: "\"")?: return .string(try parser.string())
        case UInt8(ascii: "n")?:
            try parser.literal("null")
            return .null
        case UInt8(ascii: "["), UInt8(ascii: "{"): throw parser.input.error("a list or object where a cell should be")
        case nil: throw parser.input.error("the file ends inside a list")
        default: return .number(try parser.number())
        }
    }
}
