import BeskplanCore
import Foundation
import GRDB

extension SQLiteStore {
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
                StoreSnapshot.AssessmentRow(id: $0["id"], assessment: Self.assessment($0))
            }
            s.audit = try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id").map(Self.auditEntry)
            s.events = try Row.fetchAll(db, sql: "SELECT * FROM kommune_event ORDER BY id").compactMap(Self.event)
            s.reports = try Row.fetchAll(db, sql: "SELECT * FROM approved_report ORDER BY id").map(Self.approvedReport)
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
            for r in s.reports { try Self.insert(r, at: r.at, db) }
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
}
