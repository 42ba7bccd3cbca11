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
                try await sessions.caller(secret: secret)
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

/// Sessions' cookie: a random secret in an HttpOnly, SameSite cookie; the store keeps its
/// SHA-256 (`SessionService`), so that any server process on the database knows it.
struct SessionPolicy: Sendable {
    static let cookieName = "beskplan_session"
    let service: SessionService
    var secureCookies: Bool

    /// The caller a cookie's secret belongs to, if the session lives and its user is enabled.
    func caller(secret: String) async throws -> Caller? {
        try await service.live(secret: secret).map {
            Caller(account: $0.account, proof: .session(secretHash: $0.secretHash, csrfToken: $0.csrfToken), recheckAt: $0.recheckAt)
        }
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
    /// What time it is: a session's caller is looked up again when its `recheckAt` has passed.
    let time: AppClock
    private let cache = RevisionCache<Caller>(capacity: 10_000)

    init(clock: RevisionClock, time: AppClock) {
        self.clock = clock
        self.time = time
    }

    func caller(for key: String, lookUp: () async throws -> Caller?) async throws -> Caller? {
        let revision = try await clock.current()
        if let known = cache.value(for: key, revision: revision), known.isCurrent(at: time.seconds) { return known }
        // Only callers are kept: an unknown token or cookie costs a lookup each time, and cannot crowd out real ones.
        guard let caller = try await lookUp() else { return nil }
        cache.store(caller, for: key, revision: revision)
        return caller
    }
}
