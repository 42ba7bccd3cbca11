import BeskplanCore

/// Observations are stored packed: one row per series and calendar year (the year of a period's
/// first day) holding that year's periods in order, each as a 24-byte entry: the period key,
/// the value and the import that wrote it. A monthly series thus takes one row a year instead
/// of twelve, which is what makes an import cost little more than parsing the file.
struct ObservationBlock {
    struct Entry: Equatable {
        var period: Int64
        var value: Double
        var importID: Int64
    }

    static let entrySize = 24

    private(set) var entries: [Entry]

    init(entries: [Entry]) { self.entries = entries }

    /// The block a period key belongs to: the calendar year of the period's first day.
    static func block(of periodKey: Int64) -> Int64 {
        Int64(Day(number: Int(periodKey >> 3)).components.year)
    }

    /// The block of a period key and the range of keys it holds (periods starting in that year).
    static func span(of periodKey: Int64) -> (block: Int64, keys: Range<Int64>) {
        let year = Day(number: Int(periodKey >> 3)).components.year
        let first = Int64(Day(year: year, month: 1, day: 1).number) * 8
        let next = Int64(Day(year: year + 1, month: 1, day: 1).number) * 8
        return (Int64(year), first..<next)
    }

    /// The blocks that may hold keys in `low…high` (open ends stay open).
    static func blocks(low: Int64, high: Int64) -> (Int64, Int64) {
        (low == .min ? .min : block(of: low), high == .max ? .max : block(of: high))
    }

    /// Reads a stored blob; `nil` if its length is not a whole number of entries.
    init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count % Self.entrySize == 0 else { return nil }
        let count = bytes.count / Self.entrySize
        entries = (0..<count).map { i in
            let offset = i * Self.entrySize
            return Entry(
                period: Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)),
                value: Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))),
                importID: Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 16, as: Int64.self)))
        }
    }

    /// The blob to store: entries in period order, little-endian.
    func encoded() -> [Int64] {
        var words: [Int64] = []
        words.reserveCapacity(entries.count * 3)
        for entry in entries {
            words.append(entry.period.littleEndian)
            words.append(Int64(bitPattern: entry.value.bitPattern).littleEndian)
            words.append(entry.importID.littleEndian)
        }
        return words
    }

    /// Writes `new` (in period order, one entry per period) over this block: a period present in
    /// both takes the new value. Returns the entries that were replaced.
    @discardableResult
    mutating func merge(_ new: [Entry]) -> [Entry] {
        var merged: [Entry] = []
        merged.reserveCapacity(entries.count + new.count)
        var replaced: [Entry] = []
        var i = 0
        var j = 0
        while i < entries.count || j < new.count {
            if j == new.count || (i < entries.count && entries[i].period < new[j].period) {
                merged.append(entries[i])
                i += 1
            } else {
                if i < entries.count && entries[i].period == new[j].period {
                    replaced.append(entries[i])
                    i += 1
                }
                merged.append(new[j])
                j += 1
            }
        }
        entries = merged
        return replaced
    }

    /// Sorts entries by period; of two entries for one period the later wins. Returns how many
    /// were dropped that way.
    static func normalize(_ entries: inout [Entry]) -> Int {
        var sorted = true
        for k in entries.indices.dropFirst() where entries[k - 1].period >= entries[k].period {
            sorted = false
            break
        }
        if sorted { return 0 }
        // Stable by position, so the last of equal periods is the one kept.
        let ordered = entries.enumerated().sorted { ($0.element.period, $0.offset) < ($1.element.period, $1.offset) }
        var result: [Entry] = []
        result.reserveCapacity(entries.count)
        for (_, entry) in ordered {
            if let last = result.last, last.period == entry.period {
                result[result.count - 1] = entry
            } else {
                result.append(entry)
            }
        }
        let dropped = entries.count - result.count
        entries = result
        return dropped
    }
}
