import Foundation
import BeskplanCore
import PostgresNIO
import Storage

extension PostgresStore {
    @discardableResult
    public func addAccount(_ account: Account, actor: String) async throws -> Account {
        try await transaction { c in
            var saved = account
            saved.createdAt = Audit.now()
            let rows = try await c.send(
                """
                INSERT INTO account (username, kommune, role, password_hash, disabled, created_at)
                VALUES (\(account.username), \(account.kommune?.rawValue), \(account.role.rawValue), \(account.passwordHash),
                        \(account.disabled), \(saved.createdAt))
                ON CONFLICT (username) DO NOTHING RETURNING id
                """, logger: self.logger)
            var id: Int64?
            for try await value in rows.decode(Int64.self) { id = value }
            guard let id else { throw StoreError("a user named '\(account.username)' exists already") }
            saved.id = id
            try await self.audit(
                c, actor: actor, action: .userAdd, subject: AuditSubject.user(account.username),
                detail: "\(account.role.rawValue) \(account.kommune?.rawValue ?? "-")", kommune: account.kommune)
            return saved
        }
    }

    public func account(username: String) async throws -> Account? {
        try await fetchAccounts("SELECT \(unescaped: Self.accountColumns) FROM account WHERE username = \(username)").first
    }

    public func account(id: Int64) async throws -> Account? {
        try await fetchAccounts("SELECT \(unescaped: Self.accountColumns) FROM account WHERE id = \(id)").first
    }

    public func accounts(kommune: AreaCode?) async throws -> [Account] {
        if let kommune {
            try await fetchAccounts(
                "SELECT \(unescaped: Self.accountColumns) FROM account WHERE kommune = \(kommune.rawValue) ORDER BY username COLLATE \"C\"")
        } else {
            try await fetchAccounts("SELECT \(unescaped: Self.accountColumns) FROM account ORDER BY username COLLATE \"C\"")
        }
    }

    public func updateAccount(_ account: Account, action: AuditAction, actor: String) async throws {
        try await transaction { c in
            try await c.send(
                """
                UPDATE account SET role = \(account.role.rawValue), password_hash = \(account.passwordHash),
                disabled = \(account.disabled) WHERE id = \(account.id)
                """, logger: self.logger)
            try await self.audit(c, actor: actor, action: action, subject: AuditSubject.user(account.username), kommune: account.kommune)
        }
    }

    private static let accountColumns = "id, username, kommune, role, password_hash, disabled, created_at"

    private func fetchAccounts(_ query: PostgresQuery) async throws -> [Account] {
        try await withConnection { c in
            var result: [Account] = []
            for try await (id, username, kommune, role, hash, disabled, createdAt) in try await c.send(query, logger: self.logger)
                .decode((Int64, String, String?, String, String, Bool, String).self)
            {
                result.append(Account(
                    id: id, username: username, kommune: kommune, storedRole: role, passwordHash: hash, disabled: disabled,
                    createdAt: createdAt))
            }
            return result
        }
    }

    // MARK: Sessions

    public func addSession(_ s: SessionRecord) async throws {
        try await withConnection { c in
            _ = try await c.send(
                """
                INSERT INTO session (secret_hash, account, csrf_token, created_at, last_seen_at)
                VALUES (\(s.secretHash), \(s.accountID), \(s.csrfToken), \(s.createdAt), \(s.lastSeenAt))
                """, logger: self.logger)
        }
    }

    public func session(secretHash: String) async throws -> SessionRecord? {
        try await withConnection { c in
            var found: SessionRecord?
            for try await (hash, account, csrf, created, seen) in try await c.send(
                "SELECT secret_hash, account, csrf_token, created_at, last_seen_at FROM session WHERE secret_hash = \(secretHash)",
                logger: self.logger
            ).decode((String, Int64, String, Int64, Int64).self) {
                found = SessionRecord(secretHash: hash, accountID: account, csrfToken: csrf, createdAt: created, lastSeenAt: seen)
            }
            return found
        }
    }

    public func touchSession(secretHash: String, at: Int64) async throws {
        try await execute("UPDATE session SET last_seen_at = \(at) WHERE secret_hash = \(secretHash)")
    }

    public func removeSession(secretHash: String) async throws {
        try await execute("DELETE FROM session WHERE secret_hash = \(secretHash)")
    }

    public func removeSessions(accountID: Int64) async throws {
        try await execute("DELETE FROM session WHERE account = \(accountID)")
    }

    // MARK: Tokens

    public func addToken(accountID: Int64, secretHash: String, label: String, actor: String) async throws -> Int64 {
        try await transaction { c in
            var id: Int64 = 0
            for try await value in try await c.send(
                """
                INSERT INTO api_token (account, secret_hash, label, created_at)
                VALUES (\(accountID), \(secretHash), \(label), \(Audit.now())) RETURNING id
                """, logger: self.logger
            ).decode(Int64.self) { id = value }
            try await self.audit(
                c, actor: actor, action: .tokenCreate, subject: AuditSubject.token(id), detail: label,
                kommune: try await self.tokenKommune(c, "SELECT kommune FROM account WHERE id = \(accountID)"))
            return id
        }
    }

