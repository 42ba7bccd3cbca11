/// How a file writes numbers: decimal comma or point, and a thousands separator.
struct NumberFormat: CustomStringConvertible {
    let decimal: Character
    let thousands: Character?

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
    func parse(_ text: String) -> Double? {
        var s = Substring(text.trimmingCharactersInSpace())
        var sign = 1.0
        if s.first == "-" {
            sign = -1
            s = s.dropFirst()
        } else if s.first == "+" {
            s = s.dropFirst()
        }
        guard !s.isEmpty else { return nil }
        let parts = s.split(separator: decimal, maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty || !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit) else { return nil }
        var digits = ""
        if let thousands, whole.contains(thousands) {
            let groups = whole.split(separator: thousands, omittingEmptySubsequences: false)
            guard let first = groups.first, (1...3).contains(first.count),
                groups.dropFirst().allSatisfy({ $0.count == 3 }), groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) })
            else { return nil }
            digits = groups.joined()
        } else {
            guard whole.allSatisfy(\.isASCIIDigit) else { return nil }
            digits = String(whole)
        }
        guard let value = Double(digits.isEmpty ? "0" : digits + (fraction.isEmpty ? "" : "." + fraction)) else { return nil }
        return sign * value
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
