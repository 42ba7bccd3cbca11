import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// The admin page: the kommune's users (add, role, disable), their API tokens, and the audit
/// log — through `AccountService` and `AuditService`, as the API's admin operations are.
struct AdminController: Sendable {
    let pages: PageSupport
    let accounts: AccountService

    func addRoutes(to routes: PageRoutes) {
        routes.get("/kommuner/{kommune}/admin", .admin, use: admin)
        routes.post("/kommuner/{kommune}/admin/brugere", .addUser, use: addUser)
        routes.post("/kommuner/{kommune}/admin/tokens", .createToken, use: createToken)
        routes.post("/kommuner/{kommune}/admin/tokens/{token}/spaer", .revokeToken, use: revokeToken)
        routes.post("/kommuner/{kommune}/admin/brugere/{username}", .changeUser, use: changeUser)
    }

    @Sendable func admin(_ request: Request, context: ServerContext) async throws -> Response {
        let query = request.uri.queryParameters
        return try await adminPage(context, filter: query["handling"].map(String.init) ?? "", actor: query["bruger"].map(String.init) ?? "")
    }

    private func adminPage(
        _ context: ServerContext, filter: String = "", actor: String = "", message: String? = nil, problem: String? = nil,
        newToken: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let scope = try pages.scope(context)
        let users = try await accounts.users(scope)
        var tokens: [AdminView.Token] = []
        for user in users {
            for token in try await accounts.tokens(of: user) {
                tokens.append(.init(
                    id: token.id, label: token.label, username: user.username,
                    createdAt: token.createdAt.prefix(16).replacingOccurrences(of: "T", with: " "), revoked: token.revoked))
            }
        }
        let audit = try await AuditService(pages.environment).log(limit: 500, scope: scope)
            .filter { filter.isEmpty || $0.action.localizedCaseInsensitiveContains(filter) }
            .filter { actor.isEmpty || $0.actor == actor }.prefix(100)
        let view = AdminView(
            slug: scope.area.slug, filter: filter, actor: actor, users: users, tokens: tokens, audit: Array(audit), message: message,
            problem: problem, newToken: newToken)
        return pages.renderer.render("admin", view, page: pages.frame(context, scope, current: .admin), status: status)
    }

    private struct NewUserForm: Decodable {
        var username: String
        var role: String
        var password: String
    }

    @Sendable func addUser(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let form = try await PageSupport.form(NewUserForm.self, request, context),
            let role = Account.Role(rawValue: form.role), role != .operator
        else { return try await adminPage(context, problem: "Udfyld brugernavn, rolle og adgangskode.", status: .badRequest) }
        do {
            try await accounts.addUser(
                username: form.username, kommune: scope.code, role: role, password: form.password, actor: PageSupport.actor(context))
        } catch let error as AccountError {
            return try await adminPage(context, problem: "Brugeren kunne ikke oprettes: \(error.description).", status: .unprocessableContent)
        } catch let refusal as Refusal {
            return try await adminPage(context, problem: refusal.description, status: .conflict)
        } catch let error as StoreError {
            return try await adminPage(context, problem: "Brugeren kunne ikke oprettes: \(error.description).", status: .conflict)
        }
        return try await adminPage(context, message: "\(form.username) er oprettet som \(PageFrame.roleName(role)).")
    }

    private struct ChangeUserForm: Decodable {
        var action: String
        var role: String?
    }

    @Sendable func changeUser(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        let username = context.parameters.get("username") ?? ""
        guard let existing = try await accounts.user(username, in: scope) else {
            return try await adminPage(context, problem: "\(scope.name) har ingen bruger ved det navn.", status: .notFound)
        }
        guard let form = try await PageSupport.form(ChangeUserForm.self, request, context) else {
            return try await adminPage(context, problem: "Formularen kunne ikke læses.", status: .badRequest)
        }
        let role = form.action == "role" ? form.role.flatMap(Account.Role.init(rawValue:)) : nil
        let disabled: Bool? = form.action == "disable" ? true : form.action == "enable" ? false : nil
        guard role != .operator, role != nil || disabled != nil, let admin = context.caller?.account else {
            return try await adminPage(context, problem: "Vælg en rolle, eller spær eller genåbn brugeren.", status: .badRequest)
        }
        do {
            _ = try await accounts.change(existing, role: role, disabled: disabled, password: nil, by: admin)
        } catch let refusal as Refusal {
            return try await adminPage(context, problem: "\(refusal.title); \(refusal.detail.lowercasedFirst())", status: .conflict)
        }
        return try await adminPage(context, message: "\(username) er ændret.")
    }

