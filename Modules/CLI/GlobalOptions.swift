import AppSupport
import ArgumentParser

/// `--db`, shared by every command that touches the database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "SQLite file (or :memory:) or postgres://user:password@host:port/db. Default: $BESKPLAN_DB, else ./beskplan.sqlite.")
    var db: String?

    var location: DatabaseLocation { .resolve(option: db) }

    /// The wired environment, with the database migrated.
    func environment() async throws -> AppEnvironment {
        try await AppEnvironment.open(database: location)
    }
}

/// How a listing is printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
    /// A GitHub-flavoured Markdown table, for docs.
    case markdown
}

/// Errors are one line on stderr and a non-zero exit; argument-parser prints `Error: …`.
struct UserError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `--as-of`: a date, or today (in Denmark).
enum AsOf {
    static func day(_ text: String?, clock: AppClock) throws -> Day {
        try text.map { try DateInput.day($0, name: "--as-of") } ?? clock.today
    }
}
