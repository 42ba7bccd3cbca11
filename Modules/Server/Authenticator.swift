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

    func handle(
        _ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.address = Self.client(
            forwardedFor: request.headers[.init("X-Forwarded-For")!], peer: context.address, trustedProxies: trustedProxies)
        if let authorization = request.headers[.authorization] {
            guard authorization.lowercased().hasPrefix("bearer "),
                let account = try await accounts.tokenAccount(String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces))
            else { throw Problem.unauthenticated("API-tokenet er ukendt, tilbagekaldt, eller brugeren er spærret.") }
            context.caller = Caller(account: account, proof: .token)
        } else if let secret = Self.cookie(SessionPolicy.cookieName, in: request) {
            context.caller = try await sessions.caller(secret: secret, accounts: accounts)
        } else if request.uri.path.hasSuffix(".ics"), let token = request.uri.queryParameters["token"] {
            // A calendar subscription cannot send headers: the årshjul's `.ics` takes a token in its URL.
            guard let account = try await accounts.tokenAccount(String(token)) else {
                throw Problem.unauthenticated("API-tokenet er ukendt, tilbagekaldt, eller brugeren er spærret.")
            }
            context.caller = Caller(account: account, proof: .token)
        }
        return try await next(request, context)
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
        return Caller(account: account, proof: .session(secretHash: hash, csrfToken: session.csrfToken))
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
