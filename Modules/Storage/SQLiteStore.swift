import BeskplanCore
import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode (or memory, for tests), through GRDB.
public final class SQLiteStore: Store {
    private let writer: any DatabaseWriter
    /// Where the database lives, for messages.
    public let location: String

    /// Opens (or creates) the database file at `path`.
    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(5)
        do {
            // A pool opens the file in WAL mode: readers never wait for the importer.
            writer = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError("cannot open database '\(path)': \(Self.message(error))")
        }
        location = path
    }

    /// A private database in memory.
    public init() throws {
        writer = try DatabaseQueue()
        location = ":memory:"
    }

    // MARK: Migrations

    @discardableResult
    public func migrate() async throws -> [String] {
        let before = try await appliedMigrations()
        do {
            try Migrations.migrator.migrate(writer)
        } catch {
            throw StoreError("migrating '\(location)' failed: \(Self.message(error))")
        }
        let applied = Migrations.all.map(\.id).filter { !before.contains($0) }
        if !applied.isEmpty {
            try await write { db in
                try Audit.record(db, AuditScope(), action: "db.migrate", subject: applied.joined(separator: ","))
            }
        }
        return applied
    }

    public func appliedMigrations() async throws -> [String] {
        try await read { db in
            let applied = try Migrations.migrator.appliedIdentifiers(db)
            return Migrations.all.map(\.id).filter(applied.contains)
        }
    }

    // MARK: Observations

    @discardableResult
    public func importObservations(
        _ origin: ImportOrigin, from source: sending some ObservationSource, dryRun: Bool
    ) async throws -> ImportResult {
        // The source was handed over (`sending`) and is used by exactly one closure run, so moving
        // it into the write closure shares it with no one.
        nonisolated(unsafe) var source = source
        do {
            return try await writer.writeWithoutTransaction { db in
                var result: ImportResult?
                try db.inTransaction {
                    var bulk = try BulkWriter(db, origin: origin)
                    while let chunk = try source.nextChunk() {
                        try bulk.write(chunk)
                    }
                    result = try bulk.finish(skipped: source.skipped, dryRun: dryRun)
                    return dryRun ? .rollback : .commit
                }
                return result!
            }
        } catch let error as DatabaseError {
            throw StoreError("import into '\(location)' failed: \(Self.message(error))")
        }
    }

    public func observations(_ query: ObservationQuery) async throws -> [Observation] {
        try await read { db in
            var sql = "SELECT id, area, dims FROM series WHERE measure = ?"
            var arguments: [any DatabaseValueConvertible] = [query.measure]
            if !query.areas.isEmpty {
                sql += " AND area IN (\(Array(repeating: "?", count: query.areas.count).joined(separator: ",")))"
                arguments += query.areas.map(\.rawValue)
            }
            for (name, value) in query.dimensions.sorted(by: { $0.key < $1.key }) {
                sql += " AND instr(';' || dims || ';', ?) > 0"
                arguments.append(";\(name)=\(value);")
            }
            sql += " ORDER BY area, dims"
            // SQL narrows by text; the exact check on parsed dimensions below is what decides.
            let series = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).compactMap {
                row -> (Int64, SeriesKey)? in
                let key = SeriesKey(
                    measure: query.measure, area: AreaCode(row["area"] as String),
                    dimensions: SeriesKey.dimensions(fromText: row["dims"]))
                return query.matches(key) ? (row["id"], key) : nil
            }
            let (low, high) = PeriodKey.bounds(from: query.from, to: query.to)
            let statement = try db.cachedStatement(
                sql: "SELECT block, data FROM observation_block WHERE id BETWEEN ? AND ? ORDER BY id")
            var result: [Observation] = []
            for (id, key) in series {
                let ids = ObservationBlock.rowIDs(series: id, low: low, high: high)
                let rows = try Row.fetchCursor(statement, arguments: [ids.lowerBound, ids.upperBound])
                while let row = try rows.next() {
                    let number: Int64 = row[0]
                    let data: Data = row[1]
                    result += try data.withUnsafeBytes {
                        try ObservationBlock.observations(
                            stored: $0, block: number, seriesID: id, series: key, keys: (low, high), to: query.to)
                    }
                }
            }
            return result
        }
    }

    // MARK: Plans

    @discardableResult
    public func savePlan(_ plan: Plan, author: String, expecting: Int?) async throws -> PlanVersionInfo {
        let document = try PlanDocument.encode(plan)
        let scope = AuditScope.current
        return try await write { db in
            let latest = try Int.fetchOne(
                db, sql: "SELECT MAX(version) FROM plan_version WHERE kommune = ? AND year = ?",
                arguments: [plan.kommune.rawValue, plan.year]) ?? 0
            if let expecting, expecting != latest { throw PlanVersionConflict(expected: expecting, current: latest) }
            let info = PlanVersionInfo(
                kommune: plan.kommune, year: plan.year, version: latest + 1, author: author,
                savedAt: Audit.now(), title: plan.title, status: plan.status)
            try db.execute(
                sql: """
                    INSERT INTO plan_version (kommune, year, version, author, saved_at, title, status, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    info.kommune.rawValue, info.year, info.version, author, info.savedAt, info.title,
                    info.status.rawValue, document,
                ])
            try Audit.record(
                db, scope, actor: author, action: "plan.save",
                subject: "plan \(plan.kommune)/\(plan.year) v\(info.version)", detail: plan.title, kommune: plan.kommune)
            return info
        }
    }

    public func currentPlan(kommune: AreaCode, year: Int) async throws -> StoredPlan? {
        try await fetchPlan(
            "WHERE kommune = ? AND year = ? ORDER BY version DESC LIMIT 1", [kommune.rawValue, year])
    }

    public func plan(kommune: AreaCode, year: Int, version: Int) async throws -> StoredPlan? {
        try await fetchPlan("WHERE kommune = ? AND year = ? AND version = ?", [kommune.rawValue, year, version])
    }

    public func planVersions(kommune: AreaCode, year: Int) async throws -> [PlanVersionInfo] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.infoColumns) FROM plan_version WHERE kommune = ? AND year = ? ORDER BY version",
                arguments: [kommune.rawValue, year]
            ).map(Self.info)
        }
    }

    public func plans() async throws -> [PlanVersionInfo] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.infoColumns) FROM plan_version p
                    WHERE version = (SELECT MAX(version) FROM plan_version q WHERE q.kommune = p.kommune AND q.year = p.year)
                    ORDER BY kommune, year
                    """
            ).map(Self.info)
        }
    }

    // MARK: Assessments

    public func saveAssessment(_ a: Assessment) async throws {
        let scope = AuditScope.current
        try await write { db in
            try db.execute(
                sql: "INSERT INTO assessment (kommune, year, target, status, note, date, author) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [a.kommune.rawValue, a.year, a.target, a.status.rawValue, a.note, a.date, a.author])
            try Audit.record(
                db, scope, actor: a.author, action: "assessment.save", subject: "target \(a.kommune)/\(a.year)/\(a.target)",
                detail: a.status.rawValue, kommune: a.kommune)
        }
    }

    public func assessments(kommune: AreaCode, year: Int) async throws -> [Assessment] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM assessment a WHERE kommune = ? AND year = ?
                    AND id = (SELECT MAX(id) FROM assessment b WHERE b.kommune = a.kommune AND b.year = a.year AND b.target = a.target)
                    ORDER BY target
                    """,
                arguments: [kommune.rawValue, year]
            ).map(Self.assessment)
        }
    }

    public func assessmentHistory(kommune: AreaCode, year: Int, target: String) async throws -> [Assessment] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM assessment WHERE kommune = ? AND year = ? AND target = ? ORDER BY id DESC",
                arguments: [kommune.rawValue, year, target]
            ).map(Self.assessment)
        }
    }

    private static func assessment(_ row: Row) -> Assessment {
        Assessment(
            kommune: AreaCode(row["kommune"] as String), year: row["year"], target: row["target"],
            status: EvaluationStatus(rawValue: row["status"]) ?? .vurderet, note: row["note"], date: row["date"], author: row["author"])
    }

    // MARK: Audit

    public func revision() async throws -> String {
        try await read { db in try String.fetchOne(db, sql: revisionSQL) ?? "" }
    }

    public func auditLog(limit: Int, kommune: AreaCode?) async throws -> [AuditEntry] {
        try await read { db in
            let rows = if let kommune {
                try Row.fetchAll(
                    db, sql: "SELECT * FROM audit WHERE kommune = ? ORDER BY id DESC LIMIT ?", arguments: [kommune.rawValue, limit])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit])
            }
            return rows.map(Self.auditEntry)
        }
    }

    public func fetchStamps() async throws -> [FetchStamp] {
        try await read { db in
            try Row.fetchAll(db, sql: FetchStamp.query).map {
                FetchStamp(source: $0["source"], fetchedAt: $0["fetched_at"], published: $0["published"])
            }
        }
    }

    private static func auditEntry(_ row: Row) -> AuditEntry {
        AuditEntry(
            id: row["id"], at: row["at"], actor: row["actor"], action: row["action"], subject: row["subject"],
            detail: row["detail"], kommune: (row["kommune"] as String?).map { AreaCode($0) }, address: row["address"])
    }

    // MARK: Kommune decisions

    public func recordEvent(_ event: KommuneEvent) async throws {
        let scope = AuditScope.current
        try await write { db in
            try db.execute(
                sql: "INSERT INTO kommune_event (kommune, kind, year, as_of, author, at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [event.kommune.rawValue, event.kind.rawValue, event.year, event.asOf, event.author, Audit.now()])
            try Audit.record(
                db, scope, actor: event.author, action: "kommune.\(event.kind.rawValue)", subject: event.subject,
                kommune: event.kommune)
        }
    }

    public func events(kommune: AreaCode) async throws -> [KommuneEvent] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM kommune_event WHERE kommune = ? ORDER BY id", arguments: [kommune.rawValue])
                .compactMap(Self.event)
        }
    }

    private static func event(_ row: Row) -> KommuneEvent? {
        KommuneEvent.Kind(rawValue: row["kind"]).map {
            KommuneEvent(
                id: row["id"], kommune: AreaCode(row["kommune"] as String), kind: $0, year: row["year"], asOf: row["as_of"],
                author: row["author"], at: row["at"])
        }
    }

    // MARK: Copy

    public func snapshot() async throws -> StoreSnapshot {
        try await read { db in
            var s = StoreSnapshot()
            s.imports = try Row.fetchAll(db, sql: "SELECT * FROM import ORDER BY id").map {
                StoreSnapshot.ImportRow(
                    id: $0["id"], source: $0["source"], file: $0["file"], actor: $0["actor"], startedAt: $0["started_at"],
                    series: $0["series"], observations: $0["observations"], replaced: $0["replaced"], published: $0["published"])
            }
            s.series = try Row.fetchAll(db, sql: "SELECT * FROM series ORDER BY id").map {
                StoreSnapshot.SeriesRow(id: $0["id"], measure: $0["measure"], area: $0["area"], dims: $0["dims"])
            }
            s.blocks = try Row.fetchAll(db, sql: "SELECT * FROM observation_block ORDER BY id").map {
                StoreSnapshot.BlockRow(id: $0["id"], series: $0["series"], block: $0["block"], data: [UInt8]($0["data"] as Data))
            }
            s.plans = try Row.fetchAll(
                db, sql: "SELECT \(Self.infoColumns), document FROM plan_version ORDER BY kommune, year, version"
            ).map { StoreSnapshot.PlanRow(info: Self.info($0), document: $0["document"]) }
            s.assessments = try Row.fetchAll(db, sql: "SELECT * FROM assessment ORDER BY id").map {
                StoreSnapshot.AssessmentRow(id: $0["id"], assessment: Assessment(
                    kommune: AreaCode($0["kommune"] as String), year: $0["year"], target: $0["target"],
                    status: EvaluationStatus(rawValue: $0["status"]) ?? .vurderet, note: $0["note"], date: $0["date"],
                    author: $0["author"]))
            }
            s.audit = try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id").map(Self.auditEntry)
            s.events = try Row.fetchAll(db, sql: "SELECT * FROM kommune_event ORDER BY id").compactMap(Self.event)
            s.accounts = try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY id").map(Self.account)
            s.tokens = try Row.fetchAll(db, sql: "SELECT * FROM api_token ORDER BY id").map {
                StoreSnapshot.TokenRow(
                    id: $0["id"], accountID: $0["account"], secretHash: $0["secret_hash"], label: $0["label"],
                    createdAt: $0["created_at"], revoked: $0["revoked"])
            }
            return s
        }
    }

    public func restore(_ s: StoreSnapshot) async throws {
        guard try await !read({ db in try Bool.fetchOne(db, sql: StoreSnapshot.holdsDataSQL) ?? false }) else {
            throw StoreError("'\(location)' already holds data; copy into a new, empty database")
        }
        try await write { db in
            try db.execute(sql: "DELETE FROM audit")  // the target's own migration entry; the source's log comes whole
            for r in s.imports {
                try db.execute(
                    sql: """
                        INSERT INTO import (id, source, file, actor, started_at, series, observations, replaced, published)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [r.id, r.source, r.file, r.actor, r.startedAt, r.series, r.observations, r.replaced, r.published])
            }
            for r in s.series {
                try db.execute(
                    sql: "INSERT INTO series (id, measure, area, dims) VALUES (?, ?, ?, ?)", arguments: [r.id, r.measure, r.area, r.dims])
            }
            for r in s.blocks {
                try db.execute(
                    sql: "INSERT INTO observation_block (id, series, block, data) VALUES (?, ?, ?, ?)",
                    arguments: [r.id, r.series, r.block, Data(r.data)])
            }
            for r in s.plans {
                try db.execute(
                    sql: """
                        INSERT INTO plan_version (kommune, year, version, author, saved_at, title, status, document)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        r.info.kommune.rawValue, r.info.year, r.info.version, r.info.author, r.info.savedAt, r.info.title,
                        r.info.status.rawValue, r.document,
                    ])
            }
            for r in s.assessments {
                let a = r.assessment
                try db.execute(
                    sql: "INSERT INTO assessment (id, kommune, year, target, status, note, date, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [r.id, a.kommune.rawValue, a.year, a.target, a.status.rawValue, a.note, a.date, a.author])
            }
            for r in s.audit {
                try db.execute(
                    sql: "INSERT INTO audit (id, at, actor, action, subject, detail, kommune, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [r.id, r.at, r.actor, r.action, r.subject, r.detail, r.kommune?.rawValue, r.address])
            }
            for e in s.events {
                try db.execute(
                    sql: "INSERT INTO kommune_event (id, kommune, kind, year, as_of, author, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [e.id, e.kommune.rawValue, e.kind.rawValue, e.year, e.asOf, e.author, e.at])
            }
            for a in s.accounts {
                try db.execute(
                    sql: """
                        INSERT INTO account (id, username, kommune, role, password_hash, disabled, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [a.id, a.username, a.kommune?.rawValue, a.role.rawValue, a.passwordHash, a.disabled, a.createdAt])
            }
            for t in s.tokens {
                try db.execute(
                    sql: "INSERT INTO api_token (id, account, secret_hash, label, created_at, revoked) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [t.id, t.accountID, t.secretHash, t.label, t.createdAt, t.revoked])
            }
        }
    }

    // MARK: Helpers

    private static let infoColumns = "kommune, year, version, author, saved_at, title, status"

    private static func info(_ row: Row) -> PlanVersionInfo {
        PlanVersionInfo(
            kommune: AreaCode(row["kommune"] as String), year: row["year"], version: row["version"],
            author: row["author"], savedAt: row["saved_at"], title: row["title"],
            status: Plan.Status(rawValue: row["status"]) ?? .udkast)
    }

    private func fetchPlan(_ clause: String, _ arguments: StatementArguments) async throws -> StoredPlan? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.infoColumns), document FROM plan_version \(clause)", arguments: arguments)
            else { return nil }
            return StoredPlan(info: Self.info(row), plan: try PlanDocument.decode(row["document"]))
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch let error as DatabaseError {
            throw StoreError("reading '\(location)' failed: \(Self.message(error))")
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(body)
        } catch let error as DatabaseError {
            throw StoreError("writing '\(location)' failed: \(Self.message(error))")
        }
    }

    static func message(_ error: any Error) -> String {
        (error as? DatabaseError)?.message ?? String(describing: error)
    }
}

/// Plans are stored as JSON of the domain model: the document is the version, whole.
package enum PlanDocument {
    package static func encode(_ plan: Plan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(plan), as: UTF8.self)
    }

    package static func decode(_ text: String) throws -> Plan {
        try JSONDecoder().decode(Plan.self, from: Data(text.utf8))
    }
}

/// Writes to the audit log, inside the caller's transaction.
package enum Audit {
    /// `scope` is read by the caller before it enters GRDB's queue, where no task-local is set;
    /// a `kommune` the entry names itself wins over the scope's.
    static func record(
        _ db: Database, _ scope: AuditScope, actor: String = ImportOrigin.defaultActor, action: String, subject: String,
        detail: String = "", kommune: AreaCode? = nil
    ) throws {
        try db.execute(
            sql: "INSERT INTO audit (at, actor, action, subject, detail, kommune, address) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [now(), actor, action, subject, detail, (kommune ?? scope.kommune)?.rawValue, scope.address])
        if !actionsKeepingRevision.contains(action) { try db.execute(sql: raiseRevisionSQL) }
    }

    package static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
