import GRDB

/// The schema, as numbered SQL migrations. Append only: a migration that has shipped is never
/// edited; a change is a new migration at the end.
enum Migrations {
    static let all: [(id: String, sql: String)] = [
        (
            "0001-observations",
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
        (
            "0002-plans",
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
        (
            "0003-audit",
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
        (
            "0004-assessments",
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
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in all {
            migrator.registerMigration(migration.id) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }
}
