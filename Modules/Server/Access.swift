import AppSupport
import Foundation
import Storage
import HTTPTypes
import OpenAPIRuntime

/// Every web page and form, by what `PageGate` and `Access.need` call it.
enum PageID: String, Sendable, CaseIterable {
    case home
    case login
    case logout
    case dashboard
    case target
    case addNote
    case plan
    case versions
    case savePlan
    case planFields
    case checkPlan
    case savePlanFields
    case approvePlan
    case carryForward
    case followUp
    case finalizeFollowUp
    case yearwheel
    case publicPage = "public"
    case compare
    case data
    case upload
    case template
    case localFigures
    case admin
    case addUser
    case changeUser
    case createToken
    case revokeToken
}

/// Who may do what: one table, by operation of `openapi.yaml` (DESIGN §14). An operation the
/// table does not name is refused to everyone, so a new route is closed until it is listed.
enum Access {
    enum Need: Sendable, Equatable {
        /// No sign-in (signing in itself).
        case anyone
        /// Any signed-in user: shared reference data and national statistics.
        case signedIn
        /// A user of the kommune in the path with at least this role. The operator reads every kommune.
        case kommune(Account.Role)
        /// The installation's operator.
        case `operator`
        /// As `.kommune(.viewer)`, and also the public, where the installation serves public pages
        /// and the kommune publishes: the handler then shows only what is approved.
        case published
    }

    static let operations: [String: Need] = [
        "createSession": .anyone,
        "getSession": .signedIn,
        "deleteSession": .signedIn,
        "listAreas": .signedIn,
        "listMeasures": .signedIn,
        "listObservations": .signedIn,
        "importNational": .operator,
        "importLocal": .kommune(.editor),
        "listPlans": .kommune(.viewer),
        "getPlan": .published,
        "getEvaluation": .published,
        "listPlanVersions": .kommune(.viewer),
        "diffPlan": .kommune(.viewer),
        "savePlan": .kommune(.editor),
        "carryForwardPlan": .kommune(.editor),
        "approvePlan": .kommune(.editor),
        "listAssessments": .kommune(.viewer),
        "addAssessment": .kommune(.updater),
        "getFollowUpStatus": .kommune(.viewer),
        "finalizeFollowUp": .kommune(.editor),
        "getReport": .published,
        "getYearwheel": .published,
        "getYearwheelCalendar": .published,
        "getPublication": .kommune(.viewer),
        "setPublication": .kommune(.admin),
        "listUsers": .kommune(.admin),
        "createUser": .kommune(.admin),
        "updateUser": .kommune(.admin),
        "listKommuneAudit": .kommune(.admin),
        "listAudit": .operator,
        "listTokens": .signedIn,
        "createToken": .signedIn,
        "revokeToken": .signedIn,
    ]

    /// The web pages (`PageGate`), by the same needs: a page is a view of operations above. A
    /// switch, so that a new page does not compile until its need is written here.
    static func need(_ page: PageID) -> Need {
        switch page {
        case .home, .login: .anyone
        case .logout: .signedIn
        case .dashboard, .target, .plan, .versions, .followUp, .yearwheel, .compare, .data, .template: .kommune(.viewer)
        case .addNote: .kommune(.updater)
        case .savePlan, .planFields, .checkPlan, .savePlanFields, .approvePlan, .carryForward, .finalizeFollowUp, .upload, .localFigures: .kommune(.editor)
        case .publicPage: .published
        case .admin, .addUser, .changeUser, .createToken, .revokeToken: .kommune(.admin)
        }
    }

    /// The order of the kommune roles: each may do what the ones before it may.
    static let rank: [Account.Role: Int] = [.viewer: 0, .updater: 1, .editor: 2, .admin: 3]

    enum Decision: Equatable {
        case allow
        case unauthenticated
        case forbidden(String)
    }

    /// The one decision: `kommune` is the kommune the request's path names, if any; `published`,
    /// whether the public may see it (the installation serves public pages and the kommune publishes).
    static func decide(_ need: Need?, caller: Account?, kommune: AreaCode?, published: Bool = false) -> Decision {
        guard let need else { return .forbidden("Handlingen er ikke åbnet for nogen.") }
        if need == .anyone { return .allow }
        if need == .published, caller == nil, published { return .allow }
        guard let caller, !caller.disabled else { return .unauthenticated }
        switch need {
        case .anyone, .signedIn:
            return .allow
        case .published:
            return decide(.kommune(.viewer), caller: caller, kommune: kommune)
        case .operator:
            return caller.role == .operator ? .allow : .forbidden("Kun installationens operatør har adgang.")
        case .kommune(let role):
            guard let kommune else { return .forbidden("Forespørgslen nævner ingen kommune.") }
            if caller.role == .operator { return role == .viewer ? .allow : .forbidden("Operatøren kan læse, ikke ændre, en kommunes data.") }
            guard caller.kommune == kommune else { return .forbidden("Du har kun adgang til din egen kommunes data.") }
            guard let have = rank[caller.role], let needed = rank[role], have >= needed else {
                return .forbidden("Din rolle (\(caller.role.rawValue)) må ikke dette; det kræver \(role.rawValue).")
            }
            return .allow
        }
    }

