import BeskplanCore

/// A JSON document, parsed for reading JSON-stat. Hand-written: Foundation's parser reads the
/// whole file and boxes every number (an `NSNumber` each), and a cube's values are most of the
/// file; here a file is read through a window, and its cells are left in it to be streamed.
indirect enum JSONValue {
    case object([String: JSONValue])
    case array([JSONValue])
    /// A list of numbers and nulls only: a cube's values.
    case numbers([Double?])
    /// A list left in the file, to be read a cell at a time (`parse(path:file:)`).
    case list(ListSpan)
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var number: Double? { if case .number(let n) = self { n } else { nil } }
    var object: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }

    /// The items of an array (a list of numbers, too).
    var items: [JSONValue]? {
        switch self {
        case .array(let items): items
        case .numbers(let numbers): numbers.map { $0.map(JSONValue.number) ?? .null }
        default: nil
        }
    }

    var strings: [String]? { items?.compactMap(\.string) }

    /// Parses `bytes` (UTF-8, an optional BOM); a mistake names its line and column.
    static func parse(_ bytes: [UInt8], file: String) throws(ImportError) -> JSONValue {
        try parse(Parser(input: JSONInput(bytes: bytes, file: file)))
    }

    /// Parses a file through a window, leaving every list named `value` or `status` where it is
    /// (`.list`): a cube's cells are read later, a cell at a time (`JSONListReader`).
    static func parse(path: String, file: String) throws(ImportError) -> JSONValue {
        var parser = Parser(input: try JSONInput(path: path, file: file))
        parser.deferredKeys = ["value", "status"]
        return try parse(parser)
    }

    private static func parse(_ start: Parser) throws(ImportError) -> JSONValue {
        var parser = start
        let input = parser.input
        if input.peek() == 0xEF {
            for b: UInt8 in [0xEF, 0xBB, 0xBF] {
                guard input.peek() == b else { throw input.error("unexpected bytes at the start") }
                input.index += 1
            }
        }
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard input.peek() == nil else { throw input.error("more after the JSON document ends") }
        return value
    }

    /// A list left in the file: where its `[` is, and how many items it holds.
    struct ListSpan {
        let offset: Int64
        let count: Int
    }

    struct Parser {
        let input: JSONInput
        /// Members whose list is skipped and kept as a `ListSpan`.
        var deferredKeys: Set<String> = []
        private var scratch: [UInt8] = []

        init(input: JSONInput) { self.input = input }

        func error(_ message: String) -> ImportError { input.error(message) }

        @inline(__always)
        mutating func skipSpace() {
            while let b = input.peek(), b == 32 || b == 10 || b == 13 || b == 9 { input.index += 1 }
        }

        mutating func value(depth: Int) throws(ImportError) -> JSONValue {
            guard depth < 64 else { throw error("nested deeper than 64 levels") }
            skipSpace()
            guard let b = input.peek() else { throw error("the file ends where a value should be") }
            switch b {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try number())
            }
        }

        mutating func literal(_ word: StaticString) throws(ImportError) {
            let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            let start = input.offset
            for expected in w {
                guard input.peek() == expected else { throw input.error("expected '\(word)'", at: start) }
                input.index += 1
            }
        }

        mutating func object(depth: Int) throws(ImportError) -> JSONValue {
            input.index += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if input.peek() == UInt8(ascii: "}") {
                input.index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard input.peek() == UInt8(ascii: "\"") else { throw error("expected a quoted name") }
                let key = try string()
                skipSpace()
                guard input.peek() == UInt8(ascii: ":") else { throw error("expected ':' after \"\(key.clippedForMessage())\"") }
                input.index += 1
                skipSpace()
                if deferredKeys.contains(key), input.peek() == UInt8(ascii: "[") {
                    members[key] = .list(try skipList())
                } else {
                    members[key] = try value(depth: depth + 1)
                }
                skipSpace()
                guard let b = input.peek() else { throw error("the file ends inside an object") }
                if b == UInt8(ascii: ",") { input.index += 1; continue }
                if b == UInt8(ascii: "}") { input.index += 1; return .object(members) }
                throw error("expected ',' or '}'")
            }
        }

        /// Reads past a list of numbers, strings and nulls, counting its items.
        mutating func skipList() throws(ImportError) -> ListSpan {
            let offset = input.offset
            input.index += 1
            var count = 0
            skipSpace()
            if input.peek() == UInt8(ascii: "]") {
                input.index += 1
                return ListSpan(offset: offset, count: 0)
            }
            while true {
                skipSpace()
                switch input.peek() {
                case UInt8(ascii: "\"")?: _ = try string()
                case UInt8(ascii: "n")?: try literal("null")
                case UInt8(ascii: "["), UInt8(ascii: "{"): throw error("a list or object where a cell should be")
                case nil: throw error("the file ends inside a list")
                default: _ = try number()
                }
                count += 1
                skipSpace()
                guard let b = input.peek() else { throw error("the file ends inside a list") }
                if b == UInt8(ascii: ",") { input.index += 1; continue }
                if b == UInt8(ascii: "]") {
                    input.index += 1
                    return ListSpan(offset: offset, count: count)
                }
                throw error("expected ',' or ']'")
            }
        }

        mutating func array(depth: Int) throws(ImportError) -> JSONValue {
            input.index += 1
            var items: [JSONValue] = []
            var numbers: [Double?] = []
            var onlyNumbers = true
            skipSpace()
            if input.peek() == UInt8(ascii: "]") {
                input.index += 1
                return .array([])
            }
            while true {
                skipSpace()
                guard let b = input.peek() else { throw error("the file ends inside a list") }
                if onlyNumbers, b == UInt8(ascii: "-") || (b >= 48 && b <= 57) {
                    numbers.append(try number())
                } else if onlyNumbers, b == UInt8(ascii: "n") {
                    try literal("null")
                    numbers.append(nil)
                } else {
                    if onlyNumbers {
                        onlyNumbers = false
                        items = numbers.map { $0.map(JSONValue.number) ?? .null }
                    }
                    items.append(try value(depth: depth + 1))
                }
                skipSpace()
                guard let next = input.peek() else { throw error("the file ends inside a list") }
                if next == UInt8(ascii: ",") { input.index += 1; continue }
                if next == UInt8(ascii: "]") {
                    input.index += 1
                    return onlyNumbers ? .numbers(numbers) : .array(items)
                }
                throw error("expected ',' or ']'")
            }
        }

        mutating func string() throws(ImportError) -> String {
            let opening = input.offset
            input.index += 1
            scratch.removeAll(keepingCapacity: true)
            while let b = input.peek() {
                input.index += 1
                switch b {
                case UInt8(ascii: "\""):
                    return String(decoding: scratch, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let e = input.peek() else { break }
                    input.index += 1
                    switch e {
                    case UInt8(ascii: "n"): scratch.append(10)
                    case UInt8(ascii: "t"): scratch.append(9)
                    case UInt8(ascii: "r"): scratch.append(13)
                    case UInt8(ascii: "b"): scratch.append(8)
                    case UInt8(ascii: "f"): scratch.append(12)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar), input.peek() == UInt8(ascii: "\\") {
                            input.index += 1
                            guard input.peek() == UInt8(ascii: "u") else { throw error("a broken surrogate pair") }
                            input.index += 1
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw error("a broken surrogate pair") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        scratch.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
                    default: scratch.append(e)
                    }
                default:
                    guard b >= 0x20 else { throw error("a control character inside a string") }
                    scratch.append(b)
                }
            }
            throw input.error("a string is never closed", at: opening)
        }

        mutating func hex4() throws(ImportError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let b = input.peek() else { throw error("a short \\u escape") }
                input.index += 1
                let digit: UInt8
                switch b {
                case 48...57: digit = b - 48
                case 97...102: digit = b - 87
                case 65...70: digit = b - 55
                default: throw error("a \\u escape that is not hexadecimal")
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }

        mutating func number() throws(ImportError) -> Double {
            scratch.removeAll(keepingCapacity: true)
            while let b = input.peek(),
                (b >= 48 && b <= 57) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
                    || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
            {
                guard scratch.count < 400 else { throw error("a number longer than any number") }
                scratch.append(b)
                input.index += 1
            }
            guard !scratch.isEmpty else {
                throw error(input.peek().map { "unexpected '\(Character(Unicode.Scalar($0)))'" } ?? "the file ends where a value should be")
            }
            let parsed: Double? = scratch.withUnsafeBufferPointer { PXCells.number($0) }
            guard let parsed, parsed.isFinite else {
                throw error("'\(String(decoding: scratch, as: UTF8.self).clippedForMessage())' is not a number")
            }
            return parsed
        }
    }
}
