import BeskplanCore

/// Observations are stored packed: one row per series and calendar year (the year of a period's
/// first day) holding that year's periods in order. A monthly series thus takes one row a year
/// instead of twelve, which is what makes an import cost little more than parsing the file.
///
/// The blob (little-endian): a format byte (1); the number of distinct imports k; k import ids
/// (8 bytes each); then 11 bytes per entry: the period key less the year's first key (2 bytes),
/// the index of its import (1 byte) and the value's IEEE 754 bits (8 bytes).
struct ObservationBlock {
    struct Entry: Equatable {
        var period: Int64
        var value: Double
        var importID: Int64
    }

    static let format: UInt8 = 1
    static let entrySize = 11

    private(set) var entries: [Entry]

    init(entries: [Entry]) { self.entries = entries }

    /// The block a period key belongs to: the calendar year of the period's first day.
    static func block(of periodKey: Int64) -> Int64 {
        Int64(Day(number: Int(periodKey >> 3)).components.year)
    }

    /// The block of a period key and the range of keys it holds (periods starting in that year).
    static func span(of periodKey: Int64) -> (block: Int64, keys: Range<Int64>) {
        let year = Int(block(of: periodKey))
        return (Int64(year), firstKey(of: Int64(year))..<firstKey(of: Int64(year + 1)))
    }

    /// The smallest key of a block: its year's first day.
    static func firstKey(of block: Int64) -> Int64 {
        Int64(Day(year: Int(block), month: 1, day: 1).number) * 8
    }

    /// The blocks that may hold keys in `low…high` (open ends stay open).
    static func blocks(low: Int64, high: Int64) -> (Int64, Int64) {
        (low == .min ? .min : block(of: low), high == .max ? .max : block(of: high))
    }

    /// Reads a stored blob of block `block`; `nil` if it is not in the format.
    init?(bytes: UnsafeRawBufferPointer, block: Int64) {
        guard bytes.count >= 2, bytes[0] == Self.format else { return nil }
        let imports = Int(bytes[1])
        let start = 2 + imports * 8
        guard imports > 0, bytes.count >= start, (bytes.count - start) % Self.entrySize == 0 else { return nil }
        let importIDs = (0..<imports).map { Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 + $0 * 8, as: Int64.self)) }
        let base = Self.firstKey(of: block)
        var entries: [Entry] = []
        entries.reserveCapacity((bytes.count - start) / Self.entrySize)
        var offset = start
        while offset < bytes.count {
            let key = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            let index = Int(bytes[offset + 2])
            guard index < imports else { return nil }
            let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 3, as: UInt64.self))
            entries.append(Entry(period: base + Int64(key), value: Double(bitPattern: bits), importID: importIDs[index]))
            offset += Self.entrySize
        }
        self.entries = entries
    }

    /// The blob to store for block `block` (whose keys the entries must be).
    func encoded(block: Int64) -> [UInt8] {
        var imports: [Int64] = []
        for entry in entries where !imports.contains(entry.importID) { imports.append(entry.importID) }
        // A block holds at most 72 periods (a year, halves, quarters, months and weeks), so
        // fewer than 256 imports.
        precondition(imports.count < 256, "more imports in one block than periods in a year")
        let base = Self.firstKey(of: block)
        let start = 2 + imports.count * 8
        var bytes = [UInt8](repeating: 0, count: start + entries.count * Self.entrySize)
        bytes.withUnsafeMutableBytes { out in
            out[0] = Self.format
            out[1] = UInt8(imports.count)
            for (i, id) in imports.enumerated() { out.storeBytes(of: id.littleEndian, toByteOffset: 2 + i * 8, as: Int64.self) }
            var offset = start
            for entry in entries {
                out.storeBytes(of: UInt16(entry.period - base).littleEndian, toByteOffset: offset, as: UInt16.self)
                out[offset + 2] = UInt8(imports.firstIndex(of: entry.importID)!)
                out.storeBytes(of: entry.value.bitPattern.littleEndian, toByteOffset: offset + 3, as: UInt64.self)
                offset += Self.entrySize
            }
        }
        return bytes
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
