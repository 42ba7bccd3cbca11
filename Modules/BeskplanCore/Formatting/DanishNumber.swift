import Foundation

/// Danish number formatting: `4.720`, `20,5 %`, `-0,1 procentpoint`.
///
/// Written out rather than through `NumberFormatter` so the output never depends on the
/// process locale or the platform's ICU data, and reports stay byte-for-byte reproducible.
public enum DanishNumber {
    /// `4720` → `4.720`; `1234.56` with 1 decimal → `1.234,6`. A rounded zero has no sign.
    public static func format(_ value: Double, decimals: Int = 0, signed: Bool = false) -> String {
        guard value.isFinite else { return value.isNaN ? "-" : (value > 0 ? "∞" : "-∞") }
        let scale = pow(10, Double(decimals))
        var rounded = (abs(value) * scale).rounded(.toNearestOrAwayFromZero) / scale
        if rounded == 0 { rounded = 0 }
        let negative = value < 0 && rounded != 0
        let fixed = String(format: "%.\(decimals)f", rounded)
        let parts = fixed.split(separator: ".", maxSplits: 1)
        let whole = grouped(String(parts[0]))
        var text = parts.count == 2 ? "\(whole),\(parts[1])" : whole
        if negative {
            text = "-" + text
        } else if signed && rounded != 0 {
            text = "+" + text
        }
        return text
    }

    /// `20.5` → `20,5 %`.
    public static func percent(_ value: Double, decimals: Int = 1) -> String {
        "\(format(value, decimals: decimals)) %"
    }

    /// `-0.1` → `-0,1 procentpoint`; with `signed`, `2.9` → `+2,9 procentpoint`.
    public static func percentagePoints(_ value: Double, decimals: Int = 1, signed: Bool = false) -> String {
        "\(format(value, decimals: decimals, signed: signed)) procentpoint"
    }

    /// A value in its measure's unit, as reports write it: counts whole, shares with one decimal.
    public static func format(_ value: Double, unit: MeasureUnit) -> String {
        switch unit {
        case .procent: percent(value)
        case .procentpoint: percentagePoints(value)
        case .fuldtidspersoner, .helaarspersoner, .antal, .placering:
            format(value, decimals: value == value.rounded() ? 0 : 1)
        }
    }

    private static func grouped(_ digits: String) -> String {
        var out: [Character] = []
        for (i, ch) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(".") }
            out.append(ch)
        }
        return String(out.reversed())
    }

    /// A number as a Danish or an English user types it into a form: `4,5`, `4.5`, `4.720`
    /// (thousands), `-0,3`; `1.250` is 1250, not 1.25. `nil` for anything else.
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "")
            .replacingOccurrences(of: "\u{2212}", with: "-")
        // A comma is the decimal mark; without one, a dot followed by exactly three digits groups thousands.
        let normalized: String
        if trimmed.contains(",") {
            normalized = trimmed.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
        } else if trimmed.range(of: #"^-?\d{1,3}(\.\d{3})+$"#, options: .regularExpression) != nil {
            normalized = trimmed.replacingOccurrences(of: ".", with: "")
        } else {
            normalized = trimmed
        }
        return Double(normalized).flatMap { $0.isFinite ? $0 : nil }
    }
}
