import BeskplanCore
import Foundation

/// The keywords of a PX (PC-Axis) file, read up to `DATA=`: each statement
/// `KEYWORD[lang]("sub", …)=value;` with its value as a list of texts. Quoted strings on
/// consecutive lines are one string; `TLIST(Q1),"2007Q1",…` keeps `TLIST(Q1)` as its first item.
struct PXHeader {
    struct Statement {
        let keyword: String
        let language: String?
        let subkeys: [String]
        let values: [String]
        let line: Int
    }

    let statements: [Statement]
    /// Where `DATA=`'s cells begin (a byte offset) and on which line.
    let dataOffset: Int
    let dataLine: Int
    /// The encoding the header was decoded with (`CODEPAGE`).
    let encoding: String.Encoding
    let encodingName: String

    /// The header is at most this large: a PX file's metadata lists every value of every variable.
    static let maximumSize = 64 << 20

    /// Reads the header of the file at `path`: the bytes up to `DATA=` (outside quotes), decoded
    /// by the file's `CODEPAGE`.
    init(path: String, file: String) throws(ImportError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(file: file, line: 0, column: 0, message: "cannot read the file")
        }
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        var end: Int?
        var inQuotes = false
        var scanned = 0
        var statementStart = true
        while end == nil {
            let chunk: Data
            do {
                guard let read = try handle.read(upToCount: 1 << 20), !read.isEmpty else { break }
                chunk = read
            } catch {
                throw ImportError(file: file, line: 0, column: 0, message: "cannot read the file")
            }
            bytes.append(contentsOf: chunk)
            // Find `DATA=` at the start of a statement, outside quotes.
            while scanned < bytes.count {
                let b = bytes[scanned]
                if b == UInt8(ascii: "\"") {
                    inQuotes.toggle()
                    statementStart = false
                } else if !inQuotes {
                    if b == UInt8(ascii: ";") {
                        statementStart = true
                    } else if b == 32 || b == 9 || b == 10 || b == 13 || b == 0xEF || b == 0xBB || b == 0xBF {
                        // whitespace (and a BOM) keep a statement's start
                    } else if statementStart {
                        if scanned + 5 <= bytes.count, bytes[scanned..<scanned + 5].elementsEqual("DATA=".utf8) {
                            end = scanned
                            break
                        }
                        statementStart = false
                    }
                }
                scanned += 1
            }
            guard bytes.count <= Self.maximumSize else {
                throw ImportError(file: file, line: 0, column: 0, message: "no DATA= in the first \(Self.maximumSize >> 20) MB: is this a PX file?")
            }
        }
        guard let end else {
            throw ImportError(
                file: file, line: Self.lines(in: bytes[...]), column: 1,
                message: "the file ends before DATA=: a PX file lists its keywords, then DATA= and the cells")
        }
        let head = bytes[..<end]
        (encoding, encodingName) = try Self.codepage(head, file: file)
        guard let text = String(bytes: head, encoding: encoding) else {
            throw ImportError(file: file, line: 1, column: 1, message: "the keywords are not valid \(encodingName) (CODEPAGE)")
        }
        statements = try Self.parse(text, file: file)
        dataOffset = end + 5
        dataLine = Self.lines(in: head)
    }

    /// The encoding named by `CODEPAGE="…"` (read as ASCII before anything is decoded); PX's default is ISO-8859-1.
    static func codepage(_ head: ArraySlice<UInt8>, file: String) throws(ImportError) -> (String.Encoding, String) {
        let ascii = String(decoding: head.prefix(1 << 16).map { $0 < 128 ? $0 : 32 }, as: UTF8.self)
        guard let range = ascii.range(of: #"CODEPAGE\s*=\s*"([^"]*)""#, options: .regularExpression) else {
            return head.starts(with: [0xEF, 0xBB, 0xBF]) ? (.utf8, "utf-8") : (.isoLatin1, "iso-8859-1")
        }
        let name = ascii[range].split(separator: "\"").dropFirst().first.map { String($0).lowercased() } ?? ""
        switch name {
        case "utf-8", "utf8": return (.utf8, "utf-8")
        case "iso-8859-1", "latin1", "iso8859-1": return (.isoLatin1, "iso-8859-1")
        // ISO-8859-15 differs from Windows-1252 only in signs PX files do not use for Danish (€ aside).
        case "iso-8859-15", "iso8859-15", "windows-1252", "cp1252", "ansi": return (.windowsCP1252, name)
        default:
            throw ImportError(
                file: file, line: 1, column: 1,
                message: "CODEPAGE \"\(name)\" is not one beskplan reads (utf-8, iso-8859-1, iso-8859-15, windows-1252)")
        }
    }

    static func lines(in bytes: ArraySlice<UInt8>) -> Int { 1 + bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }

    /// The statements of the decoded header.
    static func parse(_ text: String, file: String) throws(ImportError) -> [Statement] {
        var scanner = Scanner(Array(text.unicodeScalars), file: file)
        var statements: [Statement] = []
        while true {
            scanner.skipSpace()
            guard !scanner.atEnd else { break }
            let line = scanner.line
            let keyword = scanner.word()
            guard !keyword.isEmpty else { throw scanner.error("expected a keyword, found '\(scanner.peekText)'") }
            var language: String?
            if scanner.take("[") {
                language = scanner.until("]")
                guard scanner.take("]") else { throw scanner.error("expected ']' after \(keyword)[\(language ?? "")") }
            }
            var subkeys: [String] = []
            if scanner.take("(") {
                repeat {
                    scanner.skipSpace()
                    guard let sub = try scanner.quoted() else { throw scanner.error("expected a quoted name in \(keyword)(…)") }
                    subkeys.append(sub)
                    scanner.skipSpace()
                } while scanner.take(",")
                guard scanner.take(")") else { throw scanner.error("expected ')' after \(keyword)(\"…\"") }
            }
            scanner.skipSpace()
            guard scanner.take("=") else { throw scanner.error("expected '=' after \(keyword)") }
            var values: [String] = []
            while true {
                scanner.skipSpace()
                if scanner.take(";") { break }
                if scanner.atEnd { throw ImportError(file: file, line: line, column: 1, message: "\(keyword) is not ended by ';'") }
                if scanner.take(",") { continue }
                if let string = try scanner.quoted() {
                    // "abc"  "def" on the next line: one string.
                    var joined = string
                    while true {
                        let mark = scanner.position
                        scanner.skipSpace()
                        if let more = try scanner.quoted() { joined += more } else { scanner.position = mark; break }
                    }
                    // A TLIST range: "1994"-"1996".
                    scanner.skipSpace()
                    if scanner.take("-") {
                        scanner.skipSpace()
                        guard let to = try scanner.quoted() else { throw scanner.error("expected a quoted period after '-'") }
                        values.append(joined + "\"-\"" + to)
                    } else {
                        values.append(joined)
                    }
                } else {
                    let bare = scanner.bare()
                    guard !bare.isEmpty else { throw scanner.error("unexpected '\(scanner.peekText)' in \(keyword)") }
                    values.append(bare)
                }
            }
            statements.append(Statement(keyword: keyword, language: language, subkeys: subkeys, values: values, line: line))
        }
        return statements
    }

    /// A cursor over the header's characters, counting lines. Hand-written: no library reads PX.
    struct Scanner {
        let scalars: [Unicode.Scalar]
        let file: String
        var position = 0
        var line = 1

        init(_ scalars: [Unicode.Scalar], file: String) {
            self.scalars = scalars
            self.file = file
        }

        var atEnd: Bool { position >= scalars.count }
        var peekText: String { String(String.UnicodeScalarView(scalars[position..<min(position + 20, scalars.count)])) }

        func error(_ message: String) -> ImportError { ImportError(file: file, line: line, column: 1, message: message) }

        mutating func skipSpace() {
            while position < scalars.count {
                let s = scalars[position]
                if s == "\n" { line += 1 } else if !(s == " " || s == "\t" || s == "\r" || s == "\u{FEFF}") { return }
                position += 1
            }
        }

        mutating func take(_ c: Unicode.Scalar) -> Bool {
            guard position < scalars.count, scalars[position] == c else { return false }
            position += 1
            return true
        }

        /// A keyword: letters, digits and `-`.
        mutating func word() -> String {
            let start = position
            while position < scalars.count, scalars[position].properties.isAlphabetic || ("0"..."9").contains(scalars[position]) || scalars[position] == "-" {
                position += 1
            }
            return String(String.UnicodeScalarView(scalars[start..<position]))
        }

        mutating func until(_ c: Unicode.Scalar) -> String {
            let start = position
            while position < scalars.count, scalars[position] != c { position += 1 }
            return String(String.UnicodeScalarView(scalars[start..<position]))
        }

        /// A quoted string, or `nil` if none starts here.
        mutating func quoted() throws(ImportError) -> String? {
            guard take("\"") else { return nil }
            let startLine = line
            let start = position
            while position < scalars.count, scalars[position] != "\"" {
                if scalars[position] == "\n" { line += 1 }
                position += 1
            }
            guard position < scalars.count else {
                throw ImportError(file: file, line: startLine, column: 1, message: "a quoted text is never closed")
            }
            let text = String(String.UnicodeScalarView(scalars[start..<position]))
            position += 1
            return text.replacingOccurrences(of: "\r\n", with: "").replacingOccurrences(of: "\n", with: "")
        }

        /// An unquoted value: a number, YES/NO, or `TLIST(Q1)`.
        mutating func bare() -> String {
            let start = position
            var depth = 0
            while position < scalars.count {
                let s = scalars[position]
                if s == "(" { depth += 1 } else if s == ")" { depth -= 1 }
                if depth <= 0, s == "," || s == ";" || s == " " || s == "\t" || s == "\r" || s == "\n" || s == "\"" { break }
                position += 1
            }
            return String(String.UnicodeScalarView(scalars[start..<position]))
        }
    }
}
