import Crypto
import Foundation
import HummingbirdBcrypt
import Storage

/// Users, passwords and API tokens, for the CLI (`beskplan users`, `beskplan tokens`) and the
/// server alike. Passwords are kept as bcrypt hashes; tokens and session secrets as SHA-256
/// hashes, so that nothing in the database lets anyone sign in.
public struct AccountService: Sendable {
    let environment: AppEnvironment
    /// bcrypt's work factor: 12 in use (about a quarter of a second), lower in tests.
    public let cost: UInt8

    public static let minimumPasswordLength = 10

    public init(_ environment: AppEnvironment, cost: UInt8 = 12) {
        self.environment = environment
        self.cost = cost
    }

    var store: any Store { environment.store }

    // MARK: A kommune's users

    /// The kommune's users, by username; with no scope, every user of the installation (the
    /// command line's listing).
    public func users(_ scope: KommuneScope?) async throws -> [Account] {
        try await store.accounts(kommune: scope?.code)
    }

    /// A user of the kommune by name; `nil` for no such user, or another kommune's.
    public func user(_ username: String, in scope: KommuneScope) async throws -> Account? {
        guard let account = try await store.account(username: username), account.kommune == scope.code else { return nil }
        return account
    }

    /// A user's API tokens (never their secrets).
    public func tokens(of account: Account) async throws -> [TokenInfo] {
        try await store.tokens(accountID: account.id)
    }

    /// Changes a kommune's user as its admin `by` asks, by the same rules from the API and the
    /// admin page: no admin takes their own access away (`Refusal.ownAccount`).
    public func change(
        _ user: Account, role: Account.Role?, disabled: Bool?, password: String?, by admin: Account
    ) async throws -> Account {
        if user.username == admin.username, disabled == true || (role.map { $0 != .admin } ?? false) {
            throw Refusal(.ownAccount, title: "Du kan ikke fjerne din egen adgang",
                          description: "Bed en anden administrator om at ændre din rolle eller spærre dig.")
        }
        return try await update(username: user.username, role: role, disabled: disabled, password: password, actor: admin.username)
    }

    /// Revokes any token: the installation's operator, at the command line.
    public func revokeToken(_ id: Int64, actor: String) async throws {
        try await store.revokeToken(id: id, actor: actor)
    }

    /// Revokes token `id` if one of `owners` holds it; its owner, or `nil` when none does.
    @discardableResult
    public func revokeToken(_ id: Int64, heldBy owners: [Account], actor: String) async throws -> Account? {
        for owner in owners where try await tokens(of: owner).contains(where: { $0.id == id }) {
            try await store.revokeToken(id: id, actor: actor)
            return owner
        }
        return nil
    }

    /// Adds a user of `kommune` with `role`, or an operator (no kommune); a name taken anywhere is `Refusal.usernameTaken`.
    @discardableResult
    public func addUser(
        username: String, kommune: AreaCode?, role: Account.Role, password: String, actor: String
    ) async throws -> Account {
        try Self.checkUsername(username)
        switch (role, kommune) {
        case (.operator, .some): throw AccountError("an operator serves the whole installation: leave out --kommune")
        case (.operator, nil): break
        case (_, nil): throw AccountError("a \(role.rawValue) belongs to a kommune: give --kommune")
        case (_, .some): break
        }
        try Self.checkPassword(password)
        guard try await store.account(username: username) == nil else { throw Refusal.usernameTaken }
        let hash = await hashPassword(password)
        do {
            return try await store.addAccount(
                Account(username: username, kommune: kommune, role: role, passwordHash: hash), actor: actor)
        } catch let error as StoreError {
            // Taken by another request meanwhile: the same answer.
            guard try await store.account(username: username) == nil else { throw Refusal.usernameTaken }
            throw error
        }
    }

    /// Sets a new password and ends the user's sessions.
    public func setPassword(username: String, password: String, actor: String) async throws {
        var account = try await existing(username)
        try Self.checkPassword(password)
        account.passwordHash = await hashPassword(password)
        try await store.updateAccount(account, action: .userPassword, actor: actor)
        try await store.removeSessions(accountID: account.id)
    }

    /// Disables a user: no login, no session, no token works for them any more — not even when
    /// the user is enabled again (their tokens are revoked; they make new ones).
    public func disable(username: String, actor: String) async throws {
        var account = try await existing(username)
        account.disabled = true
        try await store.updateAccount(account, action: .userDisable, actor: actor)
        try await signOutEverywhere(account, revokingTokens: true, actor: actor)
    }

