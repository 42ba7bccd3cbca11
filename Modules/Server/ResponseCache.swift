import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import OpenAPIRuntime
import AppSupport
import Reports
import Storage

/// The store's revision as this process sees it: read from the store at most once per
/// `interval`, and at once after this process writes. Another process's write is therefore seen
/// within `interval`; with 0, on every request.
final class RevisionClock: Sendable {
    private struct State {
        var value: String?
        var readAt: UInt64 = 0
        /// Raised by each local write, so that a read begun before it cannot store its older answer.
        var generation: UInt64 = 0
    }

    private let state = NIOLockedValueBox(State())
    private let audit: AuditService
    /// The environment's clock: a test moves it past `interval` instead of waiting.
    private let time: AppClock
    private let interval: UInt64

    init(_ environment: AppEnvironment, interval: Duration) {
        audit = AuditService(environment)
        time = environment.clock
        let (seconds, attoseconds) = interval.components
        self.interval = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    func current() async throws -> String {
        let now = UInt64(max(0, time.now.timeIntervalSince1970 * 1_000_000_000))
        let (cached, generation) = state.withLockedValue { s in
            (s.value.flatMap { now &- s.readAt < interval ? $0 : nil }, s.generation)
        }
        if let cached { return cached }
        let value = try await audit.revision()
        state.withLockedValue { s in
            // Not over a newer read, nor over a local write since this one began.
            if s.generation == generation, now >= s.readAt { (s.value, s.readAt) = (value, now) }
        }
        return value
    }

    /// This process wrote: read the revision anew on the next request.
    func invalidate() {
        state.withLockedValue { s in
            s.value = nil
            s.generation &+= 1
        }
    }
}

/// Values kept while the store's revision is the one they were made at; the least recently used
/// go first once `capacity` is reached.
final class RevisionCache<Value: Sendable>: Sendable {
    private struct Entry {
        let revision: String
        let value: Value
        var used: UInt64
    }

    private let entries = NIOLockedValueBox<(map: [String: Entry], clock: UInt64)>(([:], 0))
    /// Values being made, by key and revision, with who waits for each.
    private let making = NIOLockedValueBox<[String: [CheckedContinuation<Void, Never>]]>([:])
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func value(for key: String, revision: String) -> Value? {
        entries.withLockedValue { e in
            guard var entry = e.map[key], entry.revision == revision else { return nil }
            e.clock &+= 1
            entry.used = e.clock
            e.map[key] = entry
            return entry.value
        }
    }

    /// The value, made by `make` once for all who miss it at the same revision at the same time:
    /// after a write, the readers that arrive together wait for one evaluation or rendering
    /// instead of each making their own. If the maker fails, each waiter tries for itself.
    func value(for key: String, revision: String, make: () async throws -> Value) async throws -> Value {
        if let value = value(for: key, revision: revision) { return value }
        let flight = key + " " + revision
        let leads = making.withLockedValue { making in
            guard making[flight] == nil else { return false }
            making[flight] = []
            return true
        }
        if !leads {
            await withCheckedContinuation { waiter in
                let waiting = making.withLockedValue { making in
                    guard making[flight] != nil else { return false }
                    making[flight]!.append(waiter)
                    return true
                }
                if !waiting { waiter.resume() }
            }
            if let value = value(for: key, revision: revision) { return value }
            return try await make()
        }
        defer { for waiter in making.withLockedValue({ $0.removeValue(forKey: flight) }) ?? [] { waiter.resume() } }
        let value = try await make()
        store(value, for: key, revision: revision)
        return value
    }

    func store(_ value: Value, for key: String, revision: String) {
        entries.withLockedValue { e in
            if e.map.count >= capacity, e.map[key] == nil, let oldest = e.map.min(by: { $0.value.used < $1.value.used })?.key {
                e.map[oldest] = nil
            }
            e.clock &+= 1
            e.map[key] = Entry(revision: revision, value: value, used: e.clock)
        }
    }
}

/// Evaluations and rendered reports, kept while the store's revision holds: a repeated read is
/// answered without evaluating or rendering. The handler asks it with a `Key` made of the values
/// it decoded and acts on — the kommune the gate resolved, the year, the as-of day, the report's
/// kind and format, the audience, and for a report the day it is dated — never with the
/// request's text, so no spelling of a query (`%61sOf=`, a duplicate item) can file one answer
/// under another's key.
struct CachedReads: Sendable {
    /// What an answer depends on.
    struct Key: Hashable, Sendable, CustomStringConvertible {
        enum Read: Hashable, Sendable {
            case evaluation
            /// A report is dated the day it is made (`generated`), so that day is part of it.
            case report(ReportKind, ReportService.Format, generated: Day)
        }

