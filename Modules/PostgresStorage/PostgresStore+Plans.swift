import BeskplanCore
import Foundation
import Logging
import PostgresNIO
import Storage

extension PostgresStore {
    // MARK: Plans

    @discardableResult
    public func savePlan(_ plan: Plan, author: String, expecting: Int?) async throws -> PlanVersionInfo {
        let document = try PlanDocument.encode(plan)
        return try await transaction { connection in
            // Versions of one plan are numbered one at a time, whichever process saves.
            try await connection.send(
                "SELECT pg_advisory_xact_lock(hashtext(\(plan.kommune.rawValue + "/" + String(plan.year))))", logger: self.logger)
            var latest = 0
            for try await version in try await connection.send(
                "SELECT COALESCE(MAX(version), 0) FROM plan_version WHERE kommune = \(plan.kommune.rawValue) AND year = \(plan.year)",
                logger: self.logger
            ).decode(Int.self) { latest = version }
            if let expecting, expecting != latest { throw PlanVersionConflict(expected: expecting, current: latest) }
            let info = PlanVersionInfo(
                kommune: plan.kommune, year: plan.year, version: latest + 1, author: author, savedAt: Audit.now(),
                title: plan.title, status: plan.status)
            try await connection.send(
                """
                INSERT INTO plan_version (kommune, year, version, author, saved_at, title, status, document)
                VALUES (\(info.kommune.rawValue), \(info.year), \(info.version), \(author), \(info.savedAt), \(info.title),
                        \(info.status.rawValue), \(document))
                """, logger: self.logger)
            try await self.audit(
                connection, actor: author, action: .planSave, subject: AuditSubject.plan(plan, version: info.version),
                detail: plan.title, kommune: plan.kommune)
            return info
        }
    }

    public func currentPlan(kommune: AreaCode, year: Int) async throws -> StoredPlan? {
        try await fetchPlans(
            """
            SELECT \(unescaped: Self.planColumns), document FROM plan_version WHERE kommune = \(kommune.rawValue) AND year = \(year)
            ORDER BY version DESC LIMIT 1
            """
        ).first
    }

    public func plan(kommune: AreaCode, year: Int, version: Int) async throws -> StoredPlan? {
        try await fetchPlans(
            """
            SELECT \(unescaped: Self.planColumns), document FROM plan_version
            WHERE kommune = \(kommune.rawValue) AND year = \(year) AND version = \(version)
            """
        ).first
    }

    public func planVersions(kommune: AreaCode, year: Int) async throws -> [PlanVersionInfo] {
        try await fetchPlans(
            """
            SELECT \(unescaped: Self.planColumns), '' FROM plan_version WHERE kommune = \(kommune.rawValue) AND year = \(year)
            ORDER BY version
            """, decodeDocument: false
        ).map(\.info)
    }

    public func plans() async throws -> [PlanVersionInfo] {
        try await fetchPlans(
            """
            SELECT \(unescaped: Self.planColumns), '' FROM plan_version p
            WHERE version = (SELECT MAX(version) FROM plan_version q WHERE q.kommune = p.kommune AND q.year = p.year)
            ORDER BY kommune COLLATE "C", year
            """, decodeDocument: false
        ).map(\.info)
    }

    static let planColumns = "kommune, year, version, author, saved_at, title, status"

    func fetchPlans(_ query: PostgresQuery, decodeDocument: Bool = true) async throws -> [StoredPlan] {
        try await withConnection { connection in
            var plans: [StoredPlan] = []
            let rows = try await connection.send(query, logger: self.logger)
            for try await (kommune, year, version, author, savedAt, title, status, document)
                in rows.decode((String, Int, Int, String, String, String, String, String).self)
            {
                let info = PlanVersionInfo(
                    kommune: kommune, year: year, version: version, author: author, savedAt: savedAt, title: title, storedStatus: status)
                let plan = decodeDocument
                    ? try PlanDocument.decode(document)
                    : Plan(kommune: info.kommune, year: year, title: title, goals: [])
                plans.append(StoredPlan(info: info, plan: plan))
            }
            return plans
        }
    }

    // MARK: Assessments

    public func saveAssessment(_ a: Assessment) async throws {
        try await transaction { connection in
            try await connection.send(
                """
                INSERT INTO assessment (kommune, year, target, status, note, date, author)
                VALUES (\(a.kommune.rawValue), \(a.year), \(a.target), \(a.status.rawValue), \(a.note), \(a.date), \(a.author))
                """, logger: self.logger)
            try await self.audit(
                connection, actor: a.author, action: .assessmentSave, subject: AuditSubject.target(a),
                detail: a.status.rawValue, kommune: a.kommune)
        }
    }

    public func assessments(kommune: AreaCode, year: Int) async throws -> [Assessment] {
        try await withConnection { connection in
            let rows = try await connection.send(
                """
                SELECT kommune, year, target, status, note, date, author FROM assessment a
                WHERE kommune = \(kommune.rawValue) AND year = \(year)
                AND id = (SELECT MAX(id) FROM assessment b WHERE b.kommune = a.kommune AND b.year = a.year AND b.target = a.target)
                ORDER BY target COLLATE "C"
                """, logger: self.logger)
            return try await Self.assessments(rows)
        }
    }

