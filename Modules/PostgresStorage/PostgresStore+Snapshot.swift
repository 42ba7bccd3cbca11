import BeskplanCore
import Foundation
import Logging
import PostgresNIO
import Storage

extension PostgresStore {
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
                    kommune: kommune, year: year, version: version, author: author, savedAt: savedAt, title: title, storedStatus: status)
                s.plans.append(.init(info: info, document: document))
            }
            for try await (id, kommune, year, target, status, note, date, author) in try await c.send(
                "SELECT id, kommune, year, target, status, note, date, author FROM assessment ORDER BY id", logger: self.logger
            ).decode((Int64, String, Int, String, String, String, String, String).self) {
                s.assessments.append(.init(id: id, assessment: Assessment(
                    kommune: kommune, year: year, target: target, storedStatus: status, note: note, date: date, author: author)))
            }
            s.audit = try await auditEntries(c.send(
                "SELECT \(unescaped: Self.auditColumns) FROM audit ORDER BY id", logger: self.logger))
            s.events = try await events(c.send(
                "SELECT \(unescaped: Self.eventColumns) FROM kommune_event ORDER BY id", logger: self.logger))
            s.reports = try await approvedReports(c.send(
                "SELECT \(unescaped: Self.reportColumns) FROM approved_report ORDER BY id", logger: self.logger))
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
            for r in s.reports { try await insert(r, at: r.at, c) }
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
            for table in ["import", "series", "audit", "assessment", "account", "api_token", "kommune_event", "approved_report"] {
                try await c.send(
                    PostgresQuery(unsafeSQL: "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), COALESCE((SELECT MAX(id) FROM \(table)), 0) + 1, false)"),
                    logger: self.logger)
            }
        }
    }
}
