import AppSupport
import ArgumentParser

/// `beskplan db …`: the database itself.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the database.", subcommands: [Migrate.self, Copy.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the database or bring its schema up to date.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (applied, all) = try await AppEnvironment.migrate(database.location)
            if applied.isEmpty {
                print("\(database.location): schema is up to date (\(all.count) migrations).")
            } else {
                print("\(database.location): applied \(applied.joined(separator: ", ")); \(all.count) migrations in all.")
            }
        }
    }

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy everything in the database into another, empty one (SQLite or PostgreSQL, either way).",
            discussion: """
                Observations, every plan version, assessments, the audit log, users and API tokens are copied row for row, with their ids, \
                and read back to check (sessions are not: users sign in again). The target is created and migrated if needed; it must hold nothing yet.
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: "The target: a SQLite file or postgres://user:password@host:port/database.")
        var to: String

        func run() async throws {
            let source = try await database.environment()
            let target = try await AppEnvironment.open(database: .resolve(option: to))
            let summary = try await StoreCopy.copy(from: source, to: target)
            print("\(source.database) → \(target.database): copied \(summary.description).")
        }
    }
}
