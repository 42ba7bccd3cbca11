import Foundation
import PostgresNIO
import Storage

extension PostgresStore {
    public func acquireLease(_ name: String, holder: String, seconds: Int) async throws -> Bool {
        let now = Int64(Date().timeIntervalSince1970)
        return try await transaction { c in
            var binds = PostgresBindings()
            binds.append(name)
            binds.append(holder)
            binds.append(now + Int64(seconds))
            binds.append(now)
            try await c.send(PostgresQuery(unsafeSQL: FetchScheduleSQL.acquire, binds: binds), logger: self.logger)
            for try await current in try await c.send("SELECT holder FROM lease WHERE name = \(name)", logger: self.logger).decode(String.self) {
                return current == holder
            }
            return false
        }
    }

    public func releaseLease(_ name: String, holder: String) async throws {
        try await withConnection { c in
            _ = try await c.send("DELETE FROM lease WHERE name = \(name) AND holder = \(holder)", logger: self.logger)
        }
    }

    public func recordFetchRun(_ run: FetchRun) async throws {
        try await transaction { c in
            try await c.send(
                """
                INSERT INTO fetch_run (started_at, finished_at, holder, requests, failures, errors)
                VALUES (\(run.startedAt), \(run.finishedAt), \(run.holder), \(run.requests), \(run.failures), \(run.storedErrors))
                """, logger: self.logger)
            try await self.audit(
                c, actor: "beskplan-server", action: .fetchRun, subject: run.holder,
                detail: "\(run.requests - run.failures) of \(run.requests) requests imported")
        }
    }

    public func fetchRuns(limit: Int) async throws -> [FetchRun] {
        try await withConnection { c in
            var runs: [FetchRun] = []
            for try await (startedAt, finishedAt, holder, requests, failures, errors) in try await c.send(
                "SELECT started_at, finished_at, holder, requests, failures, errors FROM fetch_run ORDER BY id DESC LIMIT \(limit)",
                logger: self.logger
            ).decode((String, String, String, Int, Int, String).self) {
                runs.append(FetchRun(
                    startedAt: startedAt, finishedAt: finishedAt, holder: holder, requests: requests, failures: failures,
                    errors: FetchRun.errors(stored: errors)))
            }
            return runs
        }
    }
}
