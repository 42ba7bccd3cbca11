import Foundation

/// Reading and writing periods as text.
extension Period: CustomStringConvertible, LosslessStringConvertible, Codable {
    /// The forms a user may write, for error messages.
    public static let acceptedForms =
        "2024 (year), 2024H1 (half), 2019K2 (quarter), 2019M05 (month), 2023U33 (ISO week), "
        + "2022QMAT04 (the 12 months ending with a quarter); also 2019-Q2, 2019Q2, 2019-S1, 2019-05, 2023-W33"

    /// The canonical Danish notation: `2024`, `2024H1`, `2019K2`, `2019M05`, `2023U33`, and
    /// Jobindsats' `2022QMAT04` for a rolling year.
    public var description: String {
        switch self {
        case .year(let y): "\(y)"
        case .half(let y, let h): "\(y)H\(h)"
        case .quarter(let y, let q): "\(y)K\(q)"
        case .month(let y, let m): "\(y)M\(Day.pad(m))"
        case .week(let y, let w): "\(y)U\(Day.pad(w))"
        case .rollingYear(let y, let q): "\(y)QMAT\(Day.pad(q))"
        }
    }

    /// The SDMX/ISO notation: `2024`, `2024-S1`, `2019-Q2`, `2019-05`, `2023-W33` (SDMX has no
    /// rolling year: those keep Jobindsats' `2022QMAT04`).
    public var isoDescription: String {
        switch self {
        case .year(let y): "\(y)"
        case .half(let y, let h): "\(y)-S\(h)"
        case .quarter(let y, let q): "\(y)-Q\(q)"
        case .month(let y, let m): "\(y)-\(Day.pad(m))"
        case .week(let y, let w): "\(y)-W\(Day.pad(w))"
        case .rollingYear: description
        }
    }

    /// `nil` when the text is not a period; use `init(parsing:)` for the reason.
    public init?(_ description: String) {
        guard let p = try? Period(parsing: description) else { return nil }
        self = p
    }

    /// Parses any accepted form, or throws an error that lists them.
    public init(parsing text: String) throws(PeriodError) {
        // Bytes, not Characters: this runs for every row of a CSV file.
        let isSpace = { (byte: UInt8?) in byte == 32 || byte == 9 }
        let padded = isSpace(text.utf8.first) || isSpace(text.utf8.last)
        var trimmed = padded ? text.trimmingCharacters(in: .whitespaces) : text
        let parsed = trimmed.withUTF8 { Period.parse($0) }
        switch parsed {
        case .success(let period): self = period
        case .failure(let reason): throw PeriodError(text: text, reason: reason.text)
        }
    }

    /// Parses UTF-8 bytes (a CSV field) without making a `String`; `nil` when they are no
    /// period (`init(parsing:)` says why).
    public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Period? {
        if case .success(let period) = Period.parse(bytes) { return period }
        return nil
    }

    /// Parses a NUL-terminated UTF-8 C string (an XML attribute value) without making a `String`.
    public static func parse(utf8CString text: UnsafePointer<UInt8>) -> Result<Period, PeriodError> {
        switch Period.parse(UnsafeBufferPointer(start: text, count: strlen(text))) {
        case .success(let period): .success(period)
        case .failure(let reason): .failure(PeriodError(text: String(cString: text), reason: reason.text))
        }
    }

