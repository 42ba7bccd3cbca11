import Foundation
import GRDB

extension SQLiteStore {
    public func acquireLease(_ name: String, holder: String, seconds: Int) async throws -> Bool {
        let now = Int64(Date().timeIntervalSince1970)
        return try await write { db in
            try db.execute(sql: FetchScheduleSQL.acquire.replacingOccurrences(of: "$", with: "?"), arguments: [name, holder, now + Int64(seconds), now])
            return try String.fetchOne(db, sql: "SELECT holder FROM lease WHERE name = ?", arguments: [name]) == holder
        }
    }

    public func releaseLease(_ name: String, holder: String) async throws {
        try await write { db in try db.execute(sql: "DELETE FROM lease WHERE name = ? AND holder = ?", arguments: [name, holder]) }
    }

    public func recordFetchRun(_ run: FetchRun) async throws {
        let scope = AuditScope.current
        try await write { db in
            try db.execute(
                sql: "INSERT INTO fetch_run (started_at, finished_at, holder, requests, failures, errors) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [run.startedAt, run.finishedAt, run.holder, run.requests, run.failures, run.storedErrors])
            try Audit.record(
                db, scope, actor: "beskplan-server", action: .fetchRun, subject: run.holder,
                detail: "\(run.requests - run.failures) of \(run.requests) requests imported")
        }
    }

    public func fetchRuns(limit: Int) async throws -> [FetchRun] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM fetch_run ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
                let errors: String = $0["errors"]
                return FetchRun(
                    startedAt: $0["started_at"], finishedAt: $0["finished_at"], holder: $0["holder"], requests: $0["requests"],
                    failures: $0["failures"], errors: FetchRun.errors(stored: errors))
            }
        }
    }
}
