import AppSupport
import Foundation
import HTTPTypes
import Hummingbird

/// The admin page: the kommune's users (add, role, disable), their API tokens, and the audit log.
extension Pages {
    func admin(_ request: Request, context: ServerContext) async throws -> Response {
        let query = request.uri.queryParameters
        return try await adminPage(
            context, filter: query["handling"].map(String.init) ?? "", actor: query["bruger"].map(String.init) ?? "")
    }

    private func adminPage(
        _ context: ServerContext, filter: String = "", actor: String = "", message: String? = nil, problem: String? = nil,
        newToken: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let area = try kommune(context)
        let roles: [Account.Role] = [.viewer, .updater, .editor, .admin]
        let users = try await environment.store.accounts(kommune: area.code)
        var tokens: [[String: Any]] = []
        for user in users {
            for token in try await environment.store.tokens(accountID: user.id) {
                tokens.append([
                    "id": token.id, "label": token.label, "username": user.username,
                    "createdAt": token.createdAt.prefix(16).replacingOccurrences(of: "T", with: " "), "revoked": token.revoked,
                ])
            }
        }
        let audit = try await environment.store.auditLog(limit: 500, kommune: area.code)
            .filter { filter.isEmpty || $0.action.localizedCaseInsensitiveContains(filter) }
            .filter { actor.isEmpty || $0.actor == actor }.prefix(100)
        let values = PageModels.present([
            "adminBase": "/kommuner/\(area.slug)/admin", "slug": area.slug, "filter": filter,
            "actors": ([""] + users.map(\.username)).map { ["name": $0, "label": $0.isEmpty ? "Alle" : $0, "selected": $0 == actor] }, "message": message, "problem": problem,
            "users": users.map { user in
                [
                    "username": user.username, "roleName": PageFrame.roleName(user.role), "disabled": user.disabled,
                    "roles": roles.map { ["value": $0.rawValue, "name": PageFrame.roleName($0), "selected": $0 == user.role] },
                ] as [String: Any]
            },
            "newRoles": roles.map { ["value": $0.rawValue, "name": PageFrame.roleName($0)] },
            "tokens": tokens, "hasTokens": !tokens.isEmpty, "newToken": newToken,
            "audit": audit.map {
                ["at": $0.at.prefix(19).replacingOccurrences(of: "T", with: " "), "actor": $0.actor, "action": $0.action,
                 "subject": $0.subject, "detail": $0.detail, "address": $0.address ?? "–"]
            },
        ])
        return renderer.render("admin", values, page: frame(context, area, current: "admin"), status: status)
    }

    private struct NewUserForm: Decodable {
        var username: String
        var role: String
        var password: String
    }

    func addUser(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let form = try await Self.form(NewUserForm.self, request, context),
            let role = Account.Role(rawValue: form.role), role != .operator
        else { return try await adminPage(context, problem: "Udfyld brugernavn, rolle og adgangskode.", status: .badRequest) }
        do {
            try await signIn.accounts.addUser(
                username: form.username, kommune: area.code, role: role, password: form.password,
                actor: context.caller?.account.username ?? "-")
        } catch let error as AccountError {
            return try await adminPage(context, problem: "Brugeren kunne ikke oprettes: \(error.description).", status: .unprocessableContent)
        } catch let error as StoreError {
            return try await adminPage(context, problem: "Brugeren kunne ikke oprettes: \(error.description).", status: .conflict)
        }
        return try await adminPage(context, message: "\(form.username) er oprettet som \(PageFrame.roleName(role)).")
    }

    private struct ChangeUserForm: Decodable {
        var action: String
        var role: String?
    }

    func changeUser(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        let username = context.parameters.get("username") ?? ""
        guard let existing = try await environment.store.account(username: username), existing.kommune == area.code else {
            return try await adminPage(context, problem: "\(area.name) har ingen bruger ved det navn.", status: .notFound)
        }
        guard let form = try await Self.form(ChangeUserForm.self, request, context) else {
            return try await adminPage(context, problem: "Formularen kunne ikke læses.", status: .badRequest)
        }
        let role = form.action == "role" ? form.role.flatMap(Account.Role.init(rawValue:)) : nil
        let disabled: Bool? = form.action == "disable" ? true : form.action == "enable" ? false : nil
        if existing.username == context.caller?.account.username, disabled == true || (role.map { $0 != .admin } ?? false) {
            return try await adminPage(context, problem: "Du kan ikke fjerne din egen adgang; bed en anden administrator.", status: .conflict)
        }
        guard role != .operator, role != nil || disabled != nil else {
            return try await adminPage(context, problem: "Vælg en rolle, eller spær eller genåbn brugeren.", status: .badRequest)
        }
        _ = try await signIn.accounts.update(
            username: username, role: role, disabled: disabled, password: nil, actor: context.caller?.account.username ?? "-")
        return try await adminPage(context, message: "\(username) er ændret.")
    }

    // MARK: Tokens

    private struct TokenForm: Decodable {
        var label: String
    }

    /// A new API token for the admin themself, shown once on the page that answers.
    func createToken(_ request: Request, context: ServerContext) async throws -> Response {
        guard let caller = context.caller else { return PageRenderer.redirect("/login") }
        let label = try await Self.form(TokenForm.self, request, context)?.label.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !label.isEmpty, label.count <= 100 else {
            return try await adminPage(context, problem: "Giv tokenet et navn på højst 100 tegn, så du kan kende det igen.", status: .badRequest)
        }
        let (_, token) = try await signIn.accounts.createToken(username: caller.account.username, label: label, actor: caller.account.username)
        return try await adminPage(context, message: "Tokenet \(label) er oprettet.", newToken: token)
    }

    /// Revokes a token of one of the kommune's users.
    func revokeToken(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let id = context.parameters.get("token", as: Int64.self) else {
            return try await adminPage(context, problem: "Tokenet findes ikke.", status: .notFound)
        }
        var owner: String?
        for user in try await environment.store.accounts(kommune: area.code)
        where try await environment.store.tokens(accountID: user.id).contains(where: { $0.id == id }) {
            owner = user.username
        }
        guard let owner else { return try await adminPage(context, problem: "\(area.name) har intet token med det nummer.", status: .notFound) }
        try await environment.store.revokeToken(id: id, actor: context.caller?.account.username ?? "-")
        return try await adminPage(context, message: "\(owner)s token er spærret.")
    }
}
