import BeskplanCore
import GRDB
import GRDBSQLite

/// Writes one import's observations inside the caller's transaction, as fast as SQLite allows:
/// series ids are cached, and each point is bound straight to a prepared statement
/// (`sqlite3_bind_*`), since GRDB's argument arrays cost more than the insert itself here.
struct BulkWriter {
    private let db: Database
    private let origin: ImportOrigin
    private let importID: Int64
    private let seriesStatement: Statement
    private let insert: Statement
    private let update: Statement
    private var seriesIDs: [SeriesKey: Int64] = [:]
    private var observations = 0
    private var replaced = 0

    init(_ db: Database, origin: ImportOrigin) throws {
        self.db = db
        self.origin = origin
        try db.execute(
            sql: "INSERT INTO import (source, file, actor, started_at) VALUES (?, ?, ?, ?)",
            arguments: [origin.source, origin.file, origin.actor, Audit.now()])
        importID = db.lastInsertedRowID
        seriesStatement = try db.makeStatement(
            sql: """
                INSERT INTO series (measure, area, dims) VALUES (?, ?, ?)
                ON CONFLICT (measure, area, dims) DO UPDATE SET measure = excluded.measure
                RETURNING id
                """)
        insert = try db.makeStatement(
            sql: "INSERT OR IGNORE INTO observation (series, period, value, import) VALUES (?, ?, ?, ?)")
        update = try db.makeStatement(
            sql: "UPDATE observation SET value = ?, import = ? WHERE series = ? AND period = ?")
    }

    mutating func write(_ chunk: ObservationChunk) throws {
        let series = try seriesID(chunk.series)
        let insertHandle = insert.sqliteStatement
        let updateHandle = update.sqliteStatement
        for point in chunk.points {
            guard point.value.isFinite else {
                throw StoreError("\(chunk.series.measure) \(chunk.series.area) \(point.period): value is not a number")
            }
            let period = PeriodKey.encode(point.period)
            sqlite3_bind_int64(insertHandle, 1, series)
            sqlite3_bind_int64(insertHandle, 2, period)
            sqlite3_bind_double(insertHandle, 3, point.value)
            sqlite3_bind_int64(insertHandle, 4, importID)
            try step(insertHandle)
            if sqlite3_changes(db.sqliteConnection) == 0 {
                sqlite3_bind_double(updateHandle, 1, point.value)
                sqlite3_bind_int64(updateHandle, 2, importID)
                sqlite3_bind_int64(updateHandle, 3, series)
                sqlite3_bind_int64(updateHandle, 4, period)
                try step(updateHandle)
                replaced += 1
            }
            observations += 1
        }
    }

    /// Records the totals on the import and in the audit log.
    func finish(skipped: SkipReport, dryRun: Bool) throws -> ImportResult {
        try db.execute(
            sql: "UPDATE import SET series = ?, observations = ?, replaced = ? WHERE id = ?",
            arguments: [seriesIDs.count, observations, replaced, importID])
        try Audit.record(
            db, actor: origin.actor, action: "observations.import", subject: "import \(importID)",
            detail: "\(origin.source) \(origin.file ?? "-"): \(observations) observations, \(replaced) replaced, "
                + "\(skipped.total) skipped")
        return ImportResult(
            importID: dryRun ? nil : importID, series: seriesIDs.count, observations: observations,
            replaced: replaced, skipped: skipped, dryRun: dryRun)
    }

    private mutating func seriesID(_ key: SeriesKey) throws -> Int64 {
        if let id = seriesIDs[key] { return id }
        guard let id = try Int64.fetchOne(
            seriesStatement, arguments: [key.measure, key.area.rawValue, key.dimensionText])
        else { throw StoreError("could not register series \(key.measure) \(key.area)") }
        seriesIDs[key] = id
        return id
    }

    private func step(_ statement: SQLiteStatement) throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}
