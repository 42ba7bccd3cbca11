import Foundation
import GRDB

/// The schema, as numbered migrations (SQL, or Swift where data must be rewritten). Append
/// only: a migration that has shipped is never edited; a change is a new migration at the end.
enum Migrations {
    struct Migration: Sendable {
        let id: String
        let apply: @Sendable (Database) throws -> Void

        init(_ id: String, sql: String) {
            self.id = id
            apply = { db in try db.execute(sql: sql) }
        }

        init(_ id: String, apply: @escaping @Sendable (Database) throws -> Void) {
            self.id = id
            self.apply = apply
        }
    }

    static let all: [Migration] = [
        Migration(
            "0001-observations", sql:
            """
            CREATE TABLE import (
                id INTEGER PRIMARY KEY,
                source TEXT NOT NULL,
                file TEXT,
                actor TEXT NOT NULL,
                started_at TEXT NOT NULL,
                series INTEGER NOT NULL DEFAULT 0,
                observations INTEGER NOT NULL DEFAULT 0,
                replaced INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE series (
                id INTEGER PRIMARY KEY,
                measure TEXT NOT NULL,
                area TEXT NOT NULL,
                dims TEXT NOT NULL,
                UNIQUE (measure, area, dims)
            );
            -- period: first day (days since 1970-01-01) * 8 + granularity (0 year … 4 week),
            -- so integer order is time order and a range scan finds a span of periods.
            CREATE TABLE observation (
                series INTEGER NOT NULL,
                period INTEGER NOT NULL,
                value REAL NOT NULL,
                import INTEGER NOT NULL,
                PRIMARY KEY (series, period)
            ) WITHOUT ROWID;
            """
        ),
        Migration(
            "0002-plans", sql:
            """
            CREATE TABLE plan_version (
                id INTEGER PRIMARY KEY,
                kommune TEXT NOT NULL,
                year INTEGER NOT NULL,
                version INTEGER NOT NULL,
                author TEXT NOT NULL,
                saved_at TEXT NOT NULL,
                title TEXT NOT NULL,
                status TEXT NOT NULL,
                document TEXT NOT NULL,
                UNIQUE (kommune, year, version)
            );
            """
        ),
        Migration(
            "0003-audit", sql:
            """
            CREATE TABLE audit (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                detail TEXT NOT NULL DEFAULT ''
            );
            """
        ),
        Migration(
            "0004-assessments", sql:
            """
            CREATE TABLE assessment (
                id INTEGER PRIMARY KEY,
                kommune TEXT NOT NULL,
                year INTEGER NOT NULL,
                target TEXT NOT NULL,
                status TEXT NOT NULL,
                note TEXT NOT NULL,
                date TEXT NOT NULL,
                author TEXT NOT NULL
            );
            CREATE INDEX assessment_plan ON assessment (kommune, year, target);
            """
        ),
        Migration("0005-observation-blocks", apply: packObservations),
        Migration(
            "0006-accounts", sql:
            """
            CREATE TABLE account (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL UNIQUE,
                kommune TEXT,
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL
            );
            CREATE TABLE session (
                secret_hash TEXT PRIMARY KEY,
                account INTEGER NOT NULL REFERENCES account (id),
                csrf_token TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                last_seen_at INTEGER NOT NULL
            );
            CREATE TABLE api_token (
                id INTEGER PRIMARY KEY,
                account INTEGER NOT NULL REFERENCES account (id),
                secret_hash TEXT NOT NULL UNIQUE,
                label TEXT NOT NULL,
                created_at TEXT NOT NULL,
                revoked INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE login_failure (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL,
                address TEXT NOT NULL,
                at INTEGER NOT NULL
            );
            CREATE INDEX login_failure_user ON login_failure (username, at);
            """
        ),
        Migration(
            "0007-kommune-audit", sql:
            """
            ALTER TABLE audit ADD COLUMN kommune TEXT;
            ALTER TABLE audit ADD COLUMN address TEXT;
            CREATE INDEX audit_kommune ON audit (kommune, id);
            CREATE TABLE kommune_event (
                id INTEGER PRIMARY KEY,
                kommune TEXT NOT NULL,
                kind TEXT NOT NULL,
                year INTEGER,
                as_of TEXT,
                author TEXT NOT NULL,
                at TEXT NOT NULL
            );
            CREATE INDEX kommune_event_kommune ON kommune_event (kommune, id);
            CREATE TABLE store_revision (n INTEGER NOT NULL);
            INSERT INTO store_revision (n) VALUES (0);
            """
        ),
        Migration(
            "0008-import-published", sql:
            """
            -- when the source last updated a fetched table, as it says (`beskplan fetch`)
            ALTER TABLE import ADD COLUMN published TEXT;
            """
        ),
        Migration(
            "0009-fetch-schedule", sql:
            """
            -- who runs the scheduled fetch (one process of many), and what each run did
            CREATE TABLE lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until INTEGER NOT NULL);
            CREATE TABLE fetch_run (
                id INTEGER PRIMARY KEY,
                started_at TEXT NOT NULL,
                finished_at TEXT NOT NULL,
                holder TEXT NOT NULL,
                requests INTEGER NOT NULL,
                failures INTEGER NOT NULL,
                errors TEXT NOT NULL
            );
            """
        ),
        Migration(
            "0010-login-failure-address", sql:
            """
            -- failed sign-ins from one address over every username (password spraying)
            CREATE INDEX login_failure_address ON login_failure (address, at);
            """
        ),
        Migration(
            "0011-approved-report", sql:
            """
            -- a report as it was when its plan was approved or its follow-up made final
            CREATE TABLE approved_report (
                id INTEGER PRIMARY KEY,
                kommune TEXT NOT NULL,
                year INTEGER NOT NULL,
                kind TEXT NOT NULL,
                plan_version INTEGER NOT NULL,
                as_of TEXT NOT NULL,
                generated TEXT NOT NULL,
                format TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                content TEXT NOT NULL,
                author TEXT NOT NULL,
                at TEXT NOT NULL
            );
            CREATE INDEX approved_report_plan ON approved_report (kommune, year, kind, id);
            """
        ),
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in all {
            migrator.registerMigration(migration.id, migrate: migration.apply)
        }
        return migrator
    }
}

