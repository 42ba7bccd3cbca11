import AppSupport
import ArgumentParser
import Foundation
import MappingFormat
import CSVImport
import XMLImport

/// `beskplan import`: statistics files into the database, each file all or nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import statistics files (beskplan feed XML, SDMX-ML, CSV, PX, JSON-stat) into the database.",
        discussion: """
            Each file is imported in one transaction: whole or not at all. SDMX, CSV, PX and JSON-stat need a \
            mapping (docs/import-mapping.md): a file, or a shipped name such as dst-auk01, jobindsats-y60a02 or \
            norddjurs-jobordrer. --inspect shows what a file holds, to write one.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case auto, feed, sdmx, csv, px, jsonstat, jobindsats
        /// The input detected, the summary as JSON (for scripts; the same as `--output json`).
        case json
    }

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "Files to import.")
    var files: [String]

    @Option(help: "The input: auto (detect), feed, sdmx, csv, px, jsonstat or jobindsats; json detects the input and prints the summary as JSON.")
    var format: Format = .auto

    @Option(help: "The summary: text or json.")
    var output: Output = .text

    @Option(help: "Mapping for SDMX and CSV: a YAML file or a shipped mapping's name.")
    var mapping: String?

    @Option(help: "CSV encoding: utf-8, windows-1252 or iso-8859-1 (default: detected).")
    var encoding: String?

    @Option(help: "PX: which of the file's languages to read (default: the file's own).")
    var language: String?

    @Option(help: "A JSON-stat bundle or an SDMX 2.0 MessageGroup: the one data set to read, by name or position (default: all).")
    var dataset: String?

    @Flag(help: "Check and count everything, write nothing (the database file is not created or changed).")
    var dryRun = false

    @Flag(help: "Describe each file (its components and their values, periods, series and observations) instead of importing.")
    var inspect = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one file") }
    }

    var json: Bool { output == .json || format == .json }

    func run() async throws {
        if inspect {
            for file in files { print(try Inspection.describe(file, language: language, dataset: dataset)) }
            return
        }
        let env: AppEnvironment
        var cleanup: @Sendable () -> Void = {}
        if dryRun {
            (env, cleanup) = try await AppEnvironment.openScratchCopy(of: database.location)
        } else {
            env = try await database.environment()
        }
        defer { cleanup() }
        let importer = FileImporter(env)
        let loadedMapping = try mapping.map { try FileImporter.mapping($0, environment: env) }
        let inputFormat = FileImporter.Format(rawValue: format.rawValue) ?? .auto
        var failures = 0
        var reports: [FileReport] = []
        for file in files {
            let bar = ProgressBar(label: URL(fileURLWithPath: file).lastPathComponent)
            do {
                let summary = try await importer.importFile(
                    file, format: inputFormat, mapping: loadedMapping, dryRun: dryRun, encoding: encoding, language: language,
                    dataset: dataset, progress: bar.update)
                bar.finish()
                if json { reports.append(FileReport(summary)) } else { print(Self.describe(summary)) }
            } catch {
                bar.finish()
                failures += 1
                if json { reports.append(FileReport(file: file, error: error)) }
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        }
        if failures > 0 {
            throw ExitCode(1)
        }
    }

    /// The summary of one file: counts, then every skip reason, the most frequent first, each with
    /// its count and first line.
    static func describe(_ s: FileImporter.Summary) -> String {
        let r = s.result
        var line = "\(s.file): \(s.kind), \(r.series) series, \(r.observations) observations"
        line += ", \(r.replaced) replaced, \(r.skipped.total) skipped"
        line += r.dryRun ? " (dry run: nothing written)" : " (import \(r.importID ?? 0))"
        for entry in r.skipped.sorted {
            line += "\n  skipped \(entry.count): \(entry.reason)"
            if entry.firstLine > 0 { line += " (first on line \(entry.firstLine))" }
        }
        return line
    }

    /// One file's outcome in `--output json`.
    struct FileReport: Encodable {
        struct Skip: Encodable {
            let reason: String
            let count: Int
            let firstLine: Int
        }

        struct Failure: Encodable {
            let file: String
            let line: Int?
            let column: Int?
            let message: String
        }

        let file: String
        var format: String?
        var importID: Int64?
        var dryRun: Bool?
        var series: Int?
        var observations: Int?
        var replaced: Int?
        var skipped: Int?
        var skips: [Skip]?
        var error: Failure?

        init(_ s: FileImporter.Summary) {
            file = s.file
            format = s.kind
            importID = s.result.importID
            dryRun = s.result.dryRun
            series = s.result.series
            observations = s.result.observations
            replaced = s.result.replaced
            skipped = s.result.skipped.total
            skips = s.result.skipped.sorted.map { Skip(reason: $0.reason, count: $0.count, firstLine: $0.firstLine) }
        }

        init(file: String, error: any Error) {
            self.file = file
            if let located = error as? ImportError {
                self.error = Failure(file: located.file, line: located.line, column: located.column, message: located.message)
            } else {
                self.error = Failure(file: file, line: nil, column: nil, message: String(describing: error))
            }
        }
    }
}

/// `--inspect`: what an SDMX file holds.
enum Inspection {
    static func describe(_ file: String, language: String? = nil, dataset: String? = nil) throws -> String {
        switch try FileInspection.inspect(file, language: language, dataset: dataset) {
        case .feed: return "\(file): a beskplan feed; it imports without a mapping."
        case .csv(let i): return describe(i, file)
        case .sdmx(let i): return describe(i, file)
        case .table(let i): return describe(i, file)
        }
    }

    /// A format of the list (PX, JSON-stat): the inspection every such format gives.
    static func describe(_ i: ImportInspection, _ file: String) -> String {
        var lines = ["\(file): \(i.format); it imports with a --mapping"]
        for detail in i.details { lines.append("  \(detail.label): \(detail.value)") }
        lines.append("  series: \(i.seriesCount)  observations: \(i.observationCount)  missing: \(i.missingCount)")
        lines.append("  time (\(i.timeComponent ?? "-")): \(i.firstPeriod?.description ?? "-") … \(i.lastPeriod?.description ?? "-")")
        lines.append("  components:")
        for component in i.components {
            let shown = component.values.prefix(12).map { "\($0.value.clippedForMessage(40)) (\($0.count))" }.joined(separator: ", ")
            let more = component.distinct > 12 ? ", … \(component.distinct) values in all" : ""
            lines.append("    \(component.id): \(shown)\(more)")
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ i: SDMXInspection, _ file: String) -> String {
        var lines = [
            "\(file): \(i.kind.rawValue)",
            "  dataset: \(i.datasetID ?? "-")  structure: \(i.structureRef ?? "-")",
            "  layout: \(i.layout)  series: \(i.seriesCount)  observations: \(i.observationCount)  missing: \(i.missingCount)",
            "  time (\(i.timeComponent)): \(i.firstPeriod?.description ?? "-") … \(i.lastPeriod?.description ?? "-")",
            "  components:",
        ]
        for component in i.components {
            let shown = component.codes.prefix(12).map { "\($0.code) (\($0.count))" }.joined(separator: ", ")
            let more = component.codes.count > 12 ? ", … \(component.codes.count) codes in all" : ""
            lines.append("    \(component.id): \(shown)\(more)")
        }
        if !i.statuses.isEmpty {
            lines.append("  OBS_STATUS: " + i.statuses.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// `--inspect` for CSV: the columns and their values, to write a mapping from.
    static func describe(_ i: CSVInspection, _ file: String) -> String {
        var lines = [
            "\(file): CSV (\(i.encoding), separator '\(i.separator)'), \(i.rows) rows; it imports with a --mapping",
            "  time (\(i.period?.column ?? "-")): \(i.period.map { "\($0.first) … \($0.last)" } ?? "no column holds periods only")",
            "  columns:",
        ]
        for column in i.columns {
            let shown = column.values.map { "\($0.value.clippedForMessage(40)) (\($0.count))" }.joined(separator: ", ")
            let all = column.more ? "more than \(column.distinct)" : "\(column.distinct)"
            let rest = column.distinct > column.values.count ? ", … \(all) values in all" : ""
            lines.append("    \(column.name.clippedForMessage(40)): \(shown)\(rest)")
            if let areas = column.areas {
                var summary = "      areas: \(areas.areas) known, \(areas.nonAreas) skipped as no area (landsdele, abroad, …)"
                if !areas.unknown.isEmpty {
                    summary += "; unknown, an import refuses them: "
                        + areas.unknown.prefix(5).map { "'\($0.clippedForMessage(40))'" }.joined(separator: ", ")
                    if areas.unknown.count > 5 { summary += " and \(areas.unknown.count - 5) more" }
                }
                lines.append(summary)
            }
        }
        return lines.joined(separator: "\n")
    }
}
