import BeskplanCore
import Foundation
import Testing
@testable import Storage

@Suite("Packed observation blocks")
struct ObservationBlockTests {
    @Test("A year of every granularity and several imports reads back bit for bit")
    func roundTrip() throws {
        let periods: [Period] = [.year(2020), .half(2020, 2), .quarter(2020, 4), .month(2020, 12), .week(2020, 53)]
        var entries = periods.enumerated().map { i, period in
            ObservationBlock.Entry(period: PeriodKey.encode(period), value: [-0.0, 1e-300, 7.25, .greatestFiniteMagnitude, 3][i], importID: Int64(i % 2 == 0 ? 7 : 1 << 40))
        }
        entries.sort { $0.period < $1.period }
        let block = ObservationBlock.block(of: entries[0].period)
        #expect(block == 2020)
        let bytes = ObservationBlock(entries: entries).encoded(block: block)
        #expect(bytes.count == 2 + 2 * 8 + entries.count * 11)
        let decoded = try #require(bytes.withUnsafeBytes { ObservationBlock(bytes: $0, block: block) })
        #expect(decoded.entries.map(\.period) == entries.map(\.period))
        #expect(decoded.entries.map(\.value.bitPattern) == entries.map(\.value.bitPattern))
        #expect(decoded.entries.map(\.importID) == entries.map(\.importID))
    }

    @Test("ISO week 1 that starts in December belongs to the block of that December")
    func weekAcrossNewYear() {
        // Week 1 of 2020 starts on Monday 30 December 2019.
        let key = PeriodKey.encode(.week(2020, 1))
        #expect(ObservationBlock.block(of: key) == 2019)
        #expect(ObservationBlock.span(of: key).keys.contains(key))
    }

    @Test("A blob in another format or cut short is refused, not misread")
    func damaged() {
        let good = ObservationBlock(entries: [.init(period: PeriodKey.encode(.month(2019, 3)), value: 1, importID: 1)]).encoded(block: 2019)
        #expect(good.withUnsafeBytes { ObservationBlock(bytes: $0, block: 2019) } != nil)
        #expect(Array(good.dropLast()).withUnsafeBytes { ObservationBlock(bytes: $0, block: 2019) } == nil)
        var other = good
        other[0] = 2
        #expect(other.withUnsafeBytes { ObservationBlock(bytes: $0, block: 2019) } == nil)
    }
}