/// 0005: one row per series and decade instead of one per observation (see `ObservationBlock`);
/// the observations already stored are packed into the new table.
private func packObservations(_ db: Database) throws {
    try db.execute(
        sql: """
            CREATE TABLE observation_block (
                id INTEGER PRIMARY KEY,  -- series * 1024 + block / 10 (ObservationBlock.rowID)
                series INTEGER NOT NULL,
                block INTEGER NOT NULL,  -- the decade's first year
                data BLOB NOT NULL
            );
            """)
    let rows = try Row.fetchCursor(db, sql: "SELECT series, period, value, import FROM observation ORDER BY series, period")
    var current: (series: Int64, block: Int64)?
    var entries: [ObservationBlock.Entry] = []
    func flush() throws {
        guard let current, !entries.isEmpty else { return }
        let data = Data(ObservationBlock(entries: entries).encoded(block: current.block))
        try db.execute(
            sql: "INSERT INTO observation_block (id, series, block, data) VALUES (?, ?, ?, ?)",
            arguments: [
                ObservationBlock.rowID(series: current.series, block: current.block), current.series, current.block, data,
            ])
        entries.removeAll()
    }
    while let row = try rows.next() {
        let series: Int64 = row[0]
        let period: Int64 = row[1]
        let block = ObservationBlock.block(of: period)
        if current.map({ $0.series != series || $0.block != block }) ?? true {
            try flush()
            current = (series, block)
        }
        entries.append(ObservationBlock.Entry(period: period, value: row[2], importID: row[3]))
    }
    try flush()
    try db.execute(sql: "DROP TABLE observation")
}
