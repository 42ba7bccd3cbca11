import AppSupport
import Foundation
import OpenAPIRuntime
import Storage

/// A kommune's users (its admins), and each caller's own API tokens.
extension API {
    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        .ok(.init(body: .json(try await accounts.users(scope).map(Self.user))))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let scope = try scope
        guard case .json(let new) = input.body else { throw Problem.badRequest("Send brugeren som JSON.") }
        let account = try await refusedAsProblem {
            try await accounts.addUser(
                username: new.username, kommune: scope.code, role: Account.Role(rawValue: new.role.rawValue) ?? .viewer,
                password: new.password, actor: actor)
        }
        return .created(.init(body: .json(Self.user(account))))
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        let scope = try scope
        guard case .json(let change) = input.body else { throw Problem.badRequest("Send ændringen som JSON.") }
        // A user of another kommune is not found here: an admin learns nothing of other kommuners' users.
        guard let existing = try await accounts.user(input.path.username, in: scope) else {
            throw Problem.notFound("\(scope.name) har ingen bruger ved det navn.")
        }
        guard let admin = caller?.account else { throw Problem.unauthenticated() }
        let account = try await refusedAsProblem {
            try await accounts.change(
                existing, role: change.role.flatMap { Account.Role(rawValue: $0.rawValue) }, disabled: change.disabled,
                password: change.password, by: admin)
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
        return .ok(.init(body: .json(try await accounts.tokens(of: caller.account).map {
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
        guard try await accounts.revokeToken(input.path.id, heldBy: [caller.account], actor: actor) != nil else {
            throw Problem.notFound("Du har intet API-token med id \(input.path.id).")
        }
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
