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
        // -0.0, 1e-300 and the largest double are no small decimals: IEEE bits, 11 bytes an entry.
        #expect(bytes.count == 4 + 2 * 8 + entries.count * 11)
        let decoded = try #require(bytes.withUnsafeBytes { ObservationBlock(bytes: $0, block: block) })
        #expect(decoded.entries.map(\.period) == entries.map(\.period))
        #expect(decoded.entries.map(\.value.bitPattern) == entries.map(\.value.bitPattern))
        #expect(decoded.entries.map(\.importID) == entries.map(\.importID))
    }

    @Test("A rolling year is stored by its first day and reads back as the same rolling year, in time order")
    func rollingYearKeys() {
        for q in 1...4 {
            let p = Period.rollingYear(2022, q)
            #expect(PeriodKey.decode(PeriodKey.encode(p)) == p)
        }
        let starting: [Period] = [.year(2022), .half(2022, 1), .quarter(2022, 1), .month(2022, 1), .rollingYear(2022, 4), .rollingYear(2022, 1)]
        #expect(starting.sorted() == starting.sorted { PeriodKey.encode($0) < PeriodKey.encode($1) }, "integer order is time order")
    }

    @Test("Published decimals take 7 bytes an entry and read back bit for bit; many imports widen the index")
    func compactValues() throws {
        let values: [Double] = [330.3, 0.1, -2.25, 1_234_567.8, 0, 98_765.43]
        let entries: [ObservationBlock.Entry] = values.enumerated().map { i, value in
            ObservationBlock.Entry(period: PeriodKey.encode(.month(2021, i + 1)), value: value, importID: 4)
        }
        let bytes = ObservationBlock(entries: entries).encoded(block: 2020)
        #expect(bytes.count == 4 + 8 + entries.count * 7)
        let decoded = try #require(bytes.withUnsafeBytes { ObservationBlock(bytes: $0, block: 2020) })
        #expect(decoded.entries.map(\.value.bitPattern) == values.map(\.bitPattern))

        // -0.0 alone would pass as 0 over 1; it must keep its sign.
        let negativeZero = [ObservationBlock.Entry(period: PeriodKey.encode(.month(2021, 1)), value: -0.0, importID: 4)]
        let signed = ObservationBlock(entries: negativeZero).encoded(block: 2020)
        let signedBack = try #require(signed.withUnsafeBytes { ObservationBlock(bytes: $0, block: 2020) })
        #expect(signedBack.entries.first?.value.sign == .minus)

        // 300 weeks, each written by another import: the import index needs two bytes.
        let weekly: [ObservationBlock.Entry] = (0..<300).map { (i: Int) -> ObservationBlock.Entry in
            let week = Period.week(2011 + i / 52, i % 52 + 1)
            return ObservationBlock.Entry(period: PeriodKey.encode(week), value: Double(i) + 0.5, importID: Int64(i))
        }
        let wide = ObservationBlock(entries: weekly).encoded(block: 2010)
        let expectedSize = 4 + 300 * 8 + 300 * (2 + 2 + 4)
        #expect(wide.count == expectedSize)
        let back = try #require(wide.withUnsafeBytes { ObservationBlock(bytes: $0, block: 2010) })
        #expect(back.entries == weekly)
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
        other[0] = 2
        #expect(other.withUnsafeBytes { ObservationBlock(bytes: $0, block: 2010) } == nil)
    }
}
