import BeskplanCore

/// Someone who signs in to the server: a user of one kommune with one role there, or an
/// installation operator (no kommune). The password is only ever held as its bcrypt hash.
public struct Account: Sendable, Hashable {
    /// What a user may do (DESIGN §14); the table of who may do what lives in the Server module.
    public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
        case viewer, updater, editor, admin, `operator`
    }

    public var id: Int64
    public var username: String
    /// The kommune the user belongs to; `nil` for an operator.
    public var kommune: AreaCode?
    public var role: Role
    public var passwordHash: String
    public var disabled: Bool
    public var createdAt: String

    public init(
        id: Int64 = 0, username: String, kommune: AreaCode?, role: Role, passwordHash: String, disabled: Bool = false,
        createdAt: String = ""
    ) {
        self.id = id
        self.username = username
        self.kommune = kommune
        self.role = role
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.createdAt = createdAt
    }
}

extension Account {
    /// An account as a store holds it: a role this version does not know lets its user in
    /// nowhere (read as a disabled viewer), in every store alike.
    package init(
        id: Int64, username: String, kommune: String?, storedRole: String, passwordHash: String, disabled: Bool, createdAt: String
    ) {
        let role = Role(rawValue: storedRole)
        self.init(
            id: id, username: username, kommune: kommune.map { AreaCode($0) }, role: role ?? .viewer, passwordHash: passwordHash,
            disabled: disabled || role == nil, createdAt: createdAt)
    }
}

/// A signed-in browser. The cookie holds a random secret; the store keeps only its SHA-256.
public struct SessionRecord: Sendable, Hashable {
    public var secretHash: String
    public var accountID: Int64
    /// The token a cookie-authenticated write must echo (`X-CSRF-Token`).
    public var csrfToken: String
    /// Seconds since 1970, for the absolute and the idle expiry.
    public var createdAt: Int64
    public var lastSeenAt: Int64

    public init(secretHash: String, accountID: Int64, csrfToken: String, createdAt: Int64, lastSeenAt: Int64) {
        self.secretHash = secretHash
        self.accountID = accountID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }
}

/// An API token for scripts, as listed: never the token itself, which is shown once.
public struct TokenInfo: Sendable, Hashable {
    public var id: Int64
    public var accountID: Int64
    public var label: String
    public var createdAt: String
    public var revoked: Bool

    public init(id: Int64, accountID: Int64, label: String, createdAt: String, revoked: Bool) {
        self.id = id
        self.accountID = accountID
        self.label = label
        self.createdAt = createdAt
        self.revoked = revoked
    }
}

/// One sign-in attempt, counted: from its address, and for its username from anywhere.
public struct LoginAttempt: Sendable, Hashable {
    public var id: Int64
    public var username: String
    public var address: String
    /// Recent failures (this attempt included) for the username from the address,
    public var fromAddress: Int
    /// for the username from anywhere,
    public var overall: Int
    /// and from the address for any username.
    public var fromAddressAnyUser: Int

    public init(id: Int64, username: String, address: String, fromAddress: Int, overall: Int, fromAddressAnyUser: Int) {
        self.id = id
        self.username = username
        self.address = address
        self.fromAddress = fromAddress
        self.overall = overall
        self.fromAddressAnyUser = fromAddressAnyUser
    }
}

/// Users, sessions, API tokens and failed logins: what several server processes on one
/// database must share.
public protocol AccountStore: Sendable {
    /// Adds a user; a username that exists is an error.
    @discardableResult
    func addAccount(_ account: Account, actor: String) async throws -> Account
    func account(username: String) async throws -> Account?
    func account(id: Int64) async throws -> Account?
    /// The users of a kommune, or every user for `nil`, by username.
    func accounts(kommune: AreaCode?) async throws -> [Account]
    /// Saves a user's role, password hash and disabled flag; `action` names the change in the audit log.
    func updateAccount(_ account: Account, action: AuditAction, actor: String) async throws

    func addSession(_ session: SessionRecord) async throws
    func session(secretHash: String) async throws -> SessionRecord?
    func touchSession(secretHash: String, at: Int64) async throws
    func removeSession(secretHash: String) async throws
    /// Ends every session of a user (a password change, a disabled user).
    func removeSessions(accountID: Int64) async throws

    /// Stores a token's hash; returns its id.
    func addToken(accountID: Int64, secretHash: String, label: String, actor: String) async throws -> Int64
    /// The account of a token that exists and is not revoked (one query: it runs on every script's request).
    func tokenAccount(secretHash: String) async throws -> Account?
    func tokens(accountID: Int64) async throws -> [TokenInfo]
    func revokeToken(id: Int64, actor: String) async throws

    /// Records a sign-in attempt before its password is checked, and counts the attempts (this
    /// one included) since `since`. Attempts for one username are recorded one at a time, so
    /// guesses sent in parallel count each other. Records older than a day are dropped.
    func beginLogin(username: String, address: String, at: Int64, since: Int64) async throws -> LoginAttempt
    /// Settles an attempt: a success removes its record, a failure stays counted and is audited.
    func endLogin(_ attempt: LoginAttempt, succeeded: Bool) async throws
    /// Drops sessions unused since `seenBefore` or begun before `createdBefore`.
    func purgeSessions(seenBefore: Int64, createdBefore: Int64) async throws
    /// Appends one entry to the audit log (logins, and writes the store does not audit itself).
    func appendAudit(actor: String, action: AuditAction, subject: String, detail: String) async throws
}
