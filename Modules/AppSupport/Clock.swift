import Foundation
import Synchronization

/// What time it is, for every door: on the environment, so that a test moves it instead of
/// sleeping. "Today" is the day in Denmark (Europe/Copenhagen), not the UTC day.
public struct AppClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    /// The computer's clock.
    public static let system = AppClock { Date() }

    /// A clock a test sets and moves.
    public static func manual(_ start: Date) -> (AppClock, ManualTime) {
        let time = ManualTime(start)
        return (AppClock { time.now }, time)
    }

    public var now: Date { read() }

    /// Whole seconds since 1970, as sessions and leases count.
    public var seconds: Int64 { Int64(now.timeIntervalSince1970.rounded(.down)) }

    /// The day it is in Denmark.
    public var today: Day { Day(now) }

    /// Now, as the store writes times.
    public var timestamp: String { Timestamp.string(now) }
}

/// The time a manual clock shows; `advance` moves it.
public final class ManualTime: Sendable {
    private let date: Mutex<Date>

    init(_ start: Date) { date = Mutex(start) }

    public var now: Date { date.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        date.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    public func set(_ new: Date) {
        date.withLock { $0 = new }
    }
}
