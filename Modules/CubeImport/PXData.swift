import BeskplanCore
import Foundation

/// The cells of a PX file's `DATA=` block, streamed from disk: numbers separated by spaces,
/// tabs, line breaks or commas, the quoted missing symbols (`"."` … `"......"`, `"-"`), ended by
/// `;`. A cell past the count the variables make, or a block that ends short, is an error with
/// both numbers. Hand-written: it runs once per cell, and no library reads PX.
final class PXCells: CubeCells {
    private let handle: FileHandle
    private let file: String
    private let expected: Int
    private let shape: String
    private var buffer: [UInt8] = []
    private var position = 0
    private var ended = false
    private var count = 0
    private var token: [UInt8] = []
    private(set) var line: Int
    private(set) var bytesRead: Int64
    let totalBytes: Int64

    init(path: String, file: String, offset: Int, line: Int, expected: Int, shape: String) throws(ImportError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(file: file, line: 0, column: 0, message: "cannot read the file")
        }
        do {
            try handle.seek(toOffset: UInt64(offset))
            totalBytes = Int64(try handle.seekToEnd())
            try handle.seek(toOffset: UInt64(offset))
        } catch {
            throw ImportError(file: file, line: 0, column: 0, message: "cannot read the file")
        }
        self.handle = handle
        self.file = file
        self.line = line
        self.expected = expected
        self.shape = shape
        bytesRead = Int64(offset)
    }

    deinit { try? handle.close() }

    private func refill() throws(ImportError) -> Bool {
        do {
            guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else { return false }
            buffer = [UInt8](data)
            position = 0
            bytesRead += Int64(data.count)
            return true
        } catch {
            throw ImportError(file: file, line: line, column: 0, message: "cannot read the file")
        }
    }

    func next() throws(ImportError) -> CubeCell? {
        guard !ended else { return nil }
        token.removeAll(keepingCapacity: true)
        var quoted = false
        var inQuotes = false
        while true {
            if position >= buffer.count {
                guard try refill() else {
                    if inQuotes { throw ImportError(file: file, line: line, column: 1, message: "a quoted cell in DATA is never closed") }
                    if !token.isEmpty || quoted { return try cell(quoted: quoted) }
                    throw ImportError(
                        file: file, line: line, column: 1,
                        message: "the file ends early: DATA is not ended by ';' after \(count) of \(expected) cells")
                }
            }
            let b = buffer[position]
            position += 1
            if inQuotes {
                if b == UInt8(ascii: "\"") { inQuotes = false } else { token.append(b) }
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                inQuotes = true
                quoted = true
            case 32, 9, 13, 10, UInt8(ascii: ","):
                if b == 10 { line += 1 }
                if !token.isEmpty || quoted { return try cell(quoted: quoted) }
            case UInt8(ascii: ";"):
                ended = true
                if !token.isEmpty || quoted { return try cell(quoted: quoted) }
                return try finished()
            default:
                token.append(b)
            }
        }
    }

    /// The block ended: it must have held exactly the cells the variables make.
    private func finished() throws(ImportError) -> CubeCell? {
        guard count == expected else {
            throw ImportError(
                file: file, line: line, column: 1,
                message: "DATA holds \(count) cells, but the variables make \(expected) (\(shape))")
        }
        return nil
    }

    private func cell(quoted: Bool) throws(ImportError) -> CubeCell {
        count += 1
        guard count <= expected else {
            throw ImportError(
                file: file, line: line, column: 1,
                message: "DATA holds more than the \(expected) cells the variables make (\(shape))")
        }
        if quoted || token.allSatisfy({ $0 == UInt8(ascii: ".") }) || token == [UInt8(ascii: "-")] {
            let symbol = String(decoding: token, as: UTF8.self)
            guard Self.missingSymbols.contains(symbol) else {
                throw ImportError(file: file, line: line, column: 1, message: "\"\(symbol.clippedForMessage())\" is not a number or a PX missing symbol")
            }
            return .missing(symbol)
        }
        guard let value = token.withUnsafeBufferPointer(Self.number), value.isFinite else {
            throw ImportError(
                file: file, line: line, column: 1,
                message: "'\(String(decoding: token, as: UTF8.self).clippedForMessage())' in DATA is not a number")
        }
        return .number(value)
    }

    /// PX's symbols for a value that is not there (PX specification 2013, DATASYMBOL1–6 and DATASYMBOLNIL).
    static let missingSymbols: Set<String> = [".", "..", "...", "....", ".....", "......", "-"]

    /// A decimal number with `.` as decimal mark (PX's), read without making a String.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var whole: UInt64 = 0
        var digits = 0
        var fraction: UInt64 = 0
        var scale = 0
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57, digits < 18 {
            whole = whole * 10 + UInt64(bytes[i] - 48)
            digits += 1
            i += 1
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57, digits < 18 {
                fraction = fraction * 10 + UInt64(bytes[i] - 48)
                scale += 1
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return nil }
        guard i == bytes.count else {
            // Rare forms (an exponent, more than 18 digits): the standard library's parser.
            return Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[...]), as: UTF8.self))
        }
        let value = scale == 0 ? Double(whole) : (Double(whole) * Self.powers[scale] + Double(fraction)) / Self.powers[scale]
        return negative ? -value : value
    }

    private static let powers: [Double] = (0...18).map { pow(10, Double($0)) }
}
