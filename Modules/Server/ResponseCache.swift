import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import OpenAPIRuntime
import AppSupport

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

/// Evaluations and rendered reports, kept as the bytes sent: a repeated read at the same store
/// revision is answered without evaluating, rendering or encoding. Runs after `Access.Gate`, so
/// only a caller let in reaches it; the public (who see approved versions only) and signed-in
/// users are kept apart, and "today" is part of the key, so a default `asOf` moves at midnight.
struct CachedReads: ServerMiddleware {
    static let operations: Set<String> = ["getEvaluation", "getReport"]

    struct Answer: Sendable {
        let response: HTTPResponse
        let body: Data
        /// What the handler set beside the generated code (`Content-Disposition`).
        let extraHeaders: HTTPFields
    }

    let clock: RevisionClock
    /// What day it is: an evaluation as of today is kept for today only.
    let time: AppClock
    let cache = RevisionCache<Answer>(capacity: 512)
    /// A response that is not kept (not a 200): handed back to its own request only.
    private struct NotKept: Error {
        let response: HTTPResponse
        let body: HTTPBody?
    }

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard Self.operations.contains(operationID), request.method == .get else { return try await next(request, body, metadata) }
        let audience = RequestScope.context?.audience ?? .public
        let key = "\(Self.canonical(request.path ?? "")) \(audience) \(time.today)"
        let revision = try await clock.current()
        if let answer = cache.value(for: key, revision: revision) { return Self.reply(answer) }
        var made = false
        do {
            let answer = try await cache.value(for: key, revision: revision) {
                made = true
                let (response, responseBody) = try await next(request, body, metadata)
                guard response.status == .ok, let responseBody else { throw NotKept(response: response, body: responseBody) }
                let data = try await Data(collecting: responseBody, upTo: 32 << 20)
                let extra = RequestScope.context?.responseHeaders.withLockedValue { $0 } ?? [:]
                return Answer(response: response, body: data, extraHeaders: extra)
            }
            // The handler that made it set its own headers already.
            return made ? (answer.response, HTTPBody(answer.body)) : Self.reply(answer)
        } catch let notKept as NotKept {
            return (notKept.response, notKept.body)
        }
    }

    /// The path with only the query items that change the answer (`asOf`, `format`), sorted: other
    /// items would only fill the cache with copies.
    static func canonical(_ path: String) -> String {
        let parts = path.split(separator: "?", maxSplits: 1)
        guard parts.count == 2 else { return path }
        let kept = parts[1].split(separator: "&").filter { $0.hasPrefix("asOf=") || $0.hasPrefix("format=") }.sorted()
        return parts[0] + "?" + kept.joined(separator: "&")
    }

    /// A kept answer, with the headers its handler set beside the generated code.
    private static func reply(_ answer: Answer) -> (HTTPResponse, HTTPBody?) {
        RequestScope.context?.responseHeaders.withLockedValue { $0.append(contentsOf: answer.extraHeaders) }
        return (answer.response, HTTPBody(answer.body))
    }
}
