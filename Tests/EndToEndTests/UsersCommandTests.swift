import Foundation
import Storage
import Testing

/// `beskplan users` and `beskplan tokens` as an operator uses them at a terminal or in a script.
@Suite("users and tokens")
struct UsersCommandTests {
    @Test("A user added with a password on stdin is listed with kommune and role; the password is nowhere in clear")
    func addAndList() async throws {
        let db = Binary.temporaryPath("users.sqlite")
        let add = try Binary.beskplan.run(
            ["users", "add", "anna", "--kommune", "Samsø", "--role", "editor", "--db", db], input: "et-langt-kodeord\n")
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("anna: editor in Samsø"))
        #expect(!(add.stdout + add.stderr).contains("et-langt-kodeord"))

        let list = try Binary.beskplan.run(["users", "list", "--db", db])
        #expect(list.stdout.contains("anna") && list.stdout.contains("editor") && list.stdout.contains("Samsø"))

        let store = try SQLiteStore(path: db)
        let stored = try await store.account(username: "anna")
        #expect(stored?.passwordHash.hasPrefix("$2b$") == true, "a bcrypt hash")
        #expect(stored?.passwordHash.contains("et-langt-kodeord") == false)
        #expect(try await store.auditLog(limit: 5).contains { $0.action == "user.add" && !$0.detail.contains("kodeord") })
    }

    @Test("Refused: a short password, a kommune for an operator, a user without kommune, a taken name, a password as an option")
    func refusals() throws {
        let db = Binary.temporaryPath("users.sqlite")
        let cases: [([String], String?, String)] = [
            (["users", "add", "bo", "--kommune", "741", "--role", "viewer"], "kort\n", "at least 10 characters"),
            (["users", "add", "ops", "--kommune", "741", "--role", "operator"], "et-langt-kodeord\n", "leave out --kommune"),
            (["users", "add", "bo", "--role", "viewer"], "et-langt-kodeord\n", "give --kommune"),
            (["users", "add", "bo", "--kommune", "741", "--role", "viewer"], nil, "no password on standard input"),
            (["users", "add", "bo", "--kommune", "741", "--role", "viewer", "--password", "x"], nil, "Unknown option"),
            (["users", "add", "Bo Bo", "--kommune", "741", "--role", "viewer"], "et-langt-kodeord\n", "a username is"),
        ]
        for (arguments, input, message) in cases {
            let run = try Binary.beskplan.run(arguments + ["--db", db], input: input)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
        _ = try Binary.beskplan.run(["users", "add", "bo", "--kommune", "741", "--role", "viewer", "--db", db], input: "et-langt-kodeord\n")
        let again = try Binary.beskplan.run(
            ["users", "add", "bo", "--kommune", "101", "--role", "viewer", "--db", db], input: "et-langt-kodeord\n")
        #expect(again.stderr.contains("Brugernavnet er optaget"))
    }

    @Test("A token is printed once, stored only as a hash, and stops working when revoked or its user is disabled")
    func tokens() async throws {
        let db = Binary.temporaryPath("users.sqlite")
        _ = try Binary.beskplan.run(["users", "add", "anna", "--kommune", "741", "--role", "editor", "--db", db], input: "et-langt-kodeord\n")
        let created = try Binary.beskplan.run(["tokens", "create", "anna", "--label", "nightly", "--db", db])
        #expect(created.status == 0)
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("bp_") && token.count > 40)
        let files = [db, db + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
        let dump = files.map { String(decoding: $0, as: UTF8.self) }.joined()
        #expect(!dump.contains(token), "the token is not in the database file")

        let store = try SQLiteStore(path: db)
        let tokens = try await store.tokens(accountID: try #require(try await store.account(username: "anna")).id)
        #expect(tokens.map(\.label) == ["nightly"])
        #expect(try Binary.beskplan.run(["tokens", "revoke", "\(tokens[0].id)", "--db", db]).status == 0)
        #expect(try await store.tokens(accountID: tokens[0].accountID).map(\.revoked) == [true])
        #expect(try Binary.beskplan.run(["tokens", "revoke", "99", "--db", db]).stderr.contains("no token 99"))
    }
}
