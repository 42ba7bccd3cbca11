import AppSupport
import ArgumentParser
import Foundation
import Spreadsheet

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

/// How figures are given: as a listing, or as an Excel workbook (`--format xlsx`, which needs
/// `--out` unless standard output is a file or a pipe).
enum FigureFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, markdown, xlsx

    var listing: OutputFormat? { OutputFormat(rawValue: rawValue) }
}

/// `--out FILE` for a workbook.
struct WorkbookOutput: ParsableArguments {
    @Option(name: .long, help: "With --format xlsx: the file to write (default: standard output, if it is not a terminal).")
    var out: String?

    /// Writes the workbook to `--out` or standard output; refuses to pour it into a terminal.
    func write(_ tables: [SheetTable]) throws {
        if let out {
            do {
                try Workbook.write(tables, to: out)
            } catch {
                throw UserError("\(error)")
            }
            FileHandle.standardError.write(Data("Wrote \(out)\n".utf8))
            return
        }
        guard isatty(STDOUT_FILENO) == 0 else {
            throw UserError("an Excel workbook is not for the terminal: give --out FILE.xlsx, or send the output to a file")
        }
        FileHandle.standardOutput.write(try Workbook.data(tables))
    }
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
