/// How a file writes numbers: decimal comma or point, and a thousands separator.
struct NumberFormat: CustomStringConvertible {
    let decimal: Character
    let thousands: Character?
    private let decimalByte: UInt8
    private let thousandsByte: UInt8?

    init(decimal: Character, thousands: Character?) {
        self.decimal = decimal
        self.thousands = thousands
        decimalByte = decimal.asciiValue ?? UInt8(ascii: ",")
        thousandsByte = thousands?.asciiValue
    }

    var description: String {
        let d = decimal == "," ? "decimal comma" : "decimal point"
        switch thousands {
        case "."?: return "\(d), thousands dot"
        case ","?: return "\(d), thousands comma"
        case " "?: return "\(d), thousands space"
        default: return "\(d), no thousands separator"
        }
    }

    /// The number, or nil when the text is not a number in this format. Thousands separators
    /// must group by three (`1.234,5`), so a stray `l.234,5` or `1.23,4` is refused.
    /// Byte by byte: this runs once per value of files with millions of rows.
    func parse(_ text: ArraySlice<UInt8>) -> Double? {
        // Digits are gathered as one integer and divided by a power of ten once, which rounds
        // exactly as strtod does (while both stay below 2^53).
        var mantissa: Double = 0
        var scale: Double = 1
        var sign: Double = 1
        var digits = 0
        var groupDigits = 0
        var sawGroup = false
        var inFraction = false
        var start = true
        for byte in text {
            if start && (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")) {
                sign = byte == UInt8(ascii: "-") ? -1 : 1
                start = false
                continue
            }
            start = false
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                mantissa = mantissa * 10 + Double(byte - UInt8(ascii: "0"))
                if inFraction {
                    scale *= 10
                } else {
                    groupDigits += 1
                }
                digits += 1
            case decimalByte where !inFraction:
                if sawGroup && groupDigits != 3 { return nil }
                inFraction = true
            case thousandsByte where !inFraction && thousandsByte != nil:
                // The first group has 1–3 digits; every later one exactly 3.
                if groupDigits == 0 || groupDigits > 3 || (sawGroup && groupDigits != 3) { return nil }
                sawGroup = true
                groupDigits = 0
            default:
                return nil
            }
        }
        guard digits > 0, !sawGroup || inFraction || groupDigits == 3 else { return nil }
        if sawGroup && !inFraction && groupDigits != 3 { return nil }
        guard mantissa < 9_007_199_254_740_992 else {
            // Too many digits to be exact this way: strip separators and let Double parse it.
            let plain = text.compactMap { $0 == thousandsByte ? nil : $0 == decimalByte ? UInt8(ascii: ".") : $0 }
            return Double(String(decoding: plain, as: UTF8.self))
        }
        return sign * (mantissa / scale)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    func trimmingCharactersInSpace() -> Substring {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
