import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
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
        RequestScope.context?.notes.withLockedValue { $0.readKey = text }
        return text
    }
}

/// The answers sent for evaluations and reports, so that a repeated request is answered before
/// the generated code decodes it again or encodes its answer, and before the OpenAPI transport
/// converts the request and streams the body (the measured cost of a cached read).
///
/// It sits on the API's routes, outside the generated code and therefore outside `Access.Gate`:
/// an answer is filed only once the gate let its request in, with what the gate decided on
/// (`Access.Admission`), and a repeat is answered only if `Access.decide` lets its own caller
/// in on those same facts; otherwise the request goes on to the gate, which refuses it.
///
/// Every answer is filed under the key its handler made from what it decoded (`CachedReads.Key`);
/// the request's text (with its audience and day) only remembers which key the handler made of
/// that exact text — decoding is a function of the text, so a spelling can only ever lead to the
/// answer made for it.
struct SentAnswers: RouterMiddleware {
    /// A larger answer is sent but not kept.
    static let limit = 32 << 20

    /// An answer of 200 OK.
    struct Answer: Sendable {
        /// The generated code's headers, and those the handler set beside it (`Content-Disposition`).
        let headers: HTTPFields
        let body: ByteBuffer
    }

    /// What a request's text led to: the handler's key, and what the gate let it in on.
    struct Filed: Sendable {
        let key: String
        let admission: Access.Admission
    }

    /// The routes whose answers are kept (their templates, as the router resolved them).
    static let routes: Set<String> = [
        "/api/v1/kommuner/{kommune}/plans/{year}/evaluation", "/api/v1/kommuner/{kommune}/plans/{year}/reports/{kind}",
    ]

    let clock: RevisionClock
    /// What day it is: a request without `asOf` means today, and a report is dated today.
    let time: AppClock
    /// A request's text, `Accept`, audience and day → the key its handler filed the answer under.
    let keys = RevisionCache<Filed>(capacity: 2048)
    /// A handler's key → the answer sent.
    let answers = RevisionCache<Answer>(capacity: 512)

    func handle(
        _ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        guard request.method == .get, let route = context.endpointPath, Self.routes.contains(route) else {
            return try await next(request, context)
        }
        // `Accept` too: the generated code refuses one it cannot answer, and a kept answer must not.
        let sent = "\(request.uri) \(request.headers[.accept] ?? "") \(context.audience) \(time.today)"
        let revision = try await clock.current()
        if let filed = keys.value(for: sent, revision: revision), Access.decide(filed.admission, caller: context.caller?.account) == .allow,
            let answer = answers.value(for: filed.key, revision: revision)
        {
            ServerMetrics.recordCache(hit: true)
            return Response(status: .ok, headers: answer.headers, body: ResponseBody(byteBuffer: answer.body))
        }
        var response = try await next(request, context)
        // Only the evaluation and report handlers file a key.
        let (key, admission, extra) = context.notes.withLockedValue { ($0.readKey, $0.admission, $0.responseHeaders) }
        guard let key else { return response }
        ServerMetrics.recordCache(hit: false)
        guard response.status == .ok, let admission, let length = response.body.contentLength, length <= Self.limit else { return response }
        let body = try await WholeBody.gather(response.body, length: length)
        response.body = ResponseBody(byteBuffer: body)
        answers.store(Answer(headers: response.headers + extra, body: body), for: key, revision: revision)
        keys.store(Filed(key: key, admission: admission), for: sent, revision: revision)
        return response
    }
}
