import AppSupport
import ArgumentParser
import Foundation

/// `beskplan db …`: the database itself.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the database.", subcommands: [Migrate.self, Backup.self, Copy.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
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

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Copy a SQLite database, while the server runs, into a new file.",
            discussion: """
                SQLite's online backup: one consistent snapshot of everything (observations, plans, assessments, users, tokens, the audit log), \
                taken while others go on reading and writing. To restore, stop the servers and put the copy in the database's place. \
                A PostgreSQL database is backed up with pg_dump --format=custom (docs/operations.md).
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: "The new SQLite file to write; it must not exist.")
        var to: String

        func run() async throws {
            try await AppEnvironment.backup(database.location, to: to)
            let size = (try? FileManager.default.attributesOfItem(atPath: to)[.size] as? Int64) ?? 0
            let shown = size >= 1 << 20 ? "\(size >> 20) MB" : "\(max(1, size >> 10)) KB"
            print("\(database.location) → \(to): backed up (\(shown)).")
        }
    }

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
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
