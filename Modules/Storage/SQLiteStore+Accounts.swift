import BeskplanCore
import GRDB

extension SQLiteStore {
    @discardableResult
    public func addAccount(_ account: Account, actor: String) async throws -> Account {
        let scope = AuditScope.current
        return try await write { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM account WHERE username = ?", arguments: [account.username]) == nil
            else { throw StoreError("a user named '\(account.username)' exists already") }
            var saved = account
            saved.createdAt = Audit.now()
            try db.execute(
                sql: """
                    INSERT INTO account (username, kommune, role, password_hash, disabled, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    account.username, account.kommune?.rawValue, account.role.rawValue, account.passwordHash, account.disabled,
                    saved.createdAt,
                ])
            saved.id = db.lastInsertedRowID
            try Audit.record(
                db, scope, actor: actor, action: .userAdd, subject: AuditSubject.user(account.username),
                detail: "\(account.role.rawValue) \(account.kommune?.rawValue ?? "-")", kommune: account.kommune)
            return saved
        }
    }

    public func account(username: String) async throws -> Account? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE username = ?", arguments: [username]).map(Self.account)
        }
    }

    public func account(id: Int64) async throws -> Account? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [id]).map(Self.account) }
    }

    public func accounts(kommune: AreaCode?) async throws -> [Account] {
        try await read { db in
            let rows = if let kommune {
                try Row.fetchAll(db, sql: "SELECT * FROM account WHERE kommune = ? ORDER BY username", arguments: [kommune.rawValue])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY username")
            }
            return rows.map(Self.account)
        }
    }

    public func updateAccount(_ account: Account, action: AuditAction, actor: String) async throws {
        let scope = AuditScope.current
        try await write { db in
            try db.execute(
                sql: "UPDATE account SET role = ?, password_hash = ?, disabled = ? WHERE id = ?",
                arguments: [account.role.rawValue, account.passwordHash, account.disabled, account.id])
            try Audit.record(db, scope, actor: actor, action: action, subject: AuditSubject.user(account.username), kommune: account.kommune)
        }
    }

    static func account(_ row: Row) -> Account {
        Account(
            id: row["id"], username: row["username"], kommune: row["kommune"], storedRole: row["role"],
            passwordHash: row["password_hash"], disabled: row["disabled"], createdAt: row["created_at"])
    }

    // MARK: Sessions

    public func addSession(_ s: SessionRecord) async throws {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO session (secret_hash, account, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [s.secretHash, s.accountID, s.csrfToken, s.createdAt, s.lastSeenAt])
        }
    }

    public func session(secretHash: String) async throws -> SessionRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM session WHERE secret_hash = ?", arguments: [secretHash]).map {
                SessionRecord(
                    secretHash: $0["secret_hash"], accountID: $0["account"], csrfToken: $0["csrf_token"],
                    createdAt: $0["created_at"], lastSeenAt: $0["last_seen_at"])
            }
        }
    }

    public func touchSession(secretHash: String, at: Int64) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE session SET last_seen_at = ? WHERE secret_hash = ?", arguments: [at, secretHash])
        }
    }

    public func removeSession(secretHash: String) async throws {
        try await write { db in try db.execute(sql: "DELETE FROM session WHERE secret_hash = ?", arguments: [secretHash]) }
    }

    public func removeSessions(accountID: Int64) async throws {
        try await write { db in try db.execute(sql: "DELETE FROM session WHERE account = ?", arguments: [accountID]) }
    }

    // MARK: Tokens

    public func addToken(accountID: Int64, secretHash: String, label: String, actor: String) async throws -> Int64 {
        let scope = AuditScope.current
        return try await write { db in
            try db.execute(
                sql: "INSERT INTO api_token (account, secret_hash, label, created_at) VALUES (?, ?, ?, ?)",
                arguments: [accountID, secretHash, label, Audit.now()])
            let id = db.lastInsertedRowID
            let kommune = try String.fetchOne(db, sql: "SELECT kommune FROM account WHERE id = ?", arguments: [accountID])
            try Audit.record(
                db, scope, actor: actor, action: .tokenCreate, subject: AuditSubject.token(id), detail: label, kommune: kommune.map { AreaCode($0) })
            return id
        }
    }

    public func tokenAccount(secretHash: String) async throws -> Account? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT a.* FROM api_token t JOIN account a ON a.id = t.account WHERE t.secret_hash = ? AND t.revoked = 0",
                arguments: [secretHash]
            ).map(Self.account)
        }
    }

    public func tokens(accountID: Int64) async throws -> [TokenInfo] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_token WHERE account = ? ORDER BY id", arguments: [accountID]).map {
                TokenInfo(id: $0["id"], accountID: $0["account"], label: $0["label"], createdAt: $0["created_at"], revoked: $0["revoked"])
            }
        }
    }

    public func revokeToken(id: Int64, actor: String) async throws {
        let scope = AuditScope.current
        try await write { db in
            try db.execute(sql: "UPDATE api_token SET revoked = 1 WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw StoreError("no token \(id)") }
            let kommune = try String.fetchOne(
                db, sql: "SELECT a.kommune FROM api_token t JOIN account a ON a.id = t.account WHERE t.id = ?", arguments: [id])
            try Audit.record(db, scope, actor: actor, action: .tokenRevoke, subject: AuditSubject.token(id), kommune: kommune.map { AreaCode($0) })
        }
    }

    // MARK: Logins

    public func beginLogin(username: String, address: String, at: Int64, since: Int64) async throws -> LoginAttempt {
        try await write { db in
            try db.execute(sql: "DELETE FROM login_failure WHERE at < ?", arguments: [at - 86_400])
            try db.execute(
                sql: "INSERT INTO login_failure (username, address, at) VALUES (?, ?, ?)", arguments: [username, address, at])
            let id = db.lastInsertedRowID
            let fromAddress = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM login_failure WHERE username = ? AND address = ? AND at >= ?",
                arguments: [username, address, since]) ?? 0
            let overall = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM login_failure WHERE username = ? AND at >= ?", arguments: [username, since]) ?? 0
            let fromAddressAnyUser = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM login_failure WHERE address = ? AND at >= ?", arguments: [address, since]) ?? 0
            return LoginAttempt(
                id: id, username: username, address: address, fromAddress: fromAddress, overall: overall,
                fromAddressAnyUser: fromAddressAnyUser)
        }
    }

    public func endLogin(_ attempt: LoginAttempt, succeeded: Bool) async throws {
        let scope = AuditScope.current
        try await write { db in
            if succeeded {
                try db.execute(sql: "DELETE FROM login_failure WHERE id = ?", arguments: [attempt.id])
            } else {
                try Audit.record(
                    db, scope, actor: attempt.username, action: .loginFailed, subject: AuditSubject.user(attempt.username),
                    detail: "from \(attempt.address)")
            }
        }
    }

    public func purgeSessions(seenBefore: Int64, createdBefore: Int64) async throws {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM session WHERE last_seen_at < ? OR created_at < ?", arguments: [seenBefore, createdBefore])
        }
    }

    public func appendAudit(actor: String, action: AuditAction, subject: String, detail: String) async throws {
        let scope = AuditScope.current
        try await write { db in try Audit.record(db, scope, actor: actor, action: action, subject: subject, detail: detail) }
    }
}
