import BeskplanCore
import Foundation
import GRDB

extension SQLiteStore {
    // MARK: Audit

    public func revision() async throws -> String {
        try await read { db in try String.fetchOne(db, sql: revisionSQL) ?? "" }
    }

    public func auditLog(limit: Int, kommune: AreaCode?) async throws -> [AuditEntry] {
        try await read { db in
            let rows = if let kommune {
                try Row.fetchAll(
                    db, sql: "SELECT * FROM audit WHERE kommune = ? ORDER BY id DESC LIMIT ?", arguments: [kommune.rawValue, limit])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit])
            }
            return rows.map(Self.auditEntry)
        }
    }

    public func fetchStamps() async throws -> [FetchStamp] {
        try await read { db in
            try Row.fetchAll(db, sql: FetchStamp.query).map {
                FetchStamp(source: $0["source"], fetchedAt: $0["fetched_at"], published: $0["published"])
            }
        }
    }

    static func auditEntry(_ row: Row) -> AuditEntry {
        AuditEntry(
            id: row["id"], at: row["at"], actor: row["actor"], action: row["action"], subject: row["subject"],
            detail: row["detail"], kommune: (row["kommune"] as String?).map { AreaCode($0) }, address: row["address"])
    }
}
