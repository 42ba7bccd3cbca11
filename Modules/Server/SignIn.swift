import AppSupport
import Foundation

/// Signing in and out, for the API and the pages alike.
///
/// Each attempt is recorded before the password is checked, so guesses sent in parallel count
/// each other: five failures in 15 minutes from one address refuse that address for the
/// username (429); failures from everywhere only slow the answer, so that nobody can lock a user
/// out from elsewhere. The attempt's audit rows belong to the user's kommune.
struct SignIn: Sendable {
    let store: any Store
    let accounts: AccountService
    let sessions: SessionPolicy

    /// The account and its new session's cookie and CSRF token; a `Problem` (401, 429) if refused.
    /// `previous` is the session the browser signs in from, if any: it ends.
    func signIn(
        username: String, password: String, address: String, previous: Caller?
    ) async throws -> (account: Account, cookie: String, csrf: String) {
        let refused = Problem.unauthenticated("Forkert brugernavn eller adgangskode.")
        // A name no user can have is refused without a trace in the store (nor its text in the log).
        guard (try? AccountService.checkUsername(username)) != nil, password.utf8.count <= 200 else { throw refused }
        let kommune = try await store.account(username: username)?.kommune
        return try await AuditScope.$current.withValue(AuditScope(address: address, kommune: kommune)) {
            let now = SessionPolicy.now
            let attempt = try await store.beginLogin(username: username, address: address, at: now, since: now - 15 * 60)
            guard attempt.fromAddress <= 5 else {
                try await store.endLogin(attempt, succeeded: false)
                throw Problem(.tooManyRequests, "login-throttled", title: "For mange forsøg",
                              detail: "Der har været for mange mislykkede forsøg fra din adresse; prøv igen om 15 minutter.")
            }
            guard let account = try await accounts.verify(username: username, password: password) else {
                try await store.endLogin(attempt, succeeded: false)
                try await Task.sleep(for: .milliseconds(min(250 * attempt.overall, 5_000)))
                throw refused
            }
            try await store.endLogin(attempt, succeeded: true)
            if case .session(let hash, _)? = previous?.proof { try await store.removeSession(secretHash: hash) }
            try await store.purgeSessions(seenBefore: now - sessions.idle, createdBefore: now - sessions.lifetime)
            let (cookie, csrf) = try await sessions.start(for: account, store: store)
            try await store.appendAudit(actor: account.username, action: .login, subject: AuditSubject.user(account.username), detail: "from \(address)")
            return (account, cookie, csrf)
        }
    }

    /// Ends the caller's session, if they have one; returns the `Set-Cookie` that removes the cookie.
    func signOut(_ caller: Caller?, address: String) async throws -> String {
        if case .session(let hash, _)? = caller?.proof, let caller {
            try await store.removeSession(secretHash: hash)
            try await AuditScope.$current.withValue(AuditScope(address: address, kommune: caller.account.kommune)) {
                try await store.appendAudit(
                    actor: caller.account.username, action: .logout, subject: "user \(caller.account.username)", detail: "from \(address)")
            }
        }
        return sessions.cookie("", maxAge: 0)
    }
}
