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
        let unknown = try await read { db in try Migrations.migrator.appliedIdentifiers(db) }.subtracting(Migrations.all.map(\.id))
        guard unknown.isEmpty else { throw StoreError.newerSchema(location, found: Array(unknown), known: Migrations.all.map(\.id)) }
        do {
            try Migrations.migrator.migrate(writer)
        } catch {
            throw StoreError("migrating '\(location)' failed: \(Self.message(error))")
        }
        let applied = Migrations.all.map(\.id).filter { !before.contains($0) }
        if !applied.isEmpty {
            try await write { db in
                try Audit.record(db, AuditScope(), action: .migrate, subject: applied.joined(separator: ","))
            }
        }
        return applied
    }

    public var knownMigrations: [String] { Migrations.all.map(\.id) }

    public func backup(to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError("'\(path)' exists already: a backup goes to a new file")
        }
        do {
            // SQLite's online backup, from one read transaction: a snapshot, while others read and write.
            // It holds password and token hashes: readable by its owner only.
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw StoreError("cannot create '\(path)'")
            }
            let target = try DatabaseQueue(path: path)
            try writer.backup(to: target)
            try target.close()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw StoreError("backing up '\(location)' to '\(path)' failed: \(Self.message(error))")
        }
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

    // MARK: Helpers

    static let infoColumns = "kommune, year, version, author, saved_at, title, status"

    static func info(_ row: Row) -> PlanVersionInfo {
        PlanVersionInfo(
            kommune: row["kommune"], year: row["year"], version: row["version"], author: row["author"], savedAt: row["saved_at"],
            title: row["title"], storedStatus: row["status"])
    }

    func fetchPlan(_ clause: String, _ arguments: StatementArguments) async throws -> StoredPlan? {
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
        _ db: Database, _ scope: AuditScope, actor: String = ImportOrigin.defaultActor, action: AuditAction, subject: String,
        detail: String = "", kommune: AreaCode? = nil
    ) throws {
        try db.execute(
            sql: "INSERT INTO audit (at, actor, action, subject, detail, kommune, address) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [now(), actor, action.rawValue, subject, detail, (kommune ?? scope.kommune)?.rawValue, scope.address])
        if !action.keepsRevision { try db.execute(sql: raiseRevisionSQL) }
    }

    /// The time the store stamps on what it writes.
    package static func now() -> String {
        Timestamp.string(Date())
    }
}