    public func assessmentHistory(kommune: AreaCode, year: Int, target: String) async throws -> [Assessment] {
        try await withConnection { connection in
            try await Self.assessments(connection.send(
                """
                SELECT kommune, year, target, status, note, date, author FROM assessment
                WHERE kommune = \(kommune.rawValue) AND year = \(year) AND target = \(target) ORDER BY id DESC
                """, logger: self.logger))
        }
    }

    static func assessments(_ rows: PostgresRowSequence) async throws -> [Assessment] {
        var result: [Assessment] = []
        for try await (kommune, year, target, status, note, date, author)
            in rows.decode((String, Int, String, String, String, String, String).self)
        {
            result.append(Assessment(
                kommune: kommune, year: year, target: target, storedStatus: status, note: note, date: date, author: author))
        }
        return result
    }

    // MARK: Kommune decisions

    public func recordEvent(_ event: KommuneEvent) async throws {
        try await transaction { c in
            try await c.send(
                """
                INSERT INTO kommune_event (kommune, kind, year, as_of, author, at)
                VALUES (\(event.kommune.rawValue), \(event.kind.rawValue), \(event.year), \(event.asOf), \(event.author), \(Audit.now()))
                """, logger: self.logger)
            try await self.audit(
                c, actor: event.author, action: AuditAction(event.kind), subject: event.subject, kommune: event.kommune)
        }
    }

    public func events(kommune: AreaCode) async throws -> [KommuneEvent] {
        try await withConnection { c in
            try await self.events(c.send(
                "SELECT \(unescaped: Self.eventColumns) FROM kommune_event WHERE kommune = \(kommune.rawValue) ORDER BY id",
                logger: self.logger))
        }
    }

    static let eventColumns = "id, kommune, kind, year, as_of, author, at"

    public func saveApprovedReport(_ report: ApprovedReport) async throws {
        try await transaction { c in
            try await self.insert(report, at: Audit.now(), c)
            try await self.audit(
                c, actor: report.author, action: .reportApproved, subject: AuditSubject.report(report),
                detail: "sha256 \(report.sha256)", kommune: report.kommune)
        }
    }

    func insert(_ r: ApprovedReport, at: String, _ c: PostgresConnection) async throws {
        if r.id == 0 {
            try await c.send(
                """
                INSERT INTO approved_report (kommune, year, kind, plan_version, as_of, generated, format, sha256, content, author, at)
                VALUES (\(r.kommune.rawValue), \(r.year), \(r.kind), \(r.planVersion), \(r.asOf), \(r.generated), \(r.format),
                        \(r.sha256), \(r.content), \(r.author), \(at))
                """, logger: logger)
        } else {
            try await c.send(
                """
                INSERT INTO approved_report (id, kommune, year, kind, plan_version, as_of, generated, format, sha256, content, author, at)
                VALUES (\(r.id), \(r.kommune.rawValue), \(r.year), \(r.kind), \(r.planVersion), \(r.asOf), \(r.generated), \(r.format),
                        \(r.sha256), \(r.content), \(r.author), \(at))
                """, logger: logger)
        }
    }

    public func approvedReport(kommune: AreaCode, year: Int, kind: String) async throws -> ApprovedReport? {
        try await withConnection { c in
            try await self.approvedReports(c.send(
                """
                SELECT \(unescaped: Self.reportColumns) FROM approved_report
                WHERE kommune = \(kommune.rawValue) AND year = \(year) AND kind = \(kind) ORDER BY id DESC LIMIT 1
                """, logger: self.logger)).first
        }
    }

    static let reportColumns = "id, kommune, year, kind, plan_version, as_of, generated, format, sha256, content, author, at"

    func approvedReports(_ rows: PostgresRowSequence) async throws -> [ApprovedReport] {
        var result: [ApprovedReport] = []
        for try await (id, kommune, year, kind, version, asOf, generated, format, sha256, content, author, at) in rows.decode(
            (Int64, String, Int, String, Int, String, String, String, String, String, String, String).self)
        {
            result.append(ApprovedReport(
                id: id, kommune: AreaCode(kommune), year: year, kind: kind, planVersion: version, asOf: asOf, generated: generated,
                format: format, sha256: sha256, content: content, author: author, at: at))
        }
        return result
    }

    func events(_ rows: PostgresRowSequence) async throws -> [KommuneEvent] {
        var result: [KommuneEvent] = []
        for try await (id, kommune, kind, year, asOf, author, at) in rows.decode((Int64, String, String, Int?, String?, String, String).self) {
            if let event = KommuneEvent(id: id, kommune: kommune, storedKind: kind, year: year, asOf: asOf, author: author, at: at) {
                result.append(event)
            }
        }
        return result
    }
}
