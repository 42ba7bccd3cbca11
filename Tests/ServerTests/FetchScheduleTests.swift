@testable import AppSupport
import Fetch
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import Server
import TestSupport
import Testing

/// The server's scheduled fetch: one process of many fetches when it is due, under the store's
/// lease; the data page says when it ran, how it went and when it runs next.
@Suite("Scheduled fetch")
struct FetchScheduleTests {
    static let key = "nøgle-HEMMELIG-2112"

    @Test("Two processes find the fetch due at once: one takes the lease and fetches, the other does not; then it is not due",
          arguments: TestServer.kinds)
    func oneProcessFetches(kind: TestServer.Kind) async throws {
        var configuration = ServerConfiguration()
        configuration.fetchInterval = .seconds(3600)
        configuration.fetchCheck = .seconds(3600)  // the app's own scheduler stays asleep: the test drives two
        let server = try await TestServer.make(kind, configuration: configuration)
        // A plan for the running years asks for periods no source publishes yet: not a failure.
        try await Demo.storePlanUnderTodaysRules(server.environment)
        let sources = SourceServer(key: Self.key)
        let (first, second, again) = try await sources.run { base in
            func scheduler(_ holder: String) -> FetchScheduler {
                var s = FetchScheduler(
                    environment: server.environment, interval: .seconds(3600), check: .seconds(60),
                    baseURLs: [.dst: base, .jobindsats: base], settings: .init(attempts: 2, backoff: .milliseconds(10)),
                    logger: Logger(label: "test"))
                s.holder = holder
                s.key = { .success(APIKey(Self.key)!) }
                return s
            }
            async let a = scheduler("web-1:101").runIfDue()
            async let b = scheduler("web-2:202").runIfDue()
            let (first, second) = try await (a, b)
            return (first, second, try await scheduler("web-2:202").runIfDue())
        }
        let runs = [first, second].compactMap { $0 }
        #expect(runs.count == 1, "exactly one process fetched")
        #expect(again == nil, "an hour has not passed")
        let run = try #require(runs.first)
        #expect(run.requests > 0 && run.failures == 0, "\(run.errors)")
        #expect(try await server.environment.store.fetchRuns(limit: 10).count == 1)
        let received = await sources.received
        #expect(received.filter { $0.path.hasPrefix("/v3/data/") || $0.path == "/v1/data" }.count == run.requests, "each table asked once")
        let described = received.filter { $0.path.hasPrefix("/v3/table/") }.map { $0.path.dropFirst("/v3/table/".count) }
        let asked = Set(received.filter { $0.path.hasPrefix("/v3/data/") }.map { $0.path.dropFirst("/v3/data/".count) })
        #expect(described.count == Set(described).count && asked.isSubset(of: described), "each Jobindsats table described once a run")
        // The 2026–2027 plan asks one table only for years it does not publish yet: described, not asked, not failed.
        #expect(described.count > asked.count)
        #expect(try await server.environment.store.fetchStamps().map(\.source).contains("fetch:jobindsats"))
        #expect(try await server.environment.store.acquireLease(FetchService.lease, holder: "web-3:303", seconds: 60), "the lease was given back")

        // The data page tells the kommune's users.
        try await server.app.test(.router) { client in
            let viewer = try await WebFormTests.Browser.signIn(client, "a-viewer")
            try await client.execute(uri: "/kommuner/samsoe/2024/data", method: .get, headers: viewer.headers) {
                let page = String($0.body)
                #expect(page.contains("Tallene hentes hver 1. time fra kildernes API&#39;er") || page.contains("Tallene hentes hver 1. time"), "\(page)")
                #expect(page.contains("Seneste hentning:") && page.contains("\(run.requests) af \(run.requests) forespørgsler importeret"))
                #expect(page.contains("hentes: y07a02") && !page.contains("seneste hentning fejlede"), "Samsø's sygedagpenge come from y07a02")
            }
        }
    }

    @Test("The server's own scheduler looks when it is told to, runs when due, and stops with the server", .timeLimit(.minutes(5)))
    func serverRunsIt() async throws {
        var configuration = ServerConfiguration()
        configuration.fetchInterval = .seconds(3600)
        configuration.fetchCheck = .milliseconds(100)
        configuration.fetchBaseURLs = [.dst: "http://127.0.0.1:9", .jobindsats: "http://127.0.0.1:9"]
        configuration.fetchSettings = .init(attempts: 1, timeout: .seconds(2))
        // The server's log, line by line: the scheduler says when a run is done.
        let (lines, log) = AsyncStream.makeStream(of: String.self)
        configuration.logHandler = { _ in LogLines(log) }
        let server = try await TestServer.make(.sqlite, configuration: configuration)
        let started = Date()
        try await server.app.test(.router) { _ in
            for await line in lines where line.hasPrefix("scheduled fetch") { break }
        }
        #expect(Date().timeIntervalSince(started) < 20, "the server stopped at once, its scheduler with it")
        let runs = try await server.environment.store.fetchRuns(limit: 10)
        #expect(runs.count == 1, "one run: the next is an hour away")
        #expect(try await server.environment.store.auditLog(limit: 5, kommune: nil).contains { $0.action == "fetch.run" })
    }

    @Test("A run without a Jobindsats key records why, and the data page shows it")
    func withoutKey() async throws {
        var configuration = ServerConfiguration()
        configuration.fetchInterval = .seconds(24 * 3600)
        configuration.fetchCheck = .seconds(3600)
        let server = try await TestServer.make(.sqlite, configuration: configuration)
        var scheduler = FetchScheduler(
            environment: server.environment, interval: .seconds(24 * 3600), check: .seconds(60),
            baseURLs: [.dst: "http://127.0.0.1:9", .jobindsats: "http://127.0.0.1:9"],
            settings: .init(attempts: 1, timeout: .seconds(2)), logger: Logger(label: "test"))
        scheduler.key = { .failure(.noKey("no Jobindsats key: set BESKPLAN_JOBINDSATS_KEY")) }
        let run = try #require(try await scheduler.runIfDue())
        #expect(run.errors.contains { $0.message.contains("no Jobindsats key") }, "\(run.errors)")
        #expect(run.requests > 0 && run.failures == run.requests, "every request was Jobindsats', none could be sent")
        try await server.app.test(.router) { client in
            let viewer = try await WebFormTests.Browser.signIn(client, "a-viewer")
            try await client.execute(uri: "/kommuner/samsoe/2024/data", method: .get, headers: viewer.headers) {
                let page = String($0.body)
                #expect(page.contains("Tallene hentes dagligt") && page.contains("BESKPLAN_JOBINDSATS_KEY"), "\(page)")
                #expect(page.contains("0 af \(run.requests) forespørgsler importeret"))
                #expect(page.contains("hentes: y07a02"))
            }
        }
    }
}

/// A log that hands each message on, for a test to wait for the line it expects.
struct LogLines: LogHandler {
    let lines: AsyncStream<String>.Continuation
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(_ lines: AsyncStream<String>.Continuation) { self.lines = lines }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.yield(event.message.description)
    }
}
