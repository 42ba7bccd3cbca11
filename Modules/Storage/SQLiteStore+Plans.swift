import BeskplanCore
import Foundation
import GRDB

extension SQLiteStore {
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
                db, scope, actor: author, action: .planSave,
                subject: AuditSubject.plan(plan, version: info.version), detail: plan.title, kommune: plan.kommune)
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
                db, scope, actor: a.author, action: .assessmentSave, subject: AuditSubject.target(a),
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

    static func assessment(_ row: Row) -> Assessment {
        Assessment(
            kommune: row["kommune"], year: row["year"], target: row["target"], storedStatus: row["status"], note: row["note"],
            date: row["date"], author: row["author"])
    }

    // MARK: Kommune decisions

    public func recordEvent(_ event: KommuneEvent) async throws {
        let scope = AuditScope.current
        try await write { db in
            try db.execute(
                sql: "INSERT INTO kommune_event (kommune, kind, year, as_of, author, at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [event.kommune.rawValue, event.kind.rawValue, event.year, event.asOf, event.author, Audit.now()])
            try Audit.record(
                db, scope, actor: event.author, action: AuditAction(event.kind), subject: event.subject,
                kommune: event.kommune)
        }
    }

    public func events(kommune: AreaCode) async throws -> [KommuneEvent] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM kommune_event WHERE kommune = ? ORDER BY id", arguments: [kommune.rawValue])
                .compactMap(Self.event)
        }
    }

    public func saveApprovedReport(_ report: ApprovedReport) async throws {
        let scope = AuditScope.current
        try await write { db in
            try Self.insert(report, at: Audit.now(), db)
            try Audit.record(
                db, scope, actor: report.author, action: .reportApproved, subject: AuditSubject.report(report),
                detail: "sha256 \(report.sha256)", kommune: report.kommune)
        }
    }

    static func insert(_ r: ApprovedReport, at: String, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO approved_report (\(r.id == 0 ? "" : "id, ")kommune, year, kind, plan_version, as_of, generated, format, sha256, content, author, at)
                VALUES (\(r.id == 0 ? "" : "?, ")?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: StatementArguments((r.id == 0 ? [] : [r.id as (any DatabaseValueConvertible)?]) + [
                r.kommune.rawValue, r.year, r.kind, r.planVersion, r.asOf, r.generated, r.format, r.sha256, r.content, r.author, at,
            ]))
    }

    public func approvedReport(kommune: AreaCode, year: Int, kind: String) async throws -> ApprovedReport? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM approved_report WHERE kommune = ? AND year = ? AND kind = ? ORDER BY id DESC LIMIT 1",
                arguments: [kommune.rawValue, year, kind]
            ).map(Self.approvedReport)
        }
    }

    static func approvedReport(_ row: Row) -> ApprovedReport {
        ApprovedReport(
            id: row["id"], kommune: AreaCode(row["kommune"] as String), year: row["year"], kind: row["kind"],
            planVersion: row["plan_version"], asOf: row["as_of"], generated: row["generated"], format: row["format"],
            sha256: row["sha256"], content: row["content"], author: row["author"], at: row["at"])
    }

    static func event(_ row: Row) -> KommuneEvent? {
        KommuneEvent(
            id: row["id"], kommune: row["kommune"], storedKind: row["kind"], year: row["year"], asOf: row["as_of"], author: row["author"],
            at: row["at"])
    }
}