    /// The kommune of a token's user, for its audit row.
    private func tokenKommune(_ c: PostgresConnection, _ query: PostgresQuery) async throws -> AreaCode? {
        var kommune: String?
        for try await value in try await c.send(query, logger: logger).decode(String?.self) { kommune = value }
        return kommune.map { AreaCode($0) }
    }

    public func tokenAccount(secretHash: String) async throws -> Account? {
        try await fetchAccounts(
            """
            SELECT \(unescaped: Self.accountColumns.split(separator: ",").map { "a." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
            FROM api_token t JOIN account a ON a.id = t.account WHERE t.secret_hash = \(secretHash) AND NOT t.revoked
            """
        ).first
    }

    public func tokens(accountID: Int64) async throws -> [TokenInfo] {
        try await withConnection { c in
            var result: [TokenInfo] = []
            for try await (id, account, label, createdAt, revoked) in try await c.send(
                "SELECT id, account, label, created_at, revoked FROM api_token WHERE account = \(accountID) ORDER BY id",
                logger: self.logger
            ).decode((Int64, Int64, String, String, Bool).self) {
                result.append(TokenInfo(id: id, accountID: account, label: label, createdAt: createdAt, revoked: revoked))
            }
            return result
        }
    }

    public func revokeToken(id: Int64, actor: String) async throws {
        try await transaction { c in
            var found = false
            for try await _ in try await c.send(
                "UPDATE api_token SET revoked = TRUE WHERE id = \(id) RETURNING id", logger: self.logger
            ).decode(Int64.self) { found = true }
            guard found else { throw StoreError("no token \(id)") }
            try await self.audit(
                c, actor: actor, action: .tokenRevoke, subject: AuditSubject.token(id),
                kommune: try await self.tokenKommune(
                    c, "SELECT a.kommune FROM api_token t JOIN account a ON a.id = t.account WHERE t.id = \(id)"))
        }
    }

    // MARK: Logins

    public func beginLogin(username: String, address: String, at: Int64, since: Int64) async throws -> LoginAttempt {
        try await transaction { c in
            // One attempt per username, and then per address, at a time, whichever process it reached
            // (always in that order, and one of each, so two attempts never wait for each other in a ring).
            try await c.send("SELECT pg_advisory_xact_lock(hashtext(\("login:" + username)))", logger: self.logger)
            try await c.send("SELECT pg_advisory_xact_lock(hashtext(\("login-address:" + address)))", logger: self.logger)
            try await c.send("DELETE FROM login_failure WHERE at < \(at - 86_400)", logger: self.logger)
            var id: Int64 = 0
            for try await value in try await c.send(
                "INSERT INTO login_failure (username, address, at) VALUES (\(username), \(address), \(at)) RETURNING id",
                logger: self.logger
            ).decode(Int64.self) { id = value }
            var counts = (0, 0)
            for try await (fromAddress, overall) in try await c.send(
                """
                SELECT COUNT(*) FILTER (WHERE address = \(address))::bigint, COUNT(*)::bigint
                FROM login_failure WHERE username = \(username) AND at >= \(since)
                """, logger: self.logger
            ).decode((Int64, Int64).self) { counts = (Int(fromAddress), Int(overall)) }
            var fromAddressAnyUser = 0
            for try await count in try await c.send(
                "SELECT COUNT(*)::bigint FROM login_failure WHERE address = \(address) AND at >= \(since)", logger: self.logger
            ).decode(Int64.self) { fromAddressAnyUser = Int(count) }
            return LoginAttempt(
                id: id, username: username, address: address, fromAddress: counts.0, overall: counts.1,
                fromAddressAnyUser: fromAddressAnyUser)
        }
    }

    public func endLogin(_ attempt: LoginAttempt, succeeded: Bool) async throws {
        try await withConnection { c in
            if succeeded {
                try await c.send("DELETE FROM login_failure WHERE id = \(attempt.id)", logger: self.logger)
            } else {
                try await self.audit(
                    c, actor: attempt.username, action: .loginFailed, subject: AuditSubject.user(attempt.username),
                    detail: "from \(attempt.address)")
            }
        }
    }

    public func purgeSessions(seenBefore: Int64, createdBefore: Int64) async throws {
        try await execute("DELETE FROM session WHERE last_seen_at < \(seenBefore) OR created_at < \(createdBefore)")
    }

    public func appendAudit(actor: String, action: AuditAction, subject: String, detail: String) async throws {
        try await withConnection { c in _ = try await self.audit(c, actor: actor, action: action, subject: subject, detail: detail) }
    }

    private func execute(_ query: PostgresQuery) async throws {
        try await withConnection { c in _ = try await c.send(query, logger: self.logger) }
    }
}