    private struct TokenForm: Decodable {
        var label: String
    }

    /// A new API token for the admin themself, shown once on the page that answers.
    @Sendable func createToken(_ request: Request, context: ServerContext) async throws -> Response {
        guard let caller = context.caller else { return PageRenderer.redirect("/login") }
        let label = try await PageSupport.form(TokenForm.self, request, context)?.label.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !label.isEmpty, label.count <= 100 else {
            return try await adminPage(context, problem: "Giv tokenet et navn på højst 100 tegn, så du kan kende det igen.", status: .badRequest)
        }
        let (_, token) = try await accounts.createToken(username: caller.account.username, label: label, actor: caller.account.username)
        return try await adminPage(context, message: "Tokenet \(label) er oprettet.", newToken: token)
    }

    /// Revokes a token of one of the kommune's users.
    @Sendable func revokeToken(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let id = context.parameters.get("token", as: Int64.self) else {
            return try await adminPage(context, problem: "Tokenet findes ikke.", status: .notFound)
        }
        guard let owner = try await accounts.revokeToken(id, heldBy: try await accounts.users(scope), actor: PageSupport.actor(context)) else {
            return try await adminPage(context, problem: "\(scope.name) har intet token med det nummer.", status: .notFound)
        }
        return try await adminPage(context, message: "\(owner.username)s token er spærret.")
    }
}

/// The admin page.
struct AdminView: Sendable {
    struct Choice: Sendable {
        let name: String
        let label: String
        let selected: Bool
    }

    struct Role: Sendable {
        let value: String
        let name: String
        let selected: Bool
    }

    struct User: Sendable {
        let username: String
        let roleName: String
        let disabled: Bool
        let roles: [Role]
    }

    struct Token: Sendable {
        let id: Int64
        let label: String
        let username: String
        let createdAt: String
        let revoked: Bool
    }

    struct Entry: Sendable {
        let at: String
        let actor: String
        let action: String
        let subject: String
        let detail: String
        let address: String
    }

    let adminBase: String
    let slug: String
    let filter: String
    let actors: [Choice]
    let message: String?
    let problem: String?
    let users: [User]
    let newRoles: [Role]
    let tokens: [Token]
    let hasTokens: Bool
    let newToken: String?
    let audit: [Entry]

    init(
        slug: String, filter: String, actor: String, users: [Account], tokens: [Token], audit: [AuditEntry], message: String?,
        problem: String?, newToken: String?
    ) {
        let roles: [Account.Role] = [.viewer, .updater, .editor, .admin]
        adminBase = "/kommuner/\(slug)/admin"
        self.slug = slug
        self.filter = filter
        actors = ([""] + users.map(\.username)).map { Choice(name: $0, label: $0.isEmpty ? "Alle" : $0, selected: $0 == actor) }
        self.message = message
        self.problem = problem
        self.users = users.map { user in
            User(
                username: user.username, roleName: PageFrame.roleName(user.role), disabled: user.disabled,
                roles: roles.map { Role(value: $0.rawValue, name: PageFrame.roleName($0), selected: $0 == user.role) })
        }
        newRoles = roles.map { Role(value: $0.rawValue, name: PageFrame.roleName($0), selected: false) }
        self.tokens = tokens
        hasTokens = !tokens.isEmpty
        self.newToken = newToken
        self.audit = audit.map {
            Entry(
                at: $0.at.prefix(19).replacingOccurrences(of: "T", with: " "), actor: $0.actor, action: $0.action, subject: $0.subject,
                detail: $0.detail, address: $0.address ?? "–")
        }
    }
}
