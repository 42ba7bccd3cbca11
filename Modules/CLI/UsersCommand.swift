import AppSupport
import ArgumentParser
import Storage
import Foundation

/// `beskplan users …`: who may sign in to the server, with which role in which kommune.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage the server's users.",
        discussion: "Passwords are read from standard input (asked for, unechoed, at a terminal), never from an option.",
        subcommands: [Add.self, List.self, Passwd.self, Disable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a user of a kommune, or an installation operator.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username (a–z, 0–9, '.', '_', '-').") var username: String
        @Option(help: "The user's kommune (code, slug or name); not for an operator.") var kommune: String?
        @Option(help: "viewer, updater, editor, admin or operator.") var role: Account.Role

        func run() async throws {
            let environment = try await database.environment()
            let area = try kommune.map { try environment.kommune($0) }
            let password = try Password.read(confirm: true)
            let account = try await AccountService(environment).addUser(
                username: username, kommune: area?.code, role: role, password: password, actor: AuditActor.current)
            print("Added \(account.username): \(account.role.rawValue)\(area.map { " in \($0.name)" } ?? " of the installation").")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the users, of one kommune or all.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this kommune's users.") var kommune: String?

        func run() async throws {
            let environment = try await database.environment()
            let accounts = try await AccountService(environment).users(try kommune.map { try environment.scope($0) })
            guard !accounts.isEmpty else { return print("No users.") }
            var table = TextTable(["user", "role", "kommune", "state", "created"])
            for a in accounts {
                table.append([
                    a.username, a.role.rawValue, a.kommune.map { (try? environment.kommune($0.rawValue).name) ?? $0.rawValue } ?? "–",
                    a.disabled ? "disabled" : "active", String(a.createdAt.prefix(10)),
                ])
            }
            print(table.render())
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "passwd", abstract: "Set a user's password (and end their sessions).")

        @OptionGroup var database: DatabaseOptions
        @Argument var username: String

        func run() async throws {
            let environment = try await database.environment()
            let password = try Password.read(confirm: true)
            try await AccountService(environment).setPassword(username: username, password: password, actor: AuditActor.current)
            print("Password of \(username) changed; their sessions are ended.")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Disable a user: no login, session or token works any more.")

        @OptionGroup var database: DatabaseOptions
        @Argument var username: String

        func run() async throws {
            let environment = try await database.environment()
            try await AccountService(environment).disable(username: username, actor: AuditActor.current)
            print("\(username) is disabled.")
        }
    }
}

/// `beskplan tokens …`: API tokens for scripts.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Create and revoke API tokens.", subcommands: [Create.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create an API token for a user; it is printed once and cannot be shown again.")

        @OptionGroup var database: DatabaseOptions
        @Argument var username: String
        @Option(help: "What the token is for.") var label = "api"

        func run() async throws {
            let environment = try await database.environment()
            let (id, token) = try await AccountService(environment).createToken(
                username: username, label: label, actor: AuditActor.current)
            FileHandle.standardError.write(Data("Token \(id) for \(username) (shown once; send it as Authorization: Bearer …):\n".utf8))
            print(token)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke an API token by its number.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The token's number, as printed when it was created.") var id: Int64

        func run() async throws {
            let environment = try await database.environment()
            try await AccountService(environment).revokeToken(id, actor: AuditActor.current)
            print("Token \(id) is revoked.")
        }
    }
}

extension Account.Role: ExpressibleByArgument {}

/// Who runs the command, for the audit log: as every other command records it.
enum AuditActor {
    static var current: String { ImportOrigin.defaultActor }
}

/// A password from standard input: asked for without echo at a terminal, else one line.
enum Password {
    static func read(confirm: Bool) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw UserError("no password on standard input")
            }
            return line
        }
        let first = String(cString: getpass("Password: "))
        if confirm {
            let second = String(cString: getpass("Again: "))
            guard first == second else { throw UserError("the two passwords differ") }
        }
        return first
    }
}
