import AppSupport
import Foundation
import OpenAPIRuntime

/// A kommune's users (its admins), and each caller's own API tokens.
extension API {
    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let area = try environment.kommune(input.path.kommune)
        return .ok(.init(body: .json(try await environment.store.accounts(kommune: area.code).map(Self.user))))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let area = try environment.kommune(input.path.kommune)
        guard case .json(let new) = input.body else { throw Problem.badRequest("Send brugeren som JSON.") }
        let account = try await refusedAsProblem {
            try await accounts.addUser(
                username: new.username, kommune: area.code, role: Account.Role(rawValue: new.role.rawValue) ?? .viewer,
                password: new.password, actor: actor)
        }
        return .created(.init(body: .json(Self.user(account))))
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        let area = try environment.kommune(input.path.kommune)
        guard case .json(let change) = input.body else { throw Problem.badRequest("Send ændringen som JSON.") }
        // A user of another kommune is not found here: an admin learns nothing of other kommuners' users.
        guard let existing = try await environment.store.account(username: input.path.username), existing.kommune == area.code else {
            throw Problem.notFound("\(area.name) har ingen bruger ved det navn.")
        }
        if existing.username == caller?.account.username, change.disabled == true || (change.role.map { $0 != .admin } ?? false) {
            throw Problem(.conflict, "own-account", title: "Du kan ikke fjerne din egen adgang",
                          detail: "Bed en anden administrator om at ændre din rolle eller spærre dig.")
        }
        let account = try await refusedAsProblem {
            try await accounts.update(
                username: existing.username, role: change.role.flatMap { Account.Role(rawValue: $0.rawValue) },
                disabled: change.disabled, password: change.password, actor: actor)
        }
        return .ok(.init(body: .json(Self.user(account))))
    }

    private static func user(_ a: Account) -> Components.Schemas.User {
        .init(
            username: a.username, role: .init(rawValue: a.role.rawValue) ?? .viewer, kommune: a.kommune?.rawValue, disabled: a.disabled,
            createdAt: a.createdAt)
    }

    // MARK: Tokens

    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        guard let caller else { throw Problem.unauthenticated() }
        return .ok(.init(body: .json(try await environment.store.tokens(accountID: caller.account.id).map {
            .init(id: $0.id, label: $0.label, createdAt: $0.createdAt, revoked: $0.revoked)
        })))
    }

    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        guard let caller else { throw Problem.unauthenticated() }
        guard case .json(let new) = input.body else { throw Problem.badRequest("Send {\"label\": \"…\"} som JSON.") }
        let label = new.label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !label.isEmpty else { throw Problem.badRequest("Giv tokenet et navn, så du kan kende det igen.") }
        let (id, token) = try await refusedAsProblem {
            try await accounts.createToken(username: caller.account.username, label: label, actor: actor)
        }
        return .created(.init(body: .json(.init(id: id, label: label, token: token))))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        guard let caller else { throw Problem.unauthenticated() }
        // Only your own: someone else's token is as unknown to you as one that does not exist.
        guard try await environment.store.tokens(accountID: caller.account.id).contains(where: { $0.id == input.path.id }) else {
            throw Problem.notFound("Du har intet API-token med id \(input.path.id).")
        }
        try await environment.store.revokeToken(id: input.path.id, actor: actor)
        return .noContent(.init())
    }

    /// An account change the service refuses (a taken name, a short password) is a 422.
    private func refusedAsProblem<T>(_ change: () async throws -> T) async throws -> T {
        do {
            return try await change()
        } catch let error as AccountError {
            throw Problem(.unprocessableContent, "account-refused", title: "Ændringen kan ikke gennemføres", detail: error.description)
        } catch let error as StoreError {
            throw Problem(.conflict, "account-conflict", title: "Ændringen kan ikke gennemføres", detail: error.description)
        }
    }
}
