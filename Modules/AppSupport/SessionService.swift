import Storage

/// Signed-in browsers and sign-in attempts, kept in the store so that every server process on
/// the database knows them: a session lives `idle` seconds after it was last seen and at most
/// `lifetime` seconds in all, by the environment's clock.
public struct SessionService: Sendable {
    let environment: AppEnvironment
    public let idle: Int64
    public let lifetime: Int64

    public init(_ environment: AppEnvironment, idle: Int64, lifetime: Int64) {
        self.environment = environment
        self.idle = idle
        self.lifetime = lifetime
    }

    private var store: any Store { environment.store }

    /// Now, in whole seconds.
    public var now: Int64 { environment.clock.seconds }

    /// A live session: its user, its CSRF token, and when it must be looked at again.
    public struct Live: Sendable {
        public let account: Account
        public let secretHash: String
        public let csrfToken: String
        /// A session is seen once a minute, and may expire before then.
        public let recheckAt: Int64
    }

    /// The session a cookie's secret belongs to, if it lives and its user is enabled; an expired one ends.
    public func live(secret: String) async throws -> Live? {
        let hash = AccountService.hash(secret)
        guard let session = try await store.session(secretHash: hash) else { return nil }
        let now = now
        guard now - session.lastSeenAt < idle, now - session.createdAt < lifetime else {
            try await store.removeSession(secretHash: hash)
            return nil
        }
        guard let account = try await store.account(id: session.accountID), !account.disabled else { return nil }
        // Seen again: one write a minute at most, not one per request.
        if now - session.lastSeenAt >= 60 { try await store.touchSession(secretHash: hash, at: now) }
        let seen = now - session.lastSeenAt >= 60 ? now : session.lastSeenAt
        return Live(
            account: account, secretHash: hash, csrfToken: session.csrfToken,
            recheckAt: min(seen + 60, seen + idle, session.createdAt + lifetime))
    }

    /// Starts a session for `account`, ending `previous` (the one the browser signed in from) and
    /// any that have expired; the new secret (for the cookie) and CSRF token.
    public func start(for account: Account, replacing previous: String?, address: String) async throws -> (secret: String, csrfToken: String) {
        if let previous { try await store.removeSession(secretHash: previous) }
        let now = now
        try await store.purgeSessions(seenBefore: now - idle, createdBefore: now - lifetime)
        let secret = AccountService.newSecret()
        let csrf = AccountService.newSecret()
        try await store.addSession(SessionRecord(
            secretHash: AccountService.hash(secret), accountID: account.id, csrfToken: csrf, createdAt: now, lastSeenAt: now))
        try await store.appendAudit(actor: account.username, action: .login, subject: AuditSubject.user(account.username), detail: "from \(address)")
        return (secret, csrf)
    }

    /// Ends a session, with its audit row.
    public func end(secretHash: String, of account: Account, address: String) async throws {
        try await store.removeSession(secretHash: secretHash)
        try await store.appendAudit(actor: account.username, action: .logout, subject: AuditSubject.user(account.username), detail: "from \(address)")
    }

    /// The kommune of a user by name, if there is one: a sign-in's audit rows belong to it.
    public func kommune(ofUser username: String) async throws -> AreaCode? {
        try await store.account(username: username)?.kommune
    }

    /// Records a sign-in attempt before its password is checked, counting those of the last 15 minutes.
    public func beginAttempt(username: String, address: String) async throws -> LoginAttempt {
        let now = now
        return try await store.beginLogin(username: username, address: address, at: now, since: now - 15 * 60)
    }

    /// Forgets an attempt refused by the throttle before its password was checked: it is no guess,
    /// so it neither counts nor pushes the window on (a locked-out office is free again 15 minutes
    /// after its last real failure, however often it tried meanwhile).
    /// It is audited all the same.
    public func dropAttempt(_ attempt: LoginAttempt) async throws {
        try await store.endLogin(attempt, succeeded: true)
        try await store.appendAudit(
            actor: attempt.username, action: .loginFailed, subject: AuditSubject.user(attempt.username), detail: "from \(attempt.address) (throttled)")
    }

    /// Settles an attempt: a failure stays counted and is audited.
    public func endAttempt(_ attempt: LoginAttempt, succeeded: Bool) async throws {
        try await store.endLogin(attempt, succeeded: succeeded)
    }
}
