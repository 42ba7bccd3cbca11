import BeskplanCore

/// Observations are stored packed: one row per series and decade (of a period's first day)
/// holding that decade's periods in order. A monthly series thus takes one row per ten years
/// instead of 120, which is what makes an import cost little more than parsing the file, while
/// an import of this month's figures rewrites no more than a decade of each series.
///
/// The blob (little-endian): a format byte (3); a value byte: d in 0…3 when every value is an
/// integer over 10^d that fits 32 bits (published figures mostly are: 330.3 is 3303 over 10),
/// else 255; the number of distinct imports k (2 bytes); k import ids (8 bytes each); then one
/// entry per period: the period key less the decade's first key (2 bytes), the index of its
/// import (1 byte, 2 if k > 256), and the value (4 bytes as that integer, else its 8 IEEE 754
/// bytes). Integer values are checked to read back bit for bit, so nothing is rounded.
package struct ObservationBlock {
    package struct Entry: Equatable {
        package var period: Int64
        package var value: Double
        package var importID: Int64

        package init(period: Int64, value: Double, importID: Int64) {
            self.period = period
            self.value = value
            self.importID = importID
        }
    }

    static let format: UInt8 = 3
    private static let headerSize = 4
    /// The value byte that says values are stored as IEEE 754 bits.
    private static let rawValues: UInt8 = 255
    private static let powersOfTen: [Double] = [1, 10, 100, 1000]

    package private(set) var entries: [Entry]

    package init(entries: [Entry]) { self.entries = entries }

    /// The block a period key belongs to: the first year of the decade of the period's first day
    /// (2019M05 → 2010).
    package static func block(of periodKey: Int64) -> Int64 {
        let year = Day(number: Int(periodKey >> 3)).components.year
        return Int64(year - year % 10)
    }

    /// The block of a period key and the range of keys it holds (periods starting in its decade).
    package static func span(of periodKey: Int64) -> (block: Int64, keys: Range<Int64>) {
        let block = block(of: periodKey)
        return (block, firstKey(of: block)..<firstKey(of: block + 10))
    }

    /// The smallest key of a block: the first day of its decade.
    package static func firstKey(of block: Int64) -> Int64 {
        Int64(Day(year: Int(block), month: 1, day: 1).number) * 8
    }

    /// The row a series' block is stored under: `series * 1024 + block / 10`, so that one integer
    /// b-tree keeps a series' decades together and in order (a row up to 4 KB stays in its page,
    /// where a table without rowid would spill blocks of a decade to overflow pages).
    package static func rowID(series: Int64, block: Int64) -> Int64 {
        series * 1024 + ((block / 10) & 1023)
    }

    /// The rows of a series that may hold keys in `low…high`.
    package static func rowIDs(series: Int64, low: Int64, high: Int64) -> ClosedRange<Int64> {
        let (first, last) = blocks(low: low, high: high)
        return (first == .min ? series * 1024 : rowID(series: series, block: first))
            ... (last == .max ? series * 1024 + 1023 : rowID(series: series, block: last))
    }

    /// The blocks that may hold keys in `low…high` (open ends stay open).
    package static func blocks(low: Int64, high: Int64) -> (Int64, Int64) {
        (low == .min ? .min : block(of: low), high == .max ? .max : block(of: high))
    }

    /// The size of one entry in a blob with this value byte and number of imports.
    private static func entrySize(scale: UInt8, imports: Int) -> Int {
        2 + (imports > 256 ? 2 : 1) + (scale == rawValues ? 8 : 4)
    }

    /// Reads a stored blob of block `block`; `nil` if it is not in the format.
    package init?(bytes: UnsafeRawBufferPointer, block: Int64) {
        guard bytes.count >= Self.headerSize, bytes[0] == Self.format else { return nil }
        let scale = bytes[1]
        guard scale == Self.rawValues || Int(scale) < Self.powersOfTen.count else { return nil }
        let imports = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
        let start = Self.headerSize + imports * 8
        let size = Self.entrySize(scale: scale, imports: imports)
        guard imports > 0, bytes.count >= start, (bytes.count - start) % size == 0 else { return nil }
        let importIDs = (0..<imports).map {
            Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: Self.headerSize + $0 * 8, as: Int64.self))
        }
        let base = Self.firstKey(of: block)
        let wideIndex = imports > 256
        let valueOffset = wideIndex ? 4 : 3
        var entries: [Entry] = []
        entries.reserveCapacity((bytes.count - start) / size)
        var offset = start
        while offset < bytes.count {
            let key = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            let index = wideIndex
                ? Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self)))
                : Int(bytes[offset + 2])
            guard index < imports else { return nil }
            let value: Double
            if scale == Self.rawValues {
                let bits = bytes.loadUnaligned(fromByteOffset: offset + valueOffset, as: UInt64.self)
                value = Double(bitPattern: UInt64(littleEndian: bits))
            } else {
                let mantissa = Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + valueOffset, as: Int32.self))
                value = Double(mantissa) / Self.powersOfTen[Int(scale)]
            }
            entries.append(Entry(period: base + Int64(key), value: value, importID: importIDs[index]))
            offset += size
        }
        self.entries = entries
    }

    /// The smallest d in 0…3 for which every value is an Int32 over 10^d that reads back bit for
    /// bit (dividing by an exact power of ten rounds correctly), else `rawValues`.
    private func decimalScale() -> UInt8 {
        scales: for (d, power) in Self.powersOfTen.enumerated() {
            for entry in entries {
                // Through the integer itself, so that -0.0 (which no integer holds) stays raw.
                guard let mantissa = Int32(exactly: (entry.value * power).rounded()),
                    (Double(mantissa) / power).bitPattern == entry.value.bitPattern
                else { continue scales }
            }
            return UInt8(d)
        }
        return Self.rawValues
    }

    /// The blob to store for block `block` (whose keys the entries must be).
    package func encoded(block: Int64) -> [UInt8] {
        var imports: [Int64] = []
        var indices: [UInt16] = []
        indices.reserveCapacity(entries.count)
        for entry in entries {
            // Mostly one import, rarely a few: a list beats hashing.
            if let i = imports.lastIndex(of: entry.importID) {
                indices.append(UInt16(i))
            } else {
                indices.append(UInt16(imports.count))
                imports.append(entry.importID)
            }
        }
        let scale = decimalScale()
        let base = Self.firstKey(of: block)
        let start = Self.headerSize + imports.count * 8
        let size = Self.entrySize(scale: scale, imports: imports.count)
        let wideIndex = imports.count > 256
        let valueOffset = wideIndex ? 4 : 3
        var bytes = [UInt8](repeating: 0, count: start + entries.count * size)
        bytes.withUnsafeMutableBytes { out in
            out[0] = Self.format
            out[1] = scale
            out.storeBytes(of: UInt16(imports.count).littleEndian, toByteOffset: 2, as: UInt16.self)
            for (i, id) in imports.enumerated() {
                out.storeBytes(of: id.littleEndian, toByteOffset: Self.headerSize + i * 8, as: Int64.self)
            }
            var offset = start
            for (entry, index) in zip(entries, indices) {
                // A decade is at most 3,653 days: its keys differ by less than 2^15.
                out.storeBytes(of: UInt16(entry.period - base).littleEndian, toByteOffset: offset, as: UInt16.self)
                if wideIndex {
                    out.storeBytes(of: index.littleEndian, toByteOffset: offset + 2, as: UInt16.self)
                } else {
                    out[offset + 2] = UInt8(index)
                }
                if scale == Self.rawValues {
                    out.storeBytes(of: entry.value.bitPattern.littleEndian, toByteOffset: offset + valueOffset, as: UInt64.self)
                } else {
                    let mantissa = Int32((entry.value * Self.powersOfTen[Int(scale)]).rounded())
                    out.storeBytes(of: mantissa.littleEndian, toByteOffset: offset + valueOffset, as: Int32.self)
                }
                offset += size
            }
        }
        return bytes
    }

    /// Writes `new` (in period order, one entry per period) over this block: a period present in
    /// both takes the new value. Returns the entries that were replaced.
    @discardableResult
    package mutating func merge(_ new: [Entry]) -> [Entry] {
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
    package static func normalize(_ entries: inout [Entry]) -> Int {
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

extension ObservationBlock {
    /// The observations a query asks for in one stored block of a series: its periods between
    /// the query's keys (`PeriodKey.bounds`), ending by the query's `to`. Both stores read with it.
    package static func observations(
        stored bytes: UnsafeRawBufferPointer, block: Int64, seriesID: Int64, series: SeriesKey,
        keys: (low: Int64, high: Int64), to: Period?
    ) throws -> [Observation] {
        guard let contents = ObservationBlock(bytes: bytes, block: block) else {
            throw StoreError("observation block of series \(seriesID) is damaged")
        }
        return contents.entries.compactMap { entry in
            guard entry.period >= keys.low, entry.period <= keys.high, let period = PeriodKey.decode(entry.period) else {
                return nil
            }
            if let to, period.lastDay > to.lastDay { return nil }
            return Observation(series: series, period: period, value: entry.value, importID: entry.importID)
        }
    }
}

extension ObservationQuery {
    /// Whether a series carries the dimension values the query asks for (others may take any).
    package func matches(_ series: SeriesKey) -> Bool {
        dimensions.allSatisfy { series.dimensions[$0.key] == $0.value }
    }
}