        let read: Read
        let kommune: AreaCode
        let year: Int
        let asOf: Day
        let audience: Audience

        var description: String { "\(read) \(kommune)/\(year) asOf=\(asOf) \(audience)" }
    }

    let clock: RevisionClock
    let evaluations = RevisionCache<Components.Schemas.Evaluation>(capacity: 256)
    let reports = RevisionCache<Data>(capacity: 256)

    /// The evaluation for `key`, made by `make` once per revision.
    func evaluation(_ key: Key, make: () async throws -> Components.Schemas.Evaluation) async throws -> Components.Schemas.Evaluation {
        let key = Self.filed(key)
        return try await evaluations.value(for: key, revision: try await clock.current(), make: make)
    }

    /// The rendered report for `key`, made by `make` once per revision.
    func report(_ key: Key, make: () async throws -> Data) async throws -> Data {
        let key = Self.filed(key)
        return try await reports.value(for: key, revision: try await clock.current(), make: make)
    }

    /// The key as text, told to the request's context: `SentAnswers` files the bytes sent under it.
    private static func filed(_ key: Key) -> String {
        let text = key.description
        RequestScope.context?.readKey.withLockedValue { $0 = text }
        return text
    }
}

/// The bytes sent for evaluations and reports, so that a repeated request is answered before the
/// generated code decodes it again or encodes its answer (the measured cost of a cached read).
/// Every answer is filed under the key its handler made from what it decoded (`CachedReads.Key`);
/// the request's text (with its audience and day) only remembers which key the handler made of
/// that exact text — decoding is a function of the text, so a spelling can only ever lead to the
/// answer made for it. Runs after `Access.Gate`: only a caller let in reaches it.
struct SentAnswers: ServerMiddleware {
    static let operations: Set<String> = ["getEvaluation", "getReport"]

    struct Answer: Sendable {
        let response: HTTPResponse
        let body: Data
        /// What the handler set beside the generated code (`Content-Disposition`).
        let extraHeaders: HTTPFields
    }

    let clock: RevisionClock
    /// What day it is: a request without `asOf` means today, and a report is dated today.
    let time: AppClock
    /// A request's text, audience and day → the key its handler filed the answer under.
    let keys = RevisionCache<String>(capacity: 2048)
    /// A handler's key → the answer sent.
    let answers = RevisionCache<Answer>(capacity: 512)

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard Self.operations.contains(operationID), request.method == .get else { return try await next(request, body, metadata) }
        let sent = "\(request.path ?? "") \(RequestScope.context?.audience == .members ? "members" : "public") \(time.today)"
        let revision = try await clock.current()
        if let key = keys.value(for: sent, revision: revision), let answer = answers.value(for: key, revision: revision) {
            ServerMetrics.recordCache(hit: true)
            RequestScope.context?.responseHeaders.withLockedValue { $0.append(contentsOf: answer.extraHeaders) }
            return (answer.response, HTTPBody(answer.body))
        }
        ServerMetrics.recordCache(hit: false)
        let (response, responseBody) = try await next(request, body, metadata)
        guard response.status == .ok, let responseBody, let key = RequestScope.context?.readKey.withLockedValue({ $0 }) else {
            return (response, responseBody)
        }
        let data = try await Data(collecting: responseBody, upTo: 32 << 20)
        let extra = RequestScope.context?.responseHeaders.withLockedValue { $0 } ?? [:]
        answers.store(Answer(response: response, body: data, extraHeaders: extra), for: key, revision: revision)
        keys.store(key, for: sent, revision: revision)
        return (response, HTTPBody(data))
    }
}