    /// What the gate decided a request on, but the caller: the operation's need, the kommune its
    /// path names, and whether that kommune was published to the public (`SentAnswers` keeps it
    /// with an answer, and decides a repeat of the same request text again for its own caller).
    struct Admission: Sendable, Equatable {
        let need: Need
        let kommune: AreaCode?
        let published: Bool
    }

    /// The decision for `caller` on the facts the gate resolved for an earlier request of the same text.
    static func decide(_ admission: Admission, caller: Account?) -> Decision {
        decide(admission.need, caller: caller, kommune: admission.kommune, published: admission.published)
    }

    /// The kommune a path names by code, slug or name, decoded as the handlers decode it
    /// (`Sams%C3%B8` is Samsø), so that gate and handler mean one kommune; `nil` for anything else.
    static func kommune(named raw: String, in areas: AreaCatalog) -> Area? {
        let named = raw.contains("%") ? raw.removingPercentEncoding ?? raw : raw
        guard let area = try? areas.lookup(named), area.kind == .kommune else { return nil }
        return area
    }

    /// Who may read `/metrics`: the operator (by token or session), or a scraper on the server's
    /// own machine — a loopback address that no proxy forwarded (behind a balancer on the same
    /// machine, every client would otherwise read as loopback).
    static func mayReadMetrics(caller: Account?, address: String, forwarded: Bool) -> Bool {
        if let caller, !caller.disabled, caller.role == .operator { return true }
        return !forwarded && (address == "127.0.0.1" || address == "::1" || address.hasPrefix("127."))
    }

    /// Whether a browser sent the request from this site: the `Origin` a browser adds to a POST
    /// (or, without it, the `Referer`) names the host the request was sent to. A form on another
    /// site that would sign the visitor in as its author (login CSRF) names that site; a request
    /// with neither header is a script's, with no visitor's browser to misuse.
    static func fromThisSite(authority: String?, origin: String?, referer: String?) -> Bool {
        guard let sent = origin ?? referer else { return true }
        guard let url = URL(string: sent), let host = url.host, let authority else { return false }
        let defaultPort = url.scheme == "https" ? 443 : 80
        let named = url.port.map { $0 == defaultPort ? host : "\(host):\($0)" } ?? host
        var reached = authority.lowercased()
        for port in [":80", ":443"] where reached.hasSuffix(port) { reached.removeLast(port.count) }
        return named.lowercased() == reached
    }

    /// The gate every API request passes before its handler runs: it scopes the request to the
    /// caller's kommune by the table above, and holds cookie-authenticated writes to their CSRF token.
    struct Gate: ServerMiddleware {
        let areas: AreaCatalog
        /// Whether the kommune shows its approved plan to the public; `nil` where the installation has no public pages.
        let isPublished: (@Sendable (AreaCode) async throws -> Bool)?

        func intercept(
            _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
            next: (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
        ) async throws -> (HTTPResponse, HTTPBody?) {
            let caller = RequestScope.context?.caller
            var scope: KommuneScope?
            if let raw = metadata.pathParameters["kommune"] {
                guard let area = Access.kommune(named: String(raw), in: areas) else {
                    throw Problem.notFound("Der er ingen kommune, der hedder '\((String(raw).removingPercentEncoding ?? String(raw)).prefix(64))'.")
                }
                scope = KommuneScope(area)
            }
            let kommune = scope?.code
            let need = operations[operationID]
            var published = false
            if need == .published, caller == nil, let kommune, let isPublished { published = try await isPublished(kommune) }
            switch decide(need, caller: caller?.account, kommune: kommune, published: published) {
            case .allow: break
            case .unauthenticated: throw Problem.unauthenticated()
            case .forbidden(let why): throw Problem.forbidden(why)
            }
            if let need {
                RequestScope.context?.notes.withLockedValue { $0.admission = Admission(need: need, kommune: kommune, published: published) }
            }
            // Signing in starts a session rather than acting in one: it is held to this site instead.
            if operationID == "createSession",
                !Access.fromThisSite(
                    authority: request.authority, origin: request.headerFields[.origin], referer: request.headerFields[.referer])
            {
                throw Problem(.forbidden, "cross-site-login", title: "Log ind fra beskplans egen side",
                              detail: "En side på et andet websted forsøgte at logge dig ind.")
            }
            if case .session(_, let csrf)? = caller?.proof, ![.get, .head, .options].contains(request.method),
                operationID != "createSession"
            {
                guard request.headerFields[HTTPField.Name("X-CSRF-Token")!] == csrf else {
                    throw Problem(.forbidden, "csrf", title: "Forespørgslen mangler sit CSRF-token",
                                  detail: "Send sessionens csrfToken som X-CSRF-Token.")
                }
            }
            // The handler acts for the kommune resolved here, and every audit row the request writes
            // names where it came from and that kommune.
            var context = RequestScope.context
            context?.scope = scope
            return try await RequestScope.$context.withValue(context) {
                if request.method == .get { return try await next(request, body, metadata) }  // reads write no audit rows
                return try await AuditScope.$current.withValue(AuditScope(address: context?.address, kommune: kommune)) {
                    try await next(request, body, metadata)
                }
            }
        }
    }
}
