import BeskplanCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import Storage

/// Who won the wait for a connection: the connection (its work then runs to its end) or the deadline.
private enum ConnectionRace { case waiting, running, timedOut }

/// The store for a region or KL: one PostgreSQL database that several server processes share,
/// holding the same packed observation blocks as the SQLite store (`ObservationBlock`, as
/// `bytea`), so a value reads back bit for bit. An import is one transaction on one connection;
/// its blocks go in as one upsert of arrays per batch (`PostgresBulkWriter`).
public final class PostgresStore: Store {
    private let client: PostgresClient
    /// The client's run, where the store runs it itself (`service` is `nil`).
    private let running: Task<Void, Never>?
    /// The connection pool as a service, for a server's service group to run, start first and stop
    /// last; `nil` where the store runs it itself (the command line, tests).
    public let service: PostgresClient?
    let logger: Logger
    private let probe: PostgresConnection.Configuration
    private let connectTimeout: Duration
    /// `host:port/database`, for messages: never the password.
    public let location: String

    /// Connects to `url` (`postgres://user:password@host:port/database?sslmode=disable|prefer|require`).
    /// With `runsItself` false, the pool works once a service group runs `service`.
    public init(url: String, runsItself: Bool = true) throws {
        let connection = try PostgresURL(url)
        var logger = Logger(label: "beskplan.postgres")
        logger.logLevel = ProcessInfo.processInfo.environment["BESKPLAN_POSTGRES_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        self.logger = logger
        location = connection.location
        probe = connection.probe
        connectTimeout = connection.connectTimeout
        client = PostgresClient(configuration: connection.configuration, backgroundLogger: logger)
        let client = self.client
        running = runsItself ? Task { await client.run() } : nil
        service = runsItself ? nil : client
    }

    deinit { running?.cancel() }

    // MARK: Migrations

    /// How many migrations a database at the current schema has applied.
    public static var migrationCount: Int { PostgresMigrations.all.count }

    @discardableResult
    public func migrate() async throws -> [String] {
        try await checkReachable()
        return try await transaction { connection in
            // One migrator at a time, whichever process gets there first.
            try await connection.send("SELECT pg_advisory_xact_lock(4207)", logger: self.logger)
            try await connection.send(
                "CREATE TABLE IF NOT EXISTS beskplan_migration (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
                logger: self.logger)
            let applied = try await self.applied(connection)
            let known = PostgresMigrations.all.map(\.id)
            let unknown = applied.subtracting(known)
            guard unknown.isEmpty else { throw StoreError.newerSchema(self.location, found: Array(unknown), known: known) }
            var new: [String] = []
            for migration in PostgresMigrations.all where !applied.contains(migration.id) {
                for statement in migration.statements {
                    try await connection.send(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await connection.send(
                    "INSERT INTO beskplan_migration (id, applied_at) VALUES (\(migration.id), \(Audit.now()))", logger: self.logger)
                new.append(migration.id)
            }
            if !new.isEmpty {
                try await self.audit(connection, action: .migrate, subject: new.joined(separator: ","))
            }
            return new
        }
    }

    public var knownMigrations: [String] { PostgresMigrations.all.map(\.id) }

    public func backup(to path: String) async throws {
        throw StoreError("a PostgreSQL database is backed up with pg_dump --format=custom and restored with pg_restore (docs/operations.md)")
    }

    public func appliedMigrations() async throws -> [String] {
        try await withConnection { connection in
            let exists = try await connection.send(
                "SELECT to_regclass('beskplan_migration') IS NOT NULL", logger: self.logger)
            var found = false
            for try await value in exists.decode(Bool.self) { found = value }
            guard found else { return [] }
            let applied = try await self.applied(connection)
            return PostgresMigrations.all.map(\.id).filter(applied.contains)
        }
    }

    private func applied(_ connection: PostgresConnection) async throws -> Set<String> {
        var ids: Set<String> = []
        for try await id in try await connection.send("SELECT id FROM beskplan_migration", logger: logger).decode(String.self) {
            ids.insert(id)
        }
        return ids
    }

    // MARK: Observations

    @discardableResult
    public func importObservations(
        _ origin: ImportOrigin, from source: sending some ObservationSource, dryRun: Bool
    ) async throws -> ImportResult {
        // Handed over (`sending`) and read by this one call only.
        nonisolated(unsafe) var source = source
        return try await transaction(rollback: dryRun) { connection in
            var writer = try await PostgresBulkWriter(connection, origin: origin, logger: self.logger)
            while let chunk = try source.nextChunk() {
                try await writer.write(chunk)
            }
            return try await writer.finish(skipped: source.skipped, dryRun: dryRun)
        }
    }

    /// One query: the measure's series (narrowed by area, and by dimension as text, then
    /// exactly by `query.matches`) joined with their blocks in the period range.
    public func observations(_ query: ObservationQuery) async throws -> [Observation] {
        let (low, high) = PeriodKey.bounds(from: query.from, to: query.to)
        // A series' rows are `id * 1024 + block offset`; the offsets the range needs.
        let offsets = ObservationBlock.rowIDs(series: 0, low: low, high: high)
        let areas = query.areas.map(\.rawValue)
        let needles = query.dimensions.map { ";\($0.key)=\($0.value);" }
        return try await withConnection { connection in
            let rows = try await connection.send(
                """
                SELECT s.id, s.area, s.dims, b.block, b.data
                FROM series s
                JOIN observation_block b ON b.id BETWEEN s.id * 1024 + \(offsets.lowerBound) AND s.id * 1024 + \(offsets.upperBound)
                WHERE s.measure = \(query.measure) AND (cardinality(\(areas)::text[]) = 0 OR s.area = ANY(\(areas)))
                AND NOT EXISTS (SELECT 1 FROM unnest(\(needles)::text[]) n WHERE position(n IN ';' || s.dims || ';') = 0)
                ORDER BY s.area COLLATE "C", s.dims COLLATE "C", b.id
                """,
                logger: self.logger)
            var result: [Observation] = []
            var current: (id: Int64, key: SeriesKey?) = (-1, nil)
            for try await (id, area, dims, number, data) in rows.decode((Int64, String, String, Int32, ByteBuffer).self) {
                if id != current.id {
                    let key = SeriesKey(measure: query.measure, area: AreaCode(area), dimensions: SeriesKey.dimensions(fromText: dims))
                    current = (id, query.matches(key) ? key : nil)
                }
                guard let key = current.key else { continue }
                result += try data.readableBytesView.withUnsafeBytes {
                    try ObservationBlock.observations(
                        stored: $0, block: Int64(number), seriesID: id, series: key, keys: (low, high), to: query.to)
                }
            }
            return result
        }
    }

    // MARK: Connections

    /// Connects once on its own, so that a server that is down is one clear error at once.
    private func checkReachable() async throws {
        do {
            let connection = try await PostgresConnection.connect(configuration: probe, id: 0, logger: logger)
            try await connection.close()
        } catch let error as PSQLError {
            throw describe(error)
        } catch {
            throw StoreError("cannot reach PostgreSQL at \(location): \(error)")
        }
    }

    /// Runs `body` on a connection of the pool. Waiting for one is bounded (`connect_timeout`):
    /// the pool itself goes on retrying a server that is down for a minute.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await withoutActuallyEscaping(body) { body in
                // The group awaits both children before it returns, so `body` does not outlive this call.
                nonisolated(unsafe) let body = body
                // Whichever comes first wins: the connection (then `body` runs to its end) or the deadline.
                let race = NIOLockedValueBox(ConnectionRace.waiting)
                let late = StoreError("cannot reach PostgreSQL at \(self.location): no free connection within \(self.connectTimeout)")
                return try await withThrowingTaskGroup(of: T?.self) { group in
                    group.addTask {
                        try await self.client.withConnection { connection in
                            let won = race.withLockedValue { state in
                                guard state == .waiting else { return false }
                                state = .running
                                return true
                            }
                            guard won else { throw late }
                            return try await body(connection)
                        }
                    }
                    group.addTask {
                        try await Task.sleep(for: self.connectTimeout)
                        let expired = race.withLockedValue { state in
                            guard state == .waiting else { return false }
                            state = .timedOut
                            return true
                        }
                        if expired { throw late }
                        return nil
                    }
                    while let result = try await group.next() {
                        if let value = result {
                            group.cancelAll()
                            return value
                        }
                    }
                    throw CancellationError()
                }
            }
        } catch let error as PSQLError {
            throw describe(error)
        } catch is ConnectionClosed {
            throw StoreError("cannot reach PostgreSQL at \(location): the connection closed")
        }
    }