    /// `2019M05`, the form feeds repeat millions of times, without the general parser's detours;
    /// `nil` for anything else (including an invalid month, which the general parser reports).
    @inline(__always)
    private static func plainMonth(_ s: UnsafeBufferPointer<UInt8>) -> Period? {
        guard s.count == 7, s[4] | 0x20 == UInt8(ascii: "m") else { return nil }
        var year = 0
        for i in 0..<4 {
            let digit = s[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            year = year * 10 + Int(digit)
        }
        let tens = s[5] &- UInt8(ascii: "0")
        let ones = s[6] &- UInt8(ascii: "0")
        guard tens < 2, ones < 10 else { return nil }
        let month = Int(tens) * 10 + Int(ones)
        guard (1...12).contains(month), (1900...2199).contains(year) else { return nil }
        return .month(year, month)
    }

    /// Why bytes are not a period; `nil` text means "not a period at all".
    struct Reason: Error {
        let text: String?
    }

    static func parse(_ s: UnsafeBufferPointer<UInt8>) -> Result<Period, Reason> {
        if let month = plainMonth(s) { return .success(month) }
        guard s.count >= 4, let year = number(s[0..<4]), (1900...2199).contains(year) else {
            return .failure(Reason(text: nil))
        }
        if s.count == 4 { return .success(.year(year)) }
        var rest = s[4...]
        let dashed = rest.first == UInt8(ascii: "-")
        if dashed { rest = rest.dropFirst() }
        // `2019-05`: an ISO month has no letter.
        if dashed, rest.count == 2, let m = number(rest) { return make(.month, year, m) }
        // `2022QMAT04`: Jobindsats' rolling year, the twelve months ending with the quarter.
        if !dashed, rest.count == 6, zip(rest.prefix(4), "QMAT".utf8).allSatisfy({ $0 & 0xDF == $1 }),
            let q = number(rest.dropFirst(4))
        {
            return make(.rollingYear, year, q)
        }
        // ASCII letters compare in upper case: clearing bit 5 maps a–z onto A–Z.
        guard let first = rest.first, let n = number(rest.dropFirst()) else { return .failure(Reason(text: nil)) }
        // Jobindsats API v3 writes a year `2024Y01`: the year's one and only part.
        if !dashed, first & 0xDF == UInt8(ascii: "Y"), rest.count == 3 {
            return n == 1 ? .success(.year(year)) : .failure(Reason(text: "a year is written \(year)Y01"))
        }
        let granularity: Granularity? =
            switch (Character(UnicodeScalar(first & 0xDF)), dashed, rest.count - 1) {
            case ("H", _, 1), ("S", true, 1): .half
            // `2024Q04`: Jobindsats API v3 writes quarters with two digits.
            case ("K", false, 1), ("Q", _, 1), ("Q", false, 2): .quarter
            case ("M", false, 2): .month
            case ("U", false, 2), ("W", _, 2): .week
            default: nil
            }
        guard let granularity else { return .failure(Reason(text: nil)) }
        return make(granularity, year, n)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try (try? container.decode(String.self)) ?? String(container.decode(Int.self))
        do {
            self = try Period(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func make(_ g: Granularity, _ y: Int, _ n: Int) -> Result<Period, Reason> {
        let range: ClosedRange<Int>
        let period: Period
        switch g {
        case .half: (range, period) = (1...2, .half(y, n))
        case .quarter: (range, period) = (1...4, .quarter(y, n))
        case .rollingYear: (range, period) = (1...4, .rollingYear(y, n))
        case .month: (range, period) = (1...12, .month(y, n))
        case .week: (range, period) = (1...weeksIn(isoYear: y), .week(y, n))
        case .year: (range, period) = (y...y, .year(y))
        }
        guard range.contains(n) else {
            let part = g == .rollingYear ? "the quarter a rolling year ends with" : "\(g)"
            return .failure(Reason(text: "\(part) must be \(range.lowerBound)–\(range.upperBound) in \(y)"))
        }
        return .success(period)
    }

    private static func number(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        guard !digits.isEmpty, digits.count <= 4 else { return nil }
        var n = 0
        for d in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(d) else { return nil }
            n = n * 10 + Int(d - UInt8(ascii: "0"))
        }
        return n
    }
}

/// A text that is not a period, with the forms that are accepted.
public struct PeriodError: Error, CustomStringConvertible, Equatable {
    public let text: String
    public let reason: String?

    public var description: String {
        if let reason { return "'\(text.clippedForMessage())' is not a valid period: \(reason)" }
        return "'\(text.clippedForMessage())' is not a period; accepted forms: \(Period.acceptedForms)"
    }
}

/// A closed range of periods of one granularity, e.g. `2018K2...2019K2`.
public struct PeriodRange: Hashable, Sendable, Sequence {
    public let lower: Period
    public let upper: Period

    /// Fails when the ends differ in granularity or are out of order.
    public init(_ lower: Period, _ upper: Period) throws(PeriodError) {
        guard lower.granularity == upper.granularity else {
            throw PeriodError(text: "\(lower)...\(upper)", reason: "both ends must be of the same kind")
        }
        guard lower <= upper else {
            throw PeriodError(text: "\(lower)...\(upper)", reason: "the range ends before it starts")
        }
        self.lower = lower
        self.upper = upper
    }

    public func contains(_ period: Period) -> Bool {
        lower.firstDay <= period.firstDay && period.lastDay <= upper.lastDay
    }

    public func makeIterator() -> AnyIterator<Period> {
        var current: Period? = lower
        let upper = self.upper
        return AnyIterator {
            guard let p = current else { return nil }
            current = p == upper ? nil : p.next
            return p
        }
    }
}
