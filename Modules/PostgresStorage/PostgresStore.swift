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
    private let running: Task<Void, Never>
    let logger: Logger
    private let probe: PostgresConnection.Configuration
    private let connectTimeout: Duration
    /// `host:port/database`, for messages: never the password.
    public let location: String

    /// Connects to `url` (`postgres://user:password@host:port/database?sslmode=disable|prefer|require`).
    public init(url: String) throws {
        let connection = try PostgresURL(url)
        var logger = Logger(label: "beskplan.postgres")
        logger.logLevel = ProcessInfo.processInfo.environment["BESKPLAN_POSTGRES_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        self.logger = logger
        location = connection.location
        probe = connection.probe
        connectTimeout = connection.connectTimeout
        client = PostgresClient(configuration: connection.configuration, backgroundLogger: logger)
        let client = self.client
        running = Task { await client.run() }
    }

    deinit { running.cancel() }

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
                try await self.audit(connection, action: "db.migrate", subject: new.joined(separator: ","))
            }
            return new
        }
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

    // MARK: Plans

    @discardableResult
    public func savePlan(_ plan: Plan, author: String, expecting: Int?) async throws -> PlanVersionInfo {
        let document = try PlanDocument.encode(plan)
        return try await transaction { connection in
            // Versions of one plan are numbered one at a time, whichever process saves.
            try await connection.send(
                "SELECT pg_advisory_xact_lock(hashtext(\(plan.kommune.rawValue + "/" + String(plan.year))))", logger: self.logger)
            var latest = 0
            for try await version in try await connection.send(
                "SELECT COALESCE(MAX(version), 0) FROM plan_version WHERE kommune = \(plan.kommune.rawValue) AND year = \(plan.year)",
                logger: self.logger
            ).decode(Int.self) { latest = version }
            if let expecting, expecting != latest { throw PlanVersionConflict(expected: expecting, current: latest) }
            let info = PlanVersionInfo(
                kommune: plan.kommune, year: plan.year, version: latest + 1, author: author, savedAt: Audit.now(),
                title: plan.title, status: plan.status)
            try await connection.send(
                """
                INSERT INTO plan_version (kommune, year, version, author, saved_at, title, status, document)
                VALUES (\(info.kommune.rawValue), \(info.year), \(info.version), \(author), \(info.savedAt), \(info.title),
                        \(info.status.rawValue), \(document))
                """, logger: self.logger)
            try await self.audit(
                connection, actor: author, action: "plan.save", subject: "plan \(plan.kommune)/\(plan.year) v\(info.version)",
                detail: plan.title, kommune: plan.kommune)
            return info
        }
    }

    public func currentPlan(kommune: AreaCode, year: Int) async throws -> StoredPlan? {
        try await fetchPlans(
            """
            SELECT \(unescaped: Self.planColumns), document FROM plan_version WHERE kommune = \(kommune.rawValue) AND year = \(year)
            ORDER BY version DESC LIMIT 1
            """
        ).first
    }

    public func plan(kommune: AreaCode, year: Int, version: Int) async throws -> StoredPlan? {
        try await fetchPlans(
            """
            SELECT \(unescaped: Self.planColumns), document FROM plan_version
            WHERE kommune = \(kommune.rawValue) AND year = \(year) AND version = \(version)
            """
        ).first
    }

    public func planVersions(kommune: AreaCode, year: Int) async throws -> [PlanVersionInfo] {
        try await fetchPlans(
            """
            SELECT \(unescaped: Self.planColumns), '' FROM plan_version WHERE kommune = \(kommune.rawValue) AND year = \(year)
            ORDER BY version
            """, decodeDocument: false
        ).map(\.info)
    }

    public func plans() async throws -> [PlanVersionInfo] {
        try await fetchPlans(
            """
            SELECT \(unescaped: Self.planColumns), '' FROM plan_version p
            WHERE version = (SELECT MAX(version) FROM plan_version q WHERE q.kommune = p.kommune AND q.year = p.year)
            ORDER BY kommune COLLATE "C", year
            """, decodeDocument: false
        ).map(\.info)
    }

    private static let planColumns = "kommune, year, version, author, saved_at, title, status"

    private func fetchPlans(_ query: PostgresQuery, decodeDocument: Bool = true) async throws -> [StoredPlan] {
        try await withConnection { connection in
            var plans: [StoredPlan] = []
            let rows = try await connection.send(query, logger: self.logger)
            for try await (kommune, year, version, author, savedAt, title, status, document)
                in rows.decode((String, Int, Int, String, String, String, String, String).self)
            {
                let info = PlanVersionInfo(
                    kommune: AreaCode(kommune), year: year, version: version, author: author, savedAt: savedAt, title: title,
                    status: Plan.Status(rawValue: status) ?? .udkast)
                let plan = decodeDocument
                    ? try PlanDocument.decode(document)
                    : Plan(kommune: info.kommune, year: year, title: title, goals: [])
                plans.append(StoredPlan(info: info, plan: plan))
            }
            return plans
        }
    }

    // MARK: Assessments

    public func saveAssessment(_ a: Assessment) async throws {
        try await transaction { connection in
            try await connection.send(
                """
                INSERT INTO assessment (kommune, year, target, status, note, date, author)
                VALUES (\(a.kommune.rawValue), \(a.year), \(a.target), \(a.status.rawValue), \(a.note), \(a.date), \(a.author))
                """, logger: self.logger)
            try await self.audit(
                connection, actor: a.author, action: "assessment.save", subject: "target \(a.kommune)/\(a.year)/\(a.target)",
                detail: a.status.rawValue, kommune: a.kommune)
        }
    }

    public func assessments(kommune: AreaCode, year: Int) async throws -> [Assessment] {
        try await withConnection { connection in
            let rows = try await connection.send(
                """
                SELECT kommune, year, target, status, note, date, author FROM assessment a
                WHERE kommune = \(kommune.rawValue) AND year = \(year)
                AND id = (SELECT MAX(id) FROM assessment b WHERE b.kommune = a.kommune AND b.year = a.year AND b.target = a.target)
                ORDER BY target COLLATE "C"
                """, logger: self.logger)
            return try await Self.assessments(rows)
        }
    }

    public func assessmentHistory(kommune: AreaCode, year: Int, target: String) async throws -> [Assessment] {
        try await withConnection { connection in
            try await Self.assessments(connection.send(
                """
                SELECT kommune, year, target, status, note, date, author FROM assessment
                WHERE kommune = \(kommune.rawValue) AND year = \(year) AND target = \(target) ORDER BY id DESC
                """, logger: self.logger))
        }
    }

    private static func assessments(_ rows: PostgresRowSequence) async throws -> [Assessment] {
        var result: [Assessment] = []
        for try await (kommune, year, target, status, note, date, author)
            in rows.decode((String, Int, String, String, String, String, String).self)
        {
            result.append(Assessment(
                kommune: AreaCode(kommune), year: year, target: target,
                status: EvaluationStatus(rawValue: status) ?? .vurderet, note: note, date: date, author: author))
        }
        return result
    }

    // MARK: Audit

    public func revision() async throws -> String {
        try await withConnection { c in
            var stamp = ""
            for try await value in try await c.send(PostgresQuery(unsafeSQL: revisionSQL), logger: self.logger).decode(String.self) {
                stamp = value
            }
            return stamp
        }
    }

    public func auditLog(limit: Int, kommune: AreaCode?) async throws -> [AuditEntry] {
        try await withConnection { connection in
            let query: PostgresQuery = if let kommune {
                "SELECT \(unescaped: Self.auditColumns) FROM audit WHERE kommune = \(kommune.rawValue) ORDER BY id DESC LIMIT \(limit)"
            } else {
                "SELECT \(unescaped: Self.auditColumns) FROM audit ORDER BY id DESC LIMIT \(limit)"
            }
            return try await self.auditEntries(connection.send(query, logger: self.logger))
        }
    }

    public func fetchStamps() async throws -> [FetchStamp] {
        try await withConnection { connection in
            var result: [FetchStamp] = []
            for try await (source, fetchedAt, published) in try await connection.send(
                PostgresQuery(unsafeSQL: FetchStamp.query), logger: self.logger
            ).decode((String, String, String?).self) {
                result.append(FetchStamp(source: source, fetchedAt: fetchedAt, published: published))
            }
            return result
        }
    }

    static let auditColumns = "id, at, actor, action, subject, detail, kommune, address"

    func auditEntries(_ rows: PostgresRowSequence) async throws -> [AuditEntry] {
        var result: [AuditEntry] = []
        for try await (id, at, actor, action, subject, detail, kommune, address)
            in rows.decode((Int64, String, String, String, String, String, String?, String?).self)
        {
            result.append(AuditEntry(
                id: id, at: at, actor: actor, action: action, subject: subject, detail: detail, kommune: kommune.map { AreaCode($0) },
                address: address))
        }
        return result
    }

    /// One audit row, in the caller's transaction: the address and, unless the entry names its
    /// own, the kommune come from the task's `AuditScope`.
    func audit(
        _ connection: PostgresConnection, actor: String = ImportOrigin.defaultActor, action: String, subject: String,
        detail: String = "", kommune: AreaCode? = nil, scope: AuditScope = .current
    ) async throws {
        try await connection.send(
            """
            INSERT INTO audit (at, actor, action, subject, detail, kommune, address)
            VALUES (\(Audit.now()), \(actor), \(action), \(subject), \(detail), \((kommune ?? scope.kommune)?.rawValue), \(scope.address))
            """, logger: logger)
        if !actionsKeepingRevision.contains(action) { try await connection.send(PostgresQuery(unsafeSQL: raiseRevisionSQL), logger: logger) }
    }

    // MARK: Kommune decisions

    public func recordEvent(_ event: KommuneEvent) async throws {
        try await transaction { c in
            try await c.send(
                """
                INSERT INTO kommune_event (kommune, kind, year, as_of, author, at)
                VALUES (\(event.kommune.rawValue), \(event.kind.rawValue), \(event.year), \(event.asOf), \(event.author), \(Audit.now()))
                """, logger: self.logger)
            try await self.audit(
                c, actor: event.author, action: "kommune.\(event.kind.rawValue)", subject: event.subject, kommune: event.kommune)
        }
    }

    public func events(kommune: AreaCode) async throws -> [KommuneEvent] {
        try await withConnection { c in
            try await self.events(c.send(
                "SELECT \(unescaped: Self.eventColumns) FROM kommune_event WHERE kommune = \(kommune.rawValue) ORDER BY id",
                logger: self.logger))
        }
    }

    static let eventColumns = "id, kommune, kind, year, as_of, author, at"

    func events(_ rows: PostgresRowSequence) async throws -> [KommuneEvent] {
        var result: [KommuneEvent] = []
        for try await (id, kommune, kind, year, asOf, author, at) in rows.decode((Int64, String, String, Int?, String?, String, String).self) {
            guard let kind = KommuneEvent.Kind(rawValue: kind) else { continue }
            result.append(KommuneEvent(id: id, kommune: AreaCode(kommune), kind: kind, year: year, asOf: asOf, author: author, at: at))
        }
        return result
    }

    // MARK: Copy

    public func snapshot() async throws -> StoreSnapshot {
        try await transaction(rollback: true) { c in
            // One snapshot of the database: a repeatable-read transaction sees no import land halfway.
            try await c.send("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger: self.logger)
            var s = StoreSnapshot()
            for try await (id, source, file, actor, startedAt, series, observations, replaced, published) in try await c.send(
                "SELECT id, source, file, actor, started_at, series, observations, replaced, published FROM import ORDER BY id",
                logger: self.logger
            ).decode((Int64, String, String?, String, String, Int, Int, Int, String?).self) {
                s.imports.append(.init(
                    id: id, source: source, file: file, actor: actor, startedAt: startedAt, series: series,
                    observations: observations, replaced: replaced, published: published))
            }
            for try await (id, measure, area, dims) in try await c.send(
                "SELECT id, measure, area, dims FROM series ORDER BY id", logger: self.logger
            ).decode((Int64, String, String, String).self) {
                s.series.append(.init(id: id, measure: measure, area: area, dims: dims))
            }
            for try await (id, series, block, data) in try await c.send(
                "SELECT id, series, block, data FROM observation_block ORDER BY id", logger: self.logger
            ).decode((Int64, Int64, Int32, ByteBuffer).self) {
                s.blocks.append(.init(id: id, series: series, block: Int64(block), data: Array(data.readableBytesView)))
            }
            for try await (kommune, year, version, author, savedAt, title, status, document) in try await c.send(
                "SELECT \(unescaped: Self.planColumns), document FROM plan_version ORDER BY kommune COLLATE \"C\", year, version",
                logger: self.logger
            ).decode((String, Int, Int, String, String, String, String, String).self) {
                let info = PlanVersionInfo(
                    kommune: AreaCode(kommune), year: year, version: version, author: author, savedAt: savedAt, title: title,
                    status: Plan.Status(rawValue: status) ?? .udkast)
                s.plans.append(.init(info: info, document: document))
            }
            for try await (id, kommune, year, target, status, note, date, author) in try await c.send(
                "SELECT id, kommune, year, target, status, note, date, author FROM assessment ORDER BY id", logger: self.logger
            ).decode((Int64, String, Int, String, String, String, String, String).self) {
                s.assessments.append(.init(id: id, assessment: Assessment(
                    kommune: AreaCode(kommune), year: year, target: target, status: EvaluationStatus(rawValue: status) ?? .vurderet,
                    note: note, date: date, author: author)))
            }
            s.audit = try await auditEntries(c.send(
                "SELECT \(unescaped: Self.auditColumns) FROM audit ORDER BY id", logger: self.logger))
            s.events = try await events(c.send(
                "SELECT \(unescaped: Self.eventColumns) FROM kommune_event ORDER BY id", logger: self.logger))
            for try await (id, username, kommune, role, hash, disabled, createdAt) in try await c.send(
                "SELECT id, username, kommune, role, password_hash, disabled, created_at FROM account ORDER BY id", logger: self.logger
            ).decode((Int64, String, String?, String, String, Bool, String).self) {
                s.accounts.append(Account(
                    id: id, username: username, kommune: kommune, storedRole: role, passwordHash: hash, disabled: disabled,
                    createdAt: createdAt))
            }
            for try await (id, account, hash, label, createdAt, revoked) in try await c.send(
                "SELECT id, account, secret_hash, label, created_at, revoked FROM api_token ORDER BY id", logger: self.logger
            ).decode((Int64, Int64, String, String, String, Bool).self) {
                s.tokens.append(.init(id: id, accountID: account, secretHash: hash, label: label, createdAt: createdAt, revoked: revoked))
            }
            return s
        }
    }

    public func restore(_ s: StoreSnapshot) async throws {
        let holdsData = try await withConnection { connection in
            var found = false
            let rows = try await connection.send(PostgresQuery(unsafeSQL: StoreSnapshot.holdsDataSQL), logger: self.logger)
            for try await value in rows.decode(Bool.self) { found = value }
            return found
        }
        guard !holdsData else {
            throw StoreError("PostgreSQL at \(location) already holds data; copy into a new, empty database")
        }
        try await transaction { c in
            try await c.send("DELETE FROM audit", logger: self.logger)  // the target's own migration entry
            for r in s.imports {
                try await c.send(
                    """
                    INSERT INTO import (id, source, file, actor, started_at, series, observations, replaced, published)
                    VALUES (\(r.id), \(r.source), \(r.file), \(r.actor), \(r.startedAt), \(r.series), \(r.observations), \(r.replaced),
                        \(r.published))
                    """, logger: self.logger)
            }
            for r in s.series {
                try await c.send(
                    "INSERT INTO series (id, measure, area, dims) VALUES (\(r.id), \(r.measure), \(r.area), \(r.dims))",
                    logger: self.logger)
            }
            for r in s.blocks {
                try await c.send(
                    """
                    INSERT INTO observation_block (id, series, block, data)
                    VALUES (\(r.id), \(r.series), \(Int(r.block)), \(ByteBuffer(bytes: r.data)))
                    """, logger: self.logger)
            }
            for r in s.plans {
                try await c.send(
                    """
                    INSERT INTO plan_version (kommune, year, version, author, saved_at, title, status, document)
                    VALUES (\(r.info.kommune.rawValue), \(r.info.year), \(r.info.version), \(r.info.author), \(r.info.savedAt),
                            \(r.info.title), \(r.info.status.rawValue), \(r.document))
                    """, logger: self.logger)
            }
            for r in s.assessments {
                let a = r.assessment
                try await c.send(
                    """
                    INSERT INTO assessment (id, kommune, year, target, status, note, date, author)
                    VALUES (\(r.id), \(a.kommune.rawValue), \(a.year), \(a.target), \(a.status.rawValue), \(a.note), \(a.date), \(a.author))
                    """, logger: self.logger)
            }
            for r in s.audit {
                try await c.send(
                    """
                    INSERT INTO audit (id, at, actor, action, subject, detail, kommune, address)
                    VALUES (\(r.id), \(r.at), \(r.actor), \(r.action), \(r.subject), \(r.detail), \(r.kommune?.rawValue), \(r.address))
                    """, logger: self.logger)
            }
            for e in s.events {
                try await c.send(
                    """
                    INSERT INTO kommune_event (id, kommune, kind, year, as_of, author, at)
                    VALUES (\(e.id), \(e.kommune.rawValue), \(e.kind.rawValue), \(e.year), \(e.asOf), \(e.author), \(e.at))
                    """, logger: self.logger)
            }
            for a in s.accounts {
                try await c.send(
                    """
                    INSERT INTO account (id, username, kommune, role, password_hash, disabled, created_at)
                    VALUES (\(a.id), \(a.username), \(a.kommune?.rawValue), \(a.role.rawValue), \(a.passwordHash), \(a.disabled),
                            \(a.createdAt))
                    """, logger: self.logger)
            }
            for t in s.tokens {
                try await c.send(
                    """
                    INSERT INTO api_token (id, account, secret_hash, label, created_at, revoked)
                    VALUES (\(t.id), \(t.accountID), \(t.secretHash), \(t.label), \(t.createdAt), \(t.revoked))
                    """, logger: self.logger)
            }
            // The sequences go on after the ids copied in.
            for table in ["import", "series", "audit", "assessment", "account", "api_token", "kommune_event"] {
                try await c.send(
                    PostgresQuery(unsafeSQL: "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), COALESCE((SELECT MAX(id) FROM \(table)), 0) + 1, false)"),
                    logger: self.logger)
            }
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
