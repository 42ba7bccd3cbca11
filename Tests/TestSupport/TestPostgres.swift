import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server the tests use (`BESKPLAN_TEST_POSTGRES`, set by `tools/test`), and a new
/// empty database on it for each test.
public enum TestPostgres {
    public struct NoServer: Error, CustomStringConvertible {
        public var description: String {
            "no PostgreSQL server for the tests: run tools/test (it starts one), or set BESKPLAN_TEST_POSTGRES "
                + "(or BESKPLAN_SKIP_POSTGRES=1 to leave PostgreSQL out, with a warning)"
        }
    }

    /// Whether the runner said to leave PostgreSQL out (`BESKPLAN_SKIP_POSTGRES=1`, printed by `tools/test`).
    public static var skipped: Bool { ProcessInfo.processInfo.environment["BESKPLAN_SKIP_POSTGRES"] == "1" }

    /// The URL of a database created for the caller alone.
    public static func newDatabase() async throws -> String {
        guard let server = ProcessInfo.processInfo.environment["BESKPLAN_TEST_POSTGRES"],
            var url = URLComponents(string: server), let host = url.host
        else { throw NoServer() }
        let name = "beskplan_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        let configuration = PostgresConnection.Configuration(
            host: host, port: url.port ?? 5432, username: url.user ?? "postgres", password: url.password,
            database: url.path.split(separator: "/").first.map(String.init) ?? "postgres", tls: .disable)
        let logger = Logger(label: "beskplan.test.postgres")
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        try await connection.close()
        url.path = "/\(name)"
        // A test database waits longer for a free connection than a user would: the whole suite
        // runs at once on two cores, and a slow moment is not a failure of the store. (Fresh-clone
        // runs have seen several tests wait out 30 s in one such moment: see the stop note of
        // issue 25 — the cause is not yet found.)
        url.queryItems = (url.queryItems ?? []).filter { $0.name != "connect_timeout" } + [URLQueryItem(name: "connect_timeout", value: "120")]
        return url.string!
    }
}
