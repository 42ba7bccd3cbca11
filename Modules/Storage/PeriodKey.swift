import BeskplanCore

/// The integer a period is stored as: its first day times 8 plus its granularity, so that
/// integer order is `Period`'s order and `BETWEEN` finds the periods of a span.
package enum PeriodKey {
    package static func encode(_ period: Period) -> Int64 {
        Int64(period.firstDay.number) * 8 + Int64(period.granularity.rawValue)
    }

    package static func decode(_ key: Int64) -> Period? {
        guard let g = Period.Granularity(rawValue: Int(key & 7)) else { return nil }
        return Period.starting(at: Day(number: Int(key >> 3)), granularity: g)
    }

    /// The keys of every period that starts within `from`…`to` (ends are checked by the caller).
    package static func bounds(from: Period?, to: Period?) -> (Int64, Int64) {
        let low = from.map { Int64($0.firstDay.number) * 8 } ?? Int64.min
        let high = to.map { Int64($0.lastDay.number) * 8 + 7 } ?? Int64.max
        return (low, high)
    }
}
