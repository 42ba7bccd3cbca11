import Foundation
import Synchronization

/// The one way beskplan writes and reads a moment: ISO 8601 in UTC with milliseconds
/// (`2026-12-02T01:14:11.123Z`), as the store keeps its times. A value type, made once.
public enum Timestamp {
    private static let withFractions = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let plain = Date.ISO8601FormatStyle()

    public static func string(_ date: Date) -> String {
        date.formatted(withFractions)
    }

    /// To the second (`2025-02-11T08:00:00Z`): a time a source stated, which has no milliseconds.
    public static func seconds(_ date: Date) -> String {
        date.formatted(plain)
    }

    /// A moment written by `string`, or without its milliseconds.
    public static func date(_ text: String) -> Date? {
        (try? withFractions.parse(text)) ?? (try? plain.parse(text))
    }
}

extension Day {
    /// The calendar day of `date` in Denmark (Europe/Copenhagen): between midnight and 01:00 or
    /// 02:00 Danish time, the UTC day is still yesterday.
    public init(_ date: Date, in timeZone: TimeZone = .denmark) {
        let offset = timeZone == .denmark ? DenmarkOffset.at(date) : timeZone.secondsFromGMT(for: date)
        let seconds = Int((date.timeIntervalSince1970 + Double(offset)).rounded(.down))
        self.init(number: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// `24. november 2026`: the one way a day is written for a person.
    public var danishText: String {
        let c = components
        return "\(c.day). \(Period.month(c.year, c.month).danishLabel)"
    }
}

extension TimeZone {
    /// Where the kommuner are.
    public static let denmark = TimeZone(identifier: "Europe/Copenhagen") ?? TimeZone(secondsFromGMT: 3600)!
}

/// Denmark's offset from UTC, asked of the time zone database once per hour: it changes only on
/// the hour, and the server asks what day it is on every cached read.
private enum DenmarkOffset {
    private static let last = Mutex<(hour: Int64, offset: Int)>((.min, 0))

    static func at(_ date: Date) -> Int {
        let hour = Int64((date.timeIntervalSince1970 / 3600).rounded(.down))
        if let known = last.withLock({ $0.hour == hour ? $0.offset : nil }) { return known }
        let offset = TimeZone.denmark.secondsFromGMT(for: date)
        last.withLock { $0 = (hour, offset) }
        return offset
    }
}
