import AppSupport
import Foundation
import OpenAPIRuntime
import PlanFormat

/// The operations of `openapi.yaml`. Access is decided before these run (`Access.Gate`); a
/// handler reads the caller from `RequestScope` only to act as them.
struct API: APIProtocol {
    let environment: AppEnvironment
    let accounts: AccountService
    let sessions: SessionPolicy

    private var caller: Caller? { RequestScope.context?.caller }
    private var address: String { RequestScope.context?.address ?? "-" }

    // MARK: Session

    /// Signing in. Each attempt is recorded before the password is checked, so guesses sent in
    /// parallel count each other: five failures in 15 minutes from one address refuse that
    /// address for the username (429); failures from everywhere only slow the answer, so that
    /// nobody can lock a user out from elsewhere.
    func createSession(_ input: Operations.CreateSession.Input) async throws -> Operations.CreateSession.Output {
        guard case .json(let credentials) = input.body else { throw Problem.badRequest("Send brugernavn og adgangskode som JSON.") }
        let refused = Problem.unauthenticated("Forkert brugernavn eller adgangskode.")
        // A name no user can have is refused without a trace in the store (nor its text in the log).
        guard (try? AccountService.checkUsername(credentials.username)) != nil, credentials.password.utf8.count <= 200 else {
            throw refused
        }
        let store = environment.store
        let now = SessionPolicy.now
        let attempt = try await store.beginLogin(username: credentials.username, address: address, at: now, since: now - 15 * 60)
        guard attempt.fromAddress <= 5 else {
            try await store.endLogin(attempt, succeeded: false)
            throw Problem(.tooManyRequests, "login-throttled", title: "For mange forsøg",
                          detail: "Der har været for mange mislykkede forsøg fra din adresse; prøv igen om 15 minutter.")
        }
        guard let account = try await accounts.verify(username: credentials.username, password: credentials.password) else {
            try await store.endLogin(attempt, succeeded: false)
            try await Task.sleep(for: .milliseconds(min(250 * attempt.overall, 5_000)))
            throw refused
        }
        try await store.endLogin(attempt, succeeded: true)
        // A browser that signs in again leaves its earlier session behind: end it.
        if case .session(let hash, _)? = caller?.proof { try await store.removeSession(secretHash: hash) }
        try await store.purgeSessions(seenBefore: now - sessions.idle, createdBefore: now - sessions.lifetime)
        let (cookie, csrf) = try await sessions.start(for: account, store: store)
        try await store.appendAudit(actor: account.username, action: "login", subject: "user \(account.username)", detail: "from \(address)")
        setCookie(cookie)
        return .created(.init(body: .json(Self.session(account, csrf: csrf))))
    }

    func getSession(_ input: Operations.GetSession.Input) async throws -> Operations.GetSession.Output {
        guard let caller else { throw Problem.unauthenticated() }
        var csrf: String?
        if case .session(_, let token) = caller.proof { csrf = token }
        return .ok(.init(body: .json(Self.session(caller.account, csrf: csrf))))
    }

    func deleteSession(_ input: Operations.DeleteSession.Input) async throws -> Operations.DeleteSession.Output {
        if case .session(let hash, _)? = caller?.proof {
            try await environment.store.removeSession(secretHash: hash)
            try await environment.store.appendAudit(
                actor: caller?.account.username ?? "-", action: "logout", subject: "user \(caller?.account.username ?? "-")",
                detail: "from \(address)")
        }
        setCookie(sessions.cookie("", maxAge: 0))
        return .noContent(.init())
    }

    private func setCookie(_ value: String) {
        RequestScope.context?.setCookies.withLockedValue { $0.append(value) }
    }

    private static func session(_ account: Account, csrf: String?) -> Components.Schemas.Session {
        Components.Schemas.Session(
            username: account.username, role: .init(rawValue: account.role.rawValue) ?? .viewer,
            kommune: account.kommune?.rawValue, csrfToken: csrf)
    }

    // MARK: Reference data

    func listAreas(_ input: Operations.ListAreas.Input) async throws -> Operations.ListAreas.Output {
        .ok(.init(body: .json(environment.areas.all.map {
            Components.Schemas.Area(
                code: $0.code.rawValue, name: $0.name, kind: .init(rawValue: $0.kind.rawValue) ?? .kommune, region: $0.region?.rawValue)
        })))
    }

    func listMeasures(_ input: Operations.ListMeasures.Input) async throws -> Operations.ListMeasures.Output {
        .ok(.init(body: .json(environment.measures.all.map {
            Components.Schemas.Measure(id: $0.id, name: $0.name, unit: $0.unit.rawValue, dimensions: $0.dimensions)
        })))
    }

    // MARK: Plans

    func listPlans(_ input: Operations.ListPlans.Input) async throws -> Operations.ListPlans.Output {
        let kommune = try environment.kommune(input.path.kommune)
        let plans = try await environment.store.plans().filter { $0.kommune == kommune.code }
        return .ok(.init(body: .json(plans.map(Self.version))))
    }

    func getPlan(_ input: Operations.GetPlan.Input) async throws -> Operations.GetPlan.Output {
        let stored = try await currentPlan(input.path.kommune, input.path.year)
        let yaml = try PlanFile.yaml(stored.plan)
        let wantsYAML = input.headers.accept.sortedByQuality().first?.contentType == .yaml
        return .ok(.init(body: wantsYAML ? .yaml(HTTPBody(yaml)) : .json(.init(version: Self.version(stored.info), yaml: yaml))))
    }

    func getEvaluation(_ input: Operations.GetEvaluation.Input) async throws -> Operations.GetEvaluation.Output {
        let stored = try await currentPlan(input.path.kommune, input.path.year)
        var asOf = PlanService.today
        if let text = input.query.asOf {
            guard let day = Day(iso: text) else { throw Problem.badRequest("asOf skal være en dato som 2025-03-01, ikke '\(text)'.") }
            asOf = day
        }
        let results = try await PlanService(environment).evaluate(stored.plan, asOf: asOf)
        return .ok(.init(body: .json(.init(
            kommune: stored.info.kommune.rawValue, year: stored.info.year, version: stored.info.version, asOf: asOf.description,
            targets: results.map {
                .init(
                    goal: $0.goal, target: $0.target, follows: $0.follows, status: $0.status.rawValue, statusText: $0.status.label,
                    value: $0.value, benchmark: $0.benchmark, explanation: $0.explanation, missing: $0.missing)
            }))))
    }

    private func currentPlan(_ kommune: String, _ year: Int) async throws -> StoredPlan {
        let area = try environment.kommune(kommune)
        guard let stored = try await environment.store.currentPlan(kommune: area.code, year: year) else {
            throw Problem.notFound("\(area.name) har ingen plan for \(year).")
        }
        return stored
    }

    private static func version(_ info: PlanVersionInfo) -> Components.Schemas.PlanVersion {
        .init(
            kommune: info.kommune.rawValue, year: info.year, version: info.version, title: info.title, status: info.status.rawValue,
            author: info.author, savedAt: info.savedAt)
    }

    // MARK: Audit

    func listAudit(_ input: Operations.ListAudit.Input) async throws -> Operations.ListAudit.Output {
        let entries = try await environment.store.auditLog(limit: min(max(input.query.limit ?? 100, 1), 1000))
        return .ok(.init(body: .json(entries.map {
            .init(id: $0.id, at: $0.at, actor: $0.actor, action: $0.action, subject: $0.subject, detail: $0.detail)
        })))
    }
}
