import Foundation
import NIOSSL
import PostgresNIO
import Storage

/// A `postgres://user:password@host:port/database?sslmode=…` URL as a client configuration.
/// `sslmode` is `disable`, `prefer` (the default) or `require`; `connect_timeout` (seconds, as
/// libpq; 10 by default) bounds the wait for a connection. The password stays in the
/// configuration and is never part of `location`.
struct PostgresURL {
    let configuration: PostgresClient.Configuration
    /// The same server for one connection of its own, to tell at once whether it can be reached
    /// (the pool retries for a minute before it gives up).
    let probe: PostgresConnection.Configuration
    /// `host:port/database`.
    let location: String
    /// How long to wait for a connection before giving up.
    let connectTimeout: Duration

    init(_ text: String) throws {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? ""),
            let host = url.host, !host.isEmpty
        else {
            throw StoreError("not a PostgreSQL URL (postgres://user:password@host:port/database)")
        }
        let port = url.port ?? 5432
        let database = url.path.split(separator: "/").first.map(String.init)
        let tls: PostgresClient.Configuration.TLS
        let probeTLS: PostgresConnection.Configuration.TLS
        // As libpq: prefer and require encrypt without checking the certificate (a stock server's
        // is self-signed); verify-ca and verify-full check it.
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        let checked = TLSConfiguration.makeClientConfiguration()
        switch url.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer" {
        case "disable": (tls, probeTLS) = (.disable, .disable)
        case "prefer", "allow": (tls, probeTLS) = try (.prefer(unchecked), .prefer(.init(configuration: unchecked)))
        case "require": (tls, probeTLS) = try (.require(unchecked), .require(.init(configuration: unchecked)))
        case "verify-ca", "verify-full": (tls, probeTLS) = try (.require(checked), .require(.init(configuration: checked)))
        case let mode: throw StoreError("sslmode '\(mode)': expected disable, prefer, require, verify-ca or verify-full")
        }
        // URLComponents hands user and password back decoded already.
        let user = url.user ?? "postgres"
        let password = url.password
        configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        var probe = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: probeTLS)
        let timeout = url.queryItems?.first(where: { $0.name == "connect_timeout" })?.value ?? "10"
        guard let seconds = Int(timeout), seconds > 0 else {
            throw StoreError("connect_timeout '\(timeout)': expected a number of seconds")
        }
        connectTimeout = .seconds(seconds)
        probe.options.connectTimeout = .seconds(Int64(seconds))
        self.probe = probe
        location = "\(host):\(port)/\(database ?? "")"
    }
}