    /// Ends a user's sessions, and with `revokingTokens` revokes every token they hold.
    private func signOutEverywhere(_ account: Account, revokingTokens: Bool, actor: String) async throws {
        try await store.removeSessions(accountID: account.id)
        guard revokingTokens else { return }
        for token in try await tokens(of: account) where !token.revoked {
            try await store.revokeToken(id: token.id, actor: actor)
        }
    }

    /// Changes what is given of a user's role, disabled flag and password, in one audited
    /// update; a user disabled or given a new password or role is signed out everywhere, and a
    /// disabled user's tokens are revoked (enabling them again does not bring the tokens back).
    public func update(
        username: String, role: Account.Role?, disabled: Bool?, password: String?, actor: String
    ) async throws -> Account {
        var account = try await existing(username)
        if let role {
            guard account.role != .operator, role != .operator else { throw AccountError("the operator's role is not changed here") }
            account.role = role
        }
        if let disabled { account.disabled = disabled }
        if let password {
            try Self.checkPassword(password)
            account.passwordHash = await hashPassword(password)
        }
        try await store.updateAccount(account, action: .userUpdate, actor: actor)
        if role != nil || disabled == true || password != nil {
            try await signOutEverywhere(account, revokingTokens: disabled == true, actor: actor)
        }
        return account
    }

    /// The account whose password this is, if it exists and is not disabled.
    public func verify(username: String, password: String) async throws -> Account? {
        let account = try await store.account(username: username)
        // A missing user costs the same work as a real check, so timing does not tell which names exist.
        let hash = account.flatMap { $0.disabled ? nil : $0.passwordHash }
        // The decoy is made on first use, there too: a quarter of a second (seconds in a debug build).
        let matches = await Self.offCooperativePool { Bcrypt.verify(password, hash: hash ?? Self.decoyHash) }
        guard let account, !account.disabled, matches else { return nil }
        return account
    }

    /// bcrypt takes a quarter of a second of CPU: not on the threads that serve other requests,
    /// and one per core at a time, so that a flood of sign-ins queues instead of starving the rest.
    private static func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await bcryptSlots.acquire()
        let result = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
        await bcryptSlots.release()
        return result
    }

    private static let bcryptSlots = Slots(ProcessInfo.processInfo.activeProcessorCount)

    /// Creates an API token for a user; the token is returned once and only its hash is kept.
    public func createToken(username: String, label: String, actor: String) async throws -> (id: Int64, token: String) {
        let account = try await existing(username)
        guard !account.disabled else { throw AccountError("'\(username)' is disabled") }
        let token = "bp_" + Self.newSecret()
        let id = try await store.addToken(accountID: account.id, secretHash: Self.hash(token), label: label, actor: actor)
        return (id, token)
    }

    /// The enabled account a token belongs to.
    public func tokenAccount(_ token: String) async throws -> Account? {
        guard let account = try await store.tokenAccount(secretHash: Self.hash(token)), !account.disabled else { return nil }
        return account
    }

    // MARK: Secrets

    /// 32 random bytes from the system's generator, base64url without padding.
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256 of a secret, in hex: what the store keeps of a token or a session.
    public static func hash(_ secret: String) -> String {
        // Hex by hand: `String(format:)` per byte cost more than the hash itself, on every request.
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(secret.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private func hashPassword(_ password: String) async -> String {
        let cost = cost
        return await Self.offCooperativePool { Bcrypt.hash(password, cost: cost) }
    }

    /// At the cost passwords are stored with, so a missing user takes as long as a real one.
    private static let decoyHash = Bcrypt.hash("beskplan decoy password", cost: 12)

    private func existing(_ username: String) async throws -> Account {
        guard let account = try await store.account(username: username) else { throw AccountError("no user named '\(username)'") }
        return account
    }

    public static func checkUsername(_ username: String) throws {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (2...64).contains(username.count), username.unicodeScalars.allSatisfy(allowed.contains) else {
            throw AccountError("a username is 2 to 64 of a–z, 0–9, '.', '_' and '-' (got '\(username.clippedForMessage())')")
        }
    }

    static func checkPassword(_ password: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw AccountError("a password has at least \(minimumPasswordLength) characters")
        }
        guard password.utf8.count <= 72 else { throw AccountError("a password has at most 72 bytes (bcrypt reads no further)") }
    }
}

/// A refused account change, in words for the user.
public struct AccountError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A counting semaphore for async code (hand-written: none of the listed packages has one).
actor Slots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = max(count, 1) }

    func acquire() async {
        guard free == 0 else {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
