import AppSupport
import Foundation
import Storage

/// Signing in and out, for the API and the pages alike.
///
/// Each attempt is recorded before the password is checked, so guesses sent in parallel count
/// each other: five failures in 15 minutes from one address refuse that address for the
/// username (429), and ten over every username refuse the address altogether (password spraying);
/// failures from everywhere only slow the answer, so that nobody can lock a user out from
/// elsewhere. A failure is audited but leaves the store's revision, and so every cache, as it is.
/// The attempt's audit rows belong to the user's kommune.
struct SignIn: Sendable {
    let accounts: AccountService
    let sessions: SessionPolicy

    /// Failures in 15 minutes from one address: for one username, and for all.
    static let failuresPerUsername = 5
    static let failuresPerAddress = 10

    /// The account and its new session's cookie and CSRF token; a `Problem` (401, 429) if refused.
    /// `previous` is the session the browser signs in from, if any: it ends.
    func signIn(
        username: String, password: String, address: String, previous: Caller?
    ) async throws -> (account: Account, cookie: String, csrf: String) {
        let refused = Problem.unauthenticated("Forkert brugernavn eller adgangskode.")
        // A name no user can have is refused without a trace in the store (nor its text in the log).
        guard (try? AccountService.checkUsername(username)) != nil, password.utf8.count <= 200 else { throw refused }
        let service = sessions.service
        let kommune = try await service.kommune(ofUser: username)
        return try await AuditScope.$current.withValue(AuditScope(address: address, kommune: kommune)) {
            let attempt = try await service.beginAttempt(username: username, address: address)
            guard attempt.fromAddress <= Self.failuresPerUsername, attempt.fromAddressAnyUser <= Self.failuresPerAddress else {
                try await service.dropAttempt(attempt)
                throw Problem(.tooManyRequests, "login-throttled", title: "For mange forsøg",
                              detail: "Der har været for mange mislykkede forsøg fra din adresse; prøv igen om 15 minutter.")
            }
            guard let account = try await accounts.verify(username: username, password: password) else {
                try await service.endAttempt(attempt, succeeded: false)
                try await Task.sleep(for: .milliseconds(min(250 * attempt.overall, 5_000)))
                throw refused
            }
            try await service.endAttempt(attempt, succeeded: true)
            var replacing: String?
            if case .session(let hash, _)? = previous?.proof { replacing = hash }
            let (secret, csrf) = try await service.start(for: account, replacing: replacing, address: address)
            return (account, sessions.cookie(secret, maxAge: service.lifetime), csrf)
        }
    }

    /// Ends the caller's session, if they have one; returns the `Set-Cookie` that removes the cookie.
    func signOut(_ caller: Caller?, address: String) async throws -> String {
        if case .session(let hash, _)? = caller?.proof, let caller {
            try await AuditScope.$current.withValue(AuditScope(address: address, kommune: caller.account.kommune)) {
                try await sessions.service.end(secretHash: hash, of: caller.account, address: address)
            }
        }
        return sessions.cookie("", maxAge: 0)
    }
}
