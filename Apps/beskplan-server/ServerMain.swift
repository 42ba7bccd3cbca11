import AppSupport
import ArgumentParser
import Foundation
import Logging
import Server

/// `beskplan-server`: the HTTP server for many kommuner, over the same wiring as the CLI.
@main
struct BeskplanServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beskplan-server",
        abstract: "Serve plans, evaluations and reports over HTTP (the API under /api/v1).",
        discussion: """
            Users are added with `beskplan users add`; scripts use tokens from `beskplan tokens create`. \
            SIGTERM stops the server after the requests in flight (at most --grace-seconds). See docs/server.md.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: a free one, printed at start).")
    var port = 8080

    @Option(help: "SQLite file or postgres://user:password@host:port/db. Default: $BESKPLAN_DB, else ./beskplan.sqlite.")
    var db: String?

    @Flag(help: "Serve each kommune's approved plan, follow-up and årshjul without sign-in, where its admins publish them.")
    var `public` = false

    @Option(help: "The largest statistics file an import upload may be, in MB.")
    var maxImportMb: Int64 = 512

    @Option(help: "Where uploads wait to be imported: a folder every server process of the installation sees (default: one in the system's temporary folder per database).")
    var uploadDir: String?

    @Flag(help: "Mark the session cookie Secure (when served behind TLS).")
    var secureCookies = false

    @Option(help: "A load balancer or proxy (IP address) whose X-Forwarded-For names the client; repeat for several.")
    var trustedProxy: [String] = []

    @Option(help: "trace, debug, info, notice, warning, error or critical. Default: $LOG_LEVEL, else info.")
    var logLevel: String?

    @Option(help: "Fetch every plan's series from Statistikbanken and Jobindsats every this many hours (0: never). Jobindsats needs BESKPLAN_JOBINDSATS_KEY.")
    var fetchEvery: Double = 24

    @Option(help: "On SIGTERM, how long the requests in flight may take to finish before they are cut, in seconds.")
    var graceSeconds: Double = 30

    @Option(help: "Statistikbanken's address for the scheduled fetch (mirrors, proxies).")
    var dstBaseUrl: String?

    @Option(help: "Jobindsats' address for the scheduled fetch (mirrors, proxies).")
    var jobindsatsBaseUrl: String?

    func run() async throws {
        guard graceSeconds.isFinite, (0...3600).contains(graceSeconds) else { throw ValidationError("--grace-seconds: expected 0 to 3600") }
        // The store's pool runs in the server's service group: up before it serves, down after its last request.
        let (environment, services) = try AppEnvironment.openForServer(database: .resolve(option: db))
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.publicPages = `public`
        guard maxImportMb > 0 else { throw ValidationError("--max-import-mb: expected a positive number of MB") }
        configuration.limits.importSize = maxImportMb << 20
        configuration.uploadDirectory = uploadDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
        configuration.secureCookies = secureCookies
        configuration.trustedProxies = Set(trustedProxy)
        let level = logLevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"
        guard let parsed = Logger.Level(rawValue: level) else {
            throw ValidationError("--log-level '\(level)': expected trace, debug, info, notice, warning, error or critical")
        }
        configuration.logLevel = parsed
        guard fetchEvery.isFinite, (0...24 * 365).contains(fetchEvery) else { throw ValidationError("--fetch-every: expected hours, 0 (never) to 8760") }
        configuration.fetchInterval = fetchEvery > 0 ? .seconds(Int64(fetchEvery * 3600)) : nil
        configuration.fetchBaseURLs[.dst] = dstBaseUrl
        configuration.fetchBaseURLs[.jobindsats] = jobindsatsBaseUrl
        let database = environment.database
        let host = host
        let app = try buildApplication(
            configuration: configuration, environment: environment, services: services, beforeServing: { try await environment.migrate() }
        ) { port in
            // Written at once: a script waiting for the port reads it from a pipe.
            FileHandle.standardOutput.write(Data("beskplan-server: listening on http://\(host):\(port) (database \(database))\n".utf8))
        }
        try await runUntilStopped(app, grace: .milliseconds(Int64(graceSeconds * 1000)))
    }
}
