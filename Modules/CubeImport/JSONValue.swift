import BeskplanCore

/// A JSON document, parsed for reading JSON-stat. Hand-written: Foundation's parser boxes every
/// number (an `NSNumber` each), and a cube's values are most of the file; here a list of numbers
/// is a `[Double?]`, read without making a string.
indirect enum JSONValue {
    case object([String: JSONValue])
    case array([JSONValue])
    /// A list of numbers and nulls only: a cube's values.
    case numbers([Double?])
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
        var parser = Parser(bytes: bytes, file: file)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.position = 3 }
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.count else { throw parser.error("more after the JSON document ends") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String
        var position = 0

        func error(_ message: String) -> ImportError {
            var line = 1
            var column = 1
            for b in bytes[..<min(position, bytes.count)] {
                if b == 10 { line += 1; column = 1 } else { column += 1 }
            }
            return ImportError(file: file, line: line, column: column, message: "not JSON: \(message)")
        }

        mutating func skipSpace() {
            while position < bytes.count, bytes[position] == 32 || bytes[position] == 10 || bytes[position] == 13 || bytes[position] == 9 {
                position += 1
            }
        }

        mutating func value(depth: Int) throws(ImportError) -> JSONValue {
            guard depth < 64 else { throw error("nested deeper than 64 levels") }
            skipSpace()
            guard position < bytes.count else { throw error("the file ends where a value should be") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try number())
            }
        }

        mutating func literal(_ word: String) throws(ImportError) {
            let w = Array(word.utf8)
            guard position + w.count <= bytes.count, bytes[position..<position + w.count].elementsEqual(w) else {
                throw error("unexpected '\(Character(Unicode.Scalar(bytes[position])))'")
            }
            position += w.count
        }

        mutating func object(depth: Int) throws(ImportError) -> JSONValue {
            position += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a quoted name") }
                let key = try string()
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':' after \"\(key.clippedForMessage())\"") }
                position += 1
                members[key] = try value(depth: depth + 1)
                skipSpace()
                guard position < bytes.count else { throw error("the file ends inside an object") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                throw error("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(ImportError) -> JSONValue {
            position += 1
            var items: [JSONValue] = []
            var numbers: [Double?] = []
            var onlyNumbers = true
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array([])
            }
            while true {
                skipSpace()
                guard position < bytes.count else { throw error("the file ends inside a list") }
                let b = bytes[position]
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
                guard position < bytes.count else { throw error("the file ends inside a list") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return onlyNumbers ? .numbers(numbers) : .array(items)
                }
                throw error("expected ',' or ']'")
            }
        }

        mutating func string() throws(ImportError) -> String {
            let opening = position
            position += 1
            var out: [UInt8] = []
            while position < bytes.count {
                let b = bytes[position]
                position += 1
                switch b {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { break }
                    let e = bytes[position]
                    position += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "t"): out.append(9)
                    case UInt8(ascii: "r"): out.append(13)
                    case UInt8(ascii: "b"): out.append(8)
                    case UInt8(ascii: "f"): out.append(12)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar), position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                            bytes[position + 1] == UInt8(ascii: "u")
                        {
                            position += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw error("a broken surrogate pair") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        out.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
                    default: out.append(e)
                    }
                default:
                    guard b >= 0x20 else { throw error("a control character inside a string") }
                    out.append(b)
                }
            }
            position = opening
            throw error("a string is never closed")
        }

        mutating func hex4() throws(ImportError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("a short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[position]
                position += 1
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
            let start = position
            while position < bytes.count {
                let b = bytes[position]
                guard (b >= 48 && b <= 57) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
                    || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
                else { break }
                position += 1
            }
            guard position > start else { throw error("unexpected '\(Character(Unicode.Scalar(bytes[start])))'") }
            let parsed: Double? = bytes[start..<position].withUnsafeBufferPointer { PXCells.number($0) }
            guard let parsed, parsed.isFinite else {
                throw error("'\(String(decoding: bytes[start..<position], as: UTF8.self).clippedForMessage())' is not a number")
            }
            return parsed
        }
    }
}