    /// Runs `body` in one transaction on one connection: committed when it returns (rolled back
    /// instead with `rollback`), rolled back when it throws.
    func transaction<T: Sendable>(
        rollback: Bool = false, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            do {
                try await connection.send("BEGIN", logger: self.logger)
                let result = try await body(connection)
                try await connection.send(rollback ? "ROLLBACK" : "COMMIT", logger: self.logger)
                return result
            } catch {
                // A connection that is gone has its transaction rolled back by the server; asking
                // it to roll back would wait on a socket that no longer answers.
                if !Self.connectionLost(error) && !connection.isClosed {
                    _ = try? await connection.send("ROLLBACK", logger: self.logger)
                }
                throw error
            }
        }
    }

    /// Whether the connection is gone or going: closed, or the server said it is shutting down
    /// (`57P0x`, e.g. `57P01` on a restart) or broke the connection (class 08). A
    /// ROLLBACK sent on such a connection is never answered (PostgresNIO 1.33 leaves it waiting).
    static func connectionLost(_ error: any Error) -> Bool {
        if error is ConnectionClosed { return true }
        guard let error = error as? PSQLError else { return false }
        if [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown].contains(error.code) {
            return true
        }
        // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 57P05 idle session
        // timeout; not 57014 (a cancelled statement: the connection lives and must roll back).
        let state = error.serverInfo?[.sqlState] ?? ""
        return error.code == .server && (["57P01", "57P02", "57P03", "57P05"].contains(state) || state.hasPrefix("08"))
    }

    /// Why a connection failed or went, in words (the driver's own text says little).
    static func reason(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] { return message }
        if let io = error.underlying as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return "connection refused (is the server running, and on this port?)"
            case ECONNRESET: return "the server reset the connection"
            default: return "\(io)"
            }
        }
        switch error.code {
        case .serverClosedConnection, .uncleanShutdown: return "the server closed the connection"
        case .clientClosedConnection: return "the connection closed"
        default: return error.underlying.map { "\($0)" } ?? "\(error.code)"
        }
    }

    /// A driver error in words, naming the server but never the password.
    private func describe(_ error: PSQLError) -> StoreError {
        if Self.connectionLost(error) {
            return StoreError("cannot reach PostgreSQL at \(location): \(Self.reason(error))")
        }
        return switch error.code {
        case .unexpectedBackendMessage:
            StoreError("cannot reach PostgreSQL at \(location): \(Self.reason(error))")
        case .server where ["40P01", "40001"].contains(error.serverInfo?[.sqlState]):
            // deadlock_detected, serialization_failure: the server rolled this transaction back.
            StoreError(
                "PostgreSQL at \(location) rolled this write back: it collided with another write of the same rows; "
                    + "nothing was written, and it can be run again", conflict: true)
        default:
            StoreError("PostgreSQL at \(location): \(error.serverInfo?[.message] ?? "\(error.code)")")
        }
    }
}
