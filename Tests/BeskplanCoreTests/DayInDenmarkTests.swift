import BeskplanCore
import Foundation
import Testing

/// "Today" is the day in Denmark; the offset from UTC is kept per hour, and must still change
/// exactly when the clocks do.
struct DayInDenmarkTests {
    @Test("Every half hour of 2026, back and forth, the day in Denmark is the calendar's, across both clock changes")
    func matchesTheCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Copenhagen")!
        let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        // Forward, then each step checked against a moment a season away, so the kept hour changes every time.
        for step in 0..<(365 * 48) {
            for date in [start.addingTimeInterval(Double(step) * 1800), start.addingTimeInterval(Double(step) * 1800 + 86_400 * 180)] {
                let c = calendar.dateComponents([.year, .month, .day], from: date)
                #expect(Day(date) == Day(year: c.year!, month: c.month!, day: c.day!), "\(date)")
            }
        }
    }

    @Test("Minute by minute through both nights the clocks change, the kept offset changes with them")
    func clockChanges() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Copenhagen")!
        // From 2026-03-28T20:00Z and 2026-10-24T20:00Z, 28 hours on, across the change and the next midnight:
        // calls within an hour reuse the kept offset, and one kept too long would date the next evening wrong.
        for start in [1_774_728_000.0, 1_792_872_000.0] {
            for minute in 0..<(28 * 60) {
                let date = Date(timeIntervalSince1970: start + Double(minute) * 60)
                let c = calendar.dateComponents([.year, .month, .day], from: date)
                #expect(Day(date) == Day(year: c.year!, month: c.month!, day: c.day!), "\(date)")
            }
        }
    }

    @Test("Around the autumn change: 23:30 UTC is 01:30 the next day in summer time, 00:30 after the change")
    func autumnNight() {
        // 2026-10-24T22:30:00Z is 00:30 CEST on the 25th; 2026-10-25T23:30:00Z is 00:30 CET on the 26th.
        #expect(Day(Date(timeIntervalSince1970: 1_792_881_000)) == Day(year: 2026, month: 10, day: 25))
        #expect(Day(Date(timeIntervalSince1970: 1_792_967_400 + 3600)) == Day(year: 2026, month: 10, day: 26))
    }
}
