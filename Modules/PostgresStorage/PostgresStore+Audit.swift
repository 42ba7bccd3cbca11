import BeskplanCore
import Foundation
import Logging
import PostgresNIO
import Storage

extension PostgresStore {
    // MARK: Audit

    public func revision() async throws -> String {
        try await withConnection { c in
            var stamp = ""
            for try await value in try await c.send(PostgresQuery(unsafeSQL: revisionSQL), logger: self.logger).decode(String.self) {
                stamp = value
            }
            return stamp
        }
    }

    public func auditLog(limit: Int, kommune: AreaCode?) async throws -> [AuditEntry] {
        try await withConnection { connection in
            let query: PostgresQuery = if let kommune {
                "SELECT \(unescaped: Self.auditColumns) FROM audit WHERE kommune = \(kommune.rawValue) ORDER BY id DESC LIMIT \(limit)"
            } else {
                "SELECT \(unescaped: Self.auditColumns) FROM audit ORDER BY id DESC LIMIT \(limit)"
            }
            return try await self.auditEntries(connection.send(query, logger: self.logger))
        }
    }

    public func fetchStamps() async throws -> [FetchStamp] {
        try await withConnection { connection in
            var result: [FetchStamp] = []
            for try await (source, fetchedAt, published) in try await connection.send(
                PostgresQuery(unsafeSQL: FetchStamp.query), logger: self.logger
            ).decode((String, String, String?).self) {
                result.append(FetchStamp(source: source, fetchedAt: fetchedAt, published: published))
            }
            return result
        }
    }

    static let auditColumns = "id, at, actor, action, subject, detail, kommune, address"

    func auditEntries(_ rows: PostgresRowSequence) async throws -> [AuditEntry] {
        var result: [AuditEntry] = []
        for try await (id, at, actor, action, subject, detail, kommune, address)
            in rows.decode((Int64, String, String, String, String, String, String?, String?).self)
        {
            result.append(AuditEntry(
                id: id, at: at, actor: actor, action: action, subject: subject, detail: detail, kommune: kommune.map { AreaCode($0) },
                address: address))
        }
        return result
    }

    /// One audit row, in the caller's transaction: the address and, unless the entry names its
    /// own, the kommune come from the task's `AuditScope`.
    func audit(
        _ connection: PostgresConnection, actor: String = ImportOrigin.defaultActor, action: AuditAction, subject: String,
        detail: String = "", kommune: AreaCode? = nil, scope: AuditScope = .current
    ) async throws {
        try await connection.send(
            """
            INSERT INTO audit (at, actor, action, subject, detail, kommune, address)
            VALUES (\(Audit.now()), \(actor), \(action.rawValue), \(subject), \(detail), \((kommune ?? scope.kommune)?.rawValue), \(scope.address))
            """, logger: logger)
        if !action.keepsRevision { try await connection.send(PostgresQuery(unsafeSQL: raiseRevisionSQL), logger: logger) }
    }
}
