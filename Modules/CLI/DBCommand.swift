import AppSupport
import ArgumentParser

/// `beskplan db …`: the database itself.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the database.", subcommands: [Migrate.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the database or bring its schema up to date.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try database.location.openStore()
            let applied = try await store.migrate()
            let all = try await store.appliedMigrations()
            if applied.isEmpty {
                print("\(database.location): schema is up to date (\(all.count) migrations).")
            } else {
                print("\(database.location): applied \(applied.joined(separator: ", ")); \(all.count) migrations in all.")
            }
        }
    }
}
