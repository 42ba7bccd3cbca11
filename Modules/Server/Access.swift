import AppSupport
import Foundation
import HTTPTypes
import OpenAPIRuntime

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
    }

    static let operations: [String: Need] = [
        "createSession": .anyone,
        "getSession": .signedIn,
        "deleteSession": .signedIn,
        "listAreas": .signedIn,
        "listMeasures": .signedIn,
        "listPlans": .kommune(.viewer),
        "getPlan": .kommune(.viewer),
        "getEvaluation": .kommune(.viewer),
        "listPlanVersions": .kommune(.viewer),
        "diffPlan": .kommune(.viewer),
        "savePlan": .kommune(.editor),
        "listAssessments": .kommune(.viewer),
        "addAssessment": .kommune(.updater),
        "getReport": .kommune(.viewer),
        "listAudit": .operator,
    ]

    /// The order of the kommune roles: each may do what the ones before it may.
    static let rank: [Account.Role: Int] = [.viewer: 0, .updater: 1, .editor: 2, .admin: 3]

    enum Decision: Equatable {
        case allow
        case unauthenticated
        case forbidden(String)
    }

    /// The one decision: `kommune` is the kommune the request's path names, if any.
    static func decide(_ need: Need?, caller: Account?, kommune: AreaCode?) -> Decision {
        guard let need else { return .forbidden("Handlingen er ikke åbnet for nogen.") }
        if need == .anyone { return .allow }
        guard let caller, !caller.disabled else { return .unauthenticated }
        switch need {
        case .anyone, .signedIn:
            return .allow
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

    /// The gate every API request passes before its handler runs: it scopes the request to the
    /// caller's kommune by the table above, and holds cookie-authenticated writes to their CSRF token.
    struct Gate: ServerMiddleware {
        let areas: AreaCatalog

        func intercept(
            _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
            next: (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
        ) async throws -> (HTTPResponse, HTTPBody?) {
            let caller = RequestScope.context?.caller
            var kommune: AreaCode?
            if let raw = metadata.pathParameters["kommune"] {
                // Decoded as the handler decodes it (`Sams%C3%B8` is Samsø), so both mean one kommune.
                let named = String(raw).removingPercentEncoding ?? String(raw)
                guard let area = try? areas.lookup(named), area.kind == .kommune else {
                    throw Problem.notFound("Der er ingen kommune, der hedder '\(named.prefix(64))'.")
                }
                kommune = area.code
            }
            switch decide(operations[operationID], caller: caller?.account, kommune: kommune) {
            case .allow: break
            case .unauthenticated: throw Problem.unauthenticated()
            case .forbidden(let why): throw Problem.forbidden(why)
            }
            // Signing in is exempt: it starts a session rather than acting in one (SameSite=Strict guards it).
            if case .session(_, let csrf)? = caller?.proof, ![.get, .head, .options].contains(request.method),
                operationID != "createSession"
            {
                guard request.headerFields[HTTPField.Name("X-CSRF-Token")!] == csrf else {
                    throw Problem(.forbidden, "csrf", title: "Forespørgslen mangler sit CSRF-token",
                                  detail: "Send sessionens csrfToken som X-CSRF-Token.")
                }
            }
            return try await next(request, body, metadata)
        }
    }
}
