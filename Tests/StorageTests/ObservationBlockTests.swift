import BeskplanCore
import Foundation
import Testing
@testable import Storage

@Suite("Packed observation blocks")
struct ObservationBlockTests {
    @Test("A decade of every granularity and several imports reads back bit for bit")
    func roundTrip() throws {
        let periods: [Period] = [.year(2020), .half(2020, 2), .quarter(2020, 4), .month(2020, 12), .week(2020, 53), .month(2029, 12)]
        var entries = periods.enumerated().map { i, period in
            ObservationBlock.Entry(period: PeriodKey.encode(period), value: [-0.0, 1e-300, 7.25, .greatestFiniteMagnitude, 3, -12.5][i], importID: Int64(i % 2 == 0 ? 7 : 1 << 40))
        }
        entries.sort { $0.period < $1.period }
        let block = ObservationBlock.block(of: entries[0].period)
        #expect(block == 2020)
        #expect(ObservationBlock.block(of: PeriodKey.encode(.month(2029, 12))) == 2020)
        let bytes = ObservationBlock(entries: entries).encoded(block: block)
        #expect(bytes.count == 3 + 2 * 8 + entries.count * 12)
        let decoded = try #require(bytes.withUnsafeBytes { ObservationBlock(bytes: $0, block: block) })
        #expect(decoded.entries.map(\.period) == entries.map(\.period))
        #expect(decoded.entries.map(\.value.bitPattern) == entries.map(\.value.bitPattern))
        #expect(decoded.entries.map(\.importID) == entries.map(\.importID))
    }

    @Test("ISO week 1 that starts in December belongs to the block of that December")
    func weekAcrossNewYear() {
        // Week 1 of 2020 starts on Monday 30 December 2019, in the decade from 2010.
        let key = PeriodKey.encode(.week(2020, 1))
        #expect(ObservationBlock.block(of: key) == 2010)
        #expect(ObservationBlock.span(of: key).keys.contains(key))
        #expect(!ObservationBlock.span(of: key).keys.contains(PeriodKey.encode(.week(2020, 2))))
    }

    @Test("A blob in another format or cut short is refused, not misread")
    func damaged() {
        let good = ObservationBlock(entries: [.init(period: PeriodKey.encode(.month(2019, 3)), value: 1, importID: 1)]).encoded(block: 2010)
        #expect(good.withUnsafeBytes { ObservationBlock(bytes: $0, block: 2010) } != nil)
        #expect(Array(good.dropLast()).withUnsafeBytes { ObservationBlock(bytes: $0, block: 2010) } == nil)
        var other = good
        other[0] = 1
        #expect(other.withUnsafeBytes { ObservationBlock(bytes: $0, block: 2010) } == nil)
    }
}
