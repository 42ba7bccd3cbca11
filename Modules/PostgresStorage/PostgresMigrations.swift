/// The PostgreSQL schema as numbered migrations, append only: a migration that has shipped is
/// never edited. The tables are SQLite's, in PostgreSQL's types; observations are the same
/// packed blocks (`bytea`), keyed by `series * 1024 + decade`.
enum PostgresMigrations {
    struct Migration {
        let id: String
        /// One statement each: the extended protocol runs one at a time.
        let statements: [String]
    }

    static let all: [Migration] = [
        Migration(id: "0001-schema", statements: [
            """
            CREATE TABLE import (
                id BIGSERIAL PRIMARY KEY, source TEXT NOT NULL, file TEXT, actor TEXT NOT NULL, started_at TEXT NOT NULL,
                series BIGINT NOT NULL DEFAULT 0, observations BIGINT NOT NULL DEFAULT 0, replaced BIGINT NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE series (
                id BIGSERIAL PRIMARY KEY, measure TEXT NOT NULL, area TEXT NOT NULL, dims TEXT NOT NULL,
                UNIQUE (measure, area, dims))
            """,
            """
            CREATE TABLE observation_block (
                id BIGINT PRIMARY KEY, series BIGINT NOT NULL REFERENCES series (id), block INTEGER NOT NULL,
                data BYTEA NOT NULL)
            """,
            """
            CREATE TABLE plan_version (
                kommune TEXT NOT NULL, year INTEGER NOT NULL, version INTEGER NOT NULL, author TEXT NOT NULL,
                saved_at TEXT NOT NULL, title TEXT NOT NULL, status TEXT NOT NULL, document TEXT NOT NULL,
                PRIMARY KEY (kommune, year, version))
            """,
            """
            CREATE TABLE audit (
                id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                subject TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '')
            """,
            """
            CREATE TABLE assessment (
                id BIGSERIAL PRIMARY KEY, kommune TEXT NOT NULL, year INTEGER NOT NULL, target TEXT NOT NULL,
                status TEXT NOT NULL, note TEXT NOT NULL, date TEXT NOT NULL, author TEXT NOT NULL)
            """,
            "CREATE INDEX assessment_plan ON assessment (kommune, year, target)",
        ]),
        Migration(id: "0002-accounts", statements: [
            """
            CREATE TABLE account (
                id BIGSERIAL PRIMARY KEY, username TEXT NOT NULL UNIQUE, kommune TEXT, role TEXT NOT NULL,
                password_hash TEXT NOT NULL, disabled BOOLEAN NOT NULL DEFAULT FALSE, created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE session (
                secret_hash TEXT PRIMARY KEY, account BIGINT NOT NULL REFERENCES account (id), csrf_token TEXT NOT NULL,
                created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE api_token (
                id BIGSERIAL PRIMARY KEY, account BIGINT NOT NULL REFERENCES account (id), secret_hash TEXT NOT NULL UNIQUE,
                label TEXT NOT NULL, created_at TEXT NOT NULL, revoked BOOLEAN NOT NULL DEFAULT FALSE)
            """,
            """
            CREATE TABLE login_failure (
                id BIGSERIAL PRIMARY KEY, username TEXT NOT NULL, address TEXT NOT NULL, at BIGINT NOT NULL)
            """,
            "CREATE INDEX login_failure_user ON login_failure (username, at)",
        ]),
        Migration(id: "0003-kommune-audit", statements: [
            "ALTER TABLE audit ADD COLUMN kommune TEXT",
            "ALTER TABLE audit ADD COLUMN address TEXT",
            "CREATE INDEX audit_kommune ON audit (kommune, id)",
            """
            CREATE TABLE kommune_event (
                id BIGSERIAL PRIMARY KEY, kommune TEXT NOT NULL, kind TEXT NOT NULL, year INTEGER, as_of TEXT,
                author TEXT NOT NULL, at TEXT NOT NULL)
            """,
            "CREATE INDEX kommune_event_kommune ON kommune_event (kommune, id)",
            "CREATE TABLE store_revision (n BIGINT NOT NULL)",
            "INSERT INTO store_revision (n) VALUES (0)",
        ]),
        Migration(id: "0004-import-published", statements: [
            // When the source last updated a fetched table, as it says (`beskplan fetch`).
            "ALTER TABLE import ADD COLUMN published TEXT",
        ]),
        Migration(id: "0005-fetch-schedule", statements: [
            // Who runs the scheduled fetch (one process of many), and what each run did.
            "CREATE TABLE lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until BIGINT NOT NULL)",
            """
            CREATE TABLE fetch_run (
                id BIGSERIAL PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT NOT NULL, holder TEXT NOT NULL,
                requests INTEGER NOT NULL, failures INTEGER NOT NULL, errors TEXT NOT NULL)
            """,
        ]),
        Migration(id: "0006-login-failure-address", statements: [
            // Failed sign-ins from one address over every username (password spraying).
            "CREATE INDEX login_failure_address ON login_failure (address, at)",
        ]),
        Migration(id: "0007-approved-report", statements: [
            // A report as it was when its plan was approved or its follow-up made final.
            """
            CREATE TABLE approved_report (
                id BIGSERIAL PRIMARY KEY, kommune TEXT NOT NULL, year INTEGER NOT NULL, kind TEXT NOT NULL,
                plan_version INTEGER NOT NULL, as_of TEXT NOT NULL, generated TEXT NOT NULL, format TEXT NOT NULL,
                sha256 TEXT NOT NULL, content TEXT NOT NULL, author TEXT NOT NULL, at TEXT NOT NULL)
            """,
            "CREATE INDEX approved_report_plan ON approved_report (kommune, year, kind, id)",
        ]),
    ]
}
