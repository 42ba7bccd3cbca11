import BeskplanCore
import Testing

/// A statistics table gives each cell once; the registry finds the second time, with the line of
/// the first, in whatever order the table gives its periods.
struct CellRegistryTests {
    let aarhus = SeriesKey(measure: "ydelse.fuldtidspersoner", area: "751", dimensions: ["ydelse": "kontanthjaelp"])
    let odense = SeriesKey(measure: "ydelse.fuldtidspersoner", area: "461", dimensions: ["ydelse": "kontanthjaelp"])

    @Test("A cell given again names the line it was first given on, in order or not, in a continued series or a looked-up one")
    func secondTimeNamesTheFirstLine() {
        var cells = CellRegistry()
        #expect(cells.note(aarhus, .month(2019, 3), line: 2) == nil)
        #expect(cells.note(nil, .month(2019, 4), line: 3) == nil)
        #expect(cells.note(nil, .month(2019, 1), line: 4) == nil)  // out of order: placed, not a duplicate
        #expect(cells.note(odense, .month(2019, 3), line: 5) == nil)  // the same period in another series
        #expect(cells.note(nil, .month(2019, 3), line: 6) == 5)
        #expect(cells.note(aarhus, .month(2019, 1), line: 7) == 4)
        #expect(cells.note(nil, .month(2019, 4), line: 8) == 3)
        #expect(cells.note(nil, .month(2019, 2), line: 9) == nil)
        #expect(cells.note(aarhus, .month(2019, 2), line: 10) == 9)
    }

    @Test("A table that gives its periods newest first: every cell placed, a repeat still caught with its first line")
    func newestFirst() {
        var cells = CellRegistry()
        let weeks = (1...52).reversed().map { Period.week(2024, $0) }
        for (i, week) in weeks.enumerated() { #expect(cells.note(i == 0 ? aarhus : nil, week, line: i + 2) == nil) }
        #expect(cells.note(aarhus, .week(2024, 52), line: 100) == 2)
        #expect(cells.note(nil, .week(2024, 1), line: 101) == 53)
        #expect(cells.note(nil, .week(2023, 52), line: 102) == nil)
    }

    @Test("Periods that share a year and number but not a kind are different cells")
    func kindsAreApart() {
        var cells = CellRegistry()
        let periods: [Period] = [.year(2019), .half(2019, 1), .quarter(2019, 1), .month(2019, 1), .week(2019, 1), .rollingYear(2019, 1),
                                 .month(2020, 1), .month(2019, 12), .week(2019, 53)]
        for (index, period) in periods.enumerated() { #expect(cells.note(aarhus, period, line: index + 1) == nil, "\(period)") }
        for (index, period) in periods.enumerated().reversed() { #expect(cells.note(aarhus, period, line: 100) == index + 1, "\(period)") }
    }
}
