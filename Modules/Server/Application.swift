import AppSupport
import Fetch
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// How the server runs: from `beskplan-server`'s flags and environment, or from a test.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Serve each kommune's published plan and follow-up without sign-in (the public pages).
    public var publicPages = false
    public var logLevel: Logger.Level = .info
    /// Where the log goes; `nil`: the process's logging system (the executable's standard output).
    public var logHandler: (@Sendable (String) -> any LogHandler)?
    /// A session ends after this long unused, and after `sessionLifetime` in any case (seconds).
    public var sessionIdle: Int64 = 30 * 60
    public var sessionLifetime: Int64 = 12 * 60 * 60
    /// Mark the session cookie `Secure` (behind TLS, as in production).
    public var secureCookies = false
    /// The load balancers or proxies whose `X-Forwarded-For` names the client (for throttling
    /// and the audit log); from anyone else the header is ignored.
    public var trustedProxies: Set<String> = []
    public var limits = Limits()
    /// How often the store's revision is read: cached evaluations, reports and callers are used
    /// this long without asking the database; another process's writes are seen within it.
    /// This process's own writes are seen at once.
    public var revisionInterval: Duration = .milliseconds(500)
    /// The scheduled fetch from the sources (`docs/fetch.md`): how often; `nil` is off (the
    /// executable's default is daily).
    public var fetchInterval: Duration?
    /// How often each process looks whether the scheduled fetch is due.
    public var fetchCheck: Duration = .seconds(60)
    /// The sources' addresses, when not their own (tests, mirrors, proxies).
    public var fetchBaseURLs: [MeasureOrigin.Source: String] = [:]
    public var fetchSettings = Fetcher.Settings()
    /// Where uploads wait to be imported (`--upload-dir`): a folder every process of the
    /// installation sees. `nil`: one in the system's temporary folder, named after the database,
    /// which the processes of one machine share.
    public var uploadDirectory: URL?

    /// How much a request may send.
    public struct Limits: Sendable {
        /// A statistics file uploaded for import, streamed to disk (bytes).
        public var importSize: Int64 = 512 << 20

        public init() {}
    }

    public init() {}
}

/// The application the executable runs and the tests drive: the router of `Routes.swift` over
/// the environment's store. `onRunning` is told the port it listens on (port 0 picks a free one).
/// `services` run beside the server in its group, started before it and stopped after it (the
/// store's connection pool, from `AppEnvironment.openForServer`); `beforeServing` runs once they
/// run and before the first connection is taken (migrating the store).
public func buildApplication(
    configuration: ServerConfiguration, environment: AppEnvironment, services: [any Service] = [],
    beforeServing: (@Sendable () async throws -> Void)? = nil,
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    var logger = configuration.logHandler.map { Logger(label: "beskplan-server", factory: $0) } ?? Logger(label: "beskplan-server")
    logger.logLevel = configuration.logLevel
    let router = try buildRouter(configuration: configuration, environment: environment)
    let scheduler = configuration.fetchInterval.map {
        FetchScheduler(
            environment: environment, interval: $0, check: configuration.fetchCheck, baseURLs: configuration.fetchBaseURLs,
            settings: configuration.fetchSettings, logger: logger)
    }
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "beskplan"),
        services: services + (scheduler.map { [$0] } ?? []),
        onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
    if let beforeServing { app.beforeServerStarts(perform: beforeServing) }
    return app
}

/// Runs the application until SIGTERM or SIGINT, as an operator stops it: it stops accepting
/// connections, lets the requests in flight finish for up to `grace`, then cuts what is left;
/// either way it returns (the executable exits 0). A load balancer sends new requests elsewhere
/// meanwhile.
public func runUntilStopped(_ app: some ApplicationProtocol, grace: Duration) async throws {
    var configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger)
    configuration.maximumGracefulShutdownDuration = grace
    // No limit on cancelling (the group would end the process with a fatal error): the deadline
    // below ends it instead, a second after the grace, whatever still runs — a connection that
    // does not let go of a cancelled request would hold it open. To the store that is a client
    // gone, whose transaction rolls back (the crash tests kill imports at random points).
    configuration.maximumCancellationDuration = nil
    let deadline = Task {
        for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
            do { try await Task.sleep(for: grace + .seconds(1)) } catch { return }  // stopped in time
            app.logger.notice("stopped after the grace period of \(grace); requests still running were cut")
            exit(0)
        }
    }
    defer { deadline.cancel() }
    do {
        try await ServiceGroup(configuration: configuration).run()
    } catch is CancellationError {
        app.logger.notice("stopped after the grace period of \(grace); requests still running were cut")
    }
}
