import BeskplanCore
import GRDB
import GRDBSQLite

/// Writes one import's observations inside the caller's transaction, as fast as SQLite allows:
/// series ids are cached, points are packed into one block per series and decade
/// (`ObservationBlock`), and blocks are bound straight to prepared statements
/// (`sqlite3_bind_*`), since GRDB's argument arrays cost more than the write itself here.
struct BulkWriter {
    private let db: Database
    private let origin: ImportOrigin
    private let importID: Int64
    private let seriesStatement: Statement
    private let select: Statement
    private let insert: Statement
    private let update: Statement
    private var seriesIDs: [SeriesKey: Int64] = [:]
    private var observations = 0
    private var replaced = 0
    private var run: [ObservationBlock.Entry] = []

    init(_ db: Database, origin: ImportOrigin) throws {
        self.db = db
        self.origin = origin
        try db.execute(
            sql: "INSERT INTO import (source, file, actor, started_at, published) VALUES (?, ?, ?, ?, ?)",
            arguments: [origin.source, origin.file, origin.actor, Audit.now(), origin.published])
        importID = db.lastInsertedRowID
        seriesStatement = try db.makeStatement(
            sql: """
                INSERT INTO series (measure, area, dims) VALUES (?, ?, ?)
                ON CONFLICT (measure, area, dims) DO UPDATE SET measure = excluded.measure
                RETURNING id
                """)
        // All three take ?1 id, ?2 series, ?3 block, ?4 data, so one binding serves each.
        select = try db.makeStatement(sql: "SELECT data FROM observation_block WHERE id = ?1")
        insert = try db.makeStatement(
            sql: "INSERT OR IGNORE INTO observation_block (id, series, block, data) VALUES (?1, ?2, ?3, ?4)")
        update = try db.makeStatement(sql: "UPDATE observation_block SET data = ?4 WHERE id = ?1")
    }

    mutating func write(_ chunk: ObservationChunk) throws {
        let series = try seriesID(chunk.series)
        var span: (block: Int64, keys: Range<Int64>) = (0, 0..<0)
        run.removeAll(keepingCapacity: true)
        for point in chunk.points {
            guard point.value.isFinite else {
                throw StoreError("\(chunk.series.measure) \(chunk.series.area) \(point.period): value is not a number")
            }
            let period = PeriodKey.encode(point.period)
            if !span.keys.contains(period) {
                if !run.isEmpty { try writeBlock(series: series, block: span.block) }
                span = ObservationBlock.span(of: period)
            }
            run.append(ObservationBlock.Entry(period: period, value: point.value, importID: importID))
        }
        if !run.isEmpty { try writeBlock(series: series, block: span.block) }
        observations += chunk.points.count
    }

    /// Writes `run` (the points of one block) over what the block holds: a new block is one
    /// insert; an existing one is read, merged and updated.
    private mutating func writeBlock(series: Int64, block: Int64) throws {
        replaced += ObservationBlock.normalize(&run)
        let new = ObservationBlock(entries: run)
        run.removeAll(keepingCapacity: true)
        try store(insert.sqliteStatement, new, series, block)
        guard sqlite3_changes(db.sqliteConnection) == 0 else { return }

        let selectHandle = select.sqliteStatement
        sqlite3_bind_int64(selectHandle, 1, ObservationBlock.rowID(series: series, block: block))
        defer { sqlite3_reset(selectHandle) }
        guard sqlite3_step(selectHandle) == SQLITE_ROW else { throw error() }
        let bytes = UnsafeRawBufferPointer(
            start: sqlite3_column_blob(selectHandle, 0), count: Int(sqlite3_column_bytes(selectHandle, 0)))
        guard var existing = ObservationBlock(bytes: bytes, block: block) else {
            throw StoreError("observation block \(series)/\(block) is damaged")
        }
        replaced += existing.merge(new.entries).count
        sqlite3_reset(selectHandle)
        try store(update.sqliteStatement, existing, series, block)
    }

    private func store(_ statement: SQLiteStatement, _ contents: ObservationBlock, _ series: Int64, _ block: Int64) throws {
        let bytes = contents.encoded(block: block)
        sqlite3_bind_int64(statement, 1, ObservationBlock.rowID(series: series, block: block))
        sqlite3_bind_int64(statement, 2, series)
        sqlite3_bind_int64(statement, 3, block)
        bytes.withUnsafeBytes { blob in
            _ = sqlite3_bind_blob(statement, 4, blob.baseAddress, Int32(blob.count), sqliteTransient)
        }
        try step(statement)
    }

    /// Records the totals on the import and in the audit log.
    func finish(skipped: SkipReport, dryRun: Bool) throws -> ImportResult {
        try db.execute(
            sql: "UPDATE import SET series = ?, observations = ?, replaced = ? WHERE id = ?",
            arguments: [seriesIDs.count, observations, replaced, importID])
        try Audit.record(
            db, origin.scope, actor: origin.actor, action: .observationsImport, subject: AuditSubject.importRun(importID),
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
        guard code == SQLITE_DONE else { throw error(code) }
    }

    private func error(_ code: Int32? = nil) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code ?? sqlite3_errcode(db.sqliteConnection)),
            message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }
}

/// Tells SQLite to copy a bound blob (GRDB's constant of the same name is internal).
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
