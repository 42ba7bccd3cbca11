import AppSupport
import Foundation
import HTTPTypes
import Hummingbird

/// Finds who is calling, from `Authorization: Bearer TOKEN` or the session cookie, before any
/// route runs. It decides nothing about access (that is `Access.Gate`); a bad token is refused
/// here, though, rather than treated as anonymous.
struct Authenticator: RouterMiddleware {
    let accounts: AccountService
    let sessions: SessionPolicy
    let trustedProxies: Set<String>
    let callers: CallerCache

    func handle(
        _ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.address = Self.client(
            forwardedFor: request.headers[.init("X-Forwarded-For")!], peer: context.address, trustedProxies: trustedProxies)
        if let authorization = request.headers[.authorization] {
            guard authorization.lowercased().hasPrefix("bearer ") else { throw Self.unknownToken }
            // Trimmed by hand: Foundation's `trimmingCharacters` was a tenth of a cached read's time.
            let token = authorization.dropFirst(7).drop { $0 == " " || $0 == "\t" }
            context.caller = try await tokenCaller(String(token.prefix { $0 != " " && $0 != "\t" }))
        } else if let secret = Self.cookie(SessionPolicy.cookieName, in: request) {
            context.caller = try await callers.caller(for: "s" + AccountService.hash(secret)) {
                try await sessions.caller(secret: secret, accounts: accounts)
            }
        } else if request.uri.path.hasSuffix(".ics"), let token = request.uri.queryParameters["token"] {
            // A calendar subscription cannot send headers: the årshjul's `.ics` takes a token in its URL.
            context.caller = try await tokenCaller(String(token))
        }
        return try await next(request, context)
    }

    private static let unknownToken = Problem.unauthenticated("API-tokenet er ukendt, tilbagekaldt, eller brugeren er spærret.")

    private func tokenCaller(_ token: String) async throws -> Caller {
        let caller = try await callers.caller(for: "t" + AccountService.hash(token)) {
            try await accounts.tokenAccount(token).map { Caller(account: $0, proof: .token) }
        }
        guard let caller else { throw Self.unknownToken }
        return caller
    }

    /// The client behind trusted proxies: the last address in `X-Forwarded-For` that is not one
    /// of them (the ones before it could have been written by the client itself).
    static func client(forwardedFor header: String?, peer: String, trustedProxies: Set<String>) -> String {
        guard trustedProxies.contains(peer), let header else { return peer }
        let hops = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trustedProxies.contains($0) } ?? peer
    }

    /// One cookie's value from the `Cookie` header.
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name { return String(parts[1]) }
            }
        }
        return nil
    }
}

/// Sessions: a random secret in an HttpOnly, SameSite cookie, its SHA-256 in the store (so any
/// server process on the database knows it), idle and absolute expiry.
struct SessionPolicy: Sendable {
    static let cookieName = "beskplan_session"
    var idle: Int64
    var lifetime: Int64
    var secureCookies: Bool

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// The caller a cookie's secret belongs to, if the session lives and its user is enabled.
    func caller(secret: String, accounts: AccountService) async throws -> Caller? {
        let hash = AccountService.hash(secret)
        guard let session = try await accounts.store.session(secretHash: hash) else { return nil }
        let now = Self.now
        guard now - session.lastSeenAt < idle, now - session.createdAt < lifetime else {
            try await accounts.store.removeSession(secretHash: hash)
            return nil
        }
        guard let account = try await accounts.store.account(id: session.accountID), !account.disabled else { return nil }
        // Seen again: one write a minute at most, not one per request.
        if now - session.lastSeenAt >= 60 { try await accounts.store.touchSession(secretHash: hash, at: now) }
        let seen = now - session.lastSeenAt >= 60 ? now : session.lastSeenAt
        return Caller(
            account: account, proof: .session(secretHash: hash, csrfToken: session.csrfToken),
            recheckAt: min(seen + 60, seen + idle, session.createdAt + lifetime))
    }

    /// Starts a session; returns the cookie to set and the CSRF token.
    func start(for account: Account, store: any Store) async throws -> (cookie: String, csrfToken: String) {
        let secret = AccountService.newSecret()
        let csrf = AccountService.newSecret()
        let now = Self.now
        try await store.addSession(SessionRecord(
            secretHash: AccountService.hash(secret), accountID: account.id, csrfToken: csrf, createdAt: now, lastSeenAt: now))
        return (cookie(secret, maxAge: lifetime), csrf)
    }

    /// A `Set-Cookie` value; `maxAge` 0 removes the cookie.
    func cookie(_ value: String, maxAge: Int64) -> String {
        "\(Self.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
    }
}

/// Callers already checked, by the hash of their token or session secret, while the store's
/// revision is unchanged: a revoked token, a disabled user or an ended session changes it (each
/// is an audited write), so none outlives its revision. A session's expiry is checked on every
/// request all the same.
struct CallerCache: Sendable {
    let clock: RevisionClock
    private let cache = RevisionCache<Caller>(capacity: 10_000)

    init(clock: RevisionClock) { self.clock = clock }

    func caller(for key: String, lookUp: () async throws -> Caller?) async throws -> Caller? {
        let revision = try await clock.current()
        if let known = cache.value(for: key, revision: revision), known.isCurrent { return known }
        // Only callers are kept: an unknown token or cookie costs a lookup each time, and cannot crowd out real ones.
        guard let caller = try await lookUp() else { return nil }
        cache.store(caller, for: key, revision: revision)
        return caller
    }
}
