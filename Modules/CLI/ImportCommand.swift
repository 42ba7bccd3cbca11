import AppSupport
import ArgumentParser
import Foundation
import MappingFormat
import XMLImport

/// `beskplan import`: statistics files into the database, each file all or nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import statistics files (beskplan feed XML, SDMX-ML, CSV) into the database.",
        discussion: """
            Each file is imported in one transaction: whole or not at all. SDMX and CSV need a mapping \
            (docs/import-mapping.md): a file, or a shipped name such as dst-auk01, jobindsats-y60a02 or \
            norddjurs-jobordrer. --inspect shows what an SDMX file holds, to write one.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case auto, feed, sdmx, csv
    }

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "Files to import.")
    var files: [String]

    @Option(help: "auto (detect), feed, sdmx or csv.")
    var format: Format = .auto

    @Option(help: "Mapping for SDMX and CSV: a YAML file or a shipped mapping's name.")
    var mapping: String?

    @Option(help: "CSV encoding: utf-8, windows-1252 or iso-8859-1 (default: detected).")
    var encoding: String?

    @Flag(help: "Check and count everything, write nothing.")
    var dryRun = false

    @Flag(help: "Describe SDMX files (dataset, layout, dimensions and codes) instead of importing.")
    var inspect = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one file") }
    }

    func run() async throws {
        if inspect {
            for file in files { print(try Inspection.describe(file)) }
            return
        }
        let env = try await database.environment()
        let importer = FileImporter(env)
        let loadedMapping = try mapping.map { try FileImporter.mapping($0, environment: env) }
        var failures = 0
        for file in files {
            let bar = ProgressBar(label: URL(fileURLWithPath: file).lastPathComponent)
            do {
                let summary = try await importer.importFile(
                    file, format: FileImporter.Format(rawValue: format.rawValue) ?? .auto, mapping: loadedMapping,
                    dryRun: dryRun, encoding: encoding, progress: bar.update)
                bar.finish()
                print(Self.describe(summary))
            } catch {
                bar.finish()
                failures += 1
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            }
        }
        if failures > 0 {
            throw ExitCode(1)
        }
    }

    static func describe(_ s: FileImporter.Summary) -> String {
        let r = s.result
        var line = "\(s.file): \(s.kind), \(r.series) series, \(r.observations) observations"
        line += ", \(r.replaced) replaced, \(r.skipped.total) skipped"
        line += r.dryRun ? " (dry run: nothing written)" : " (import \(r.importID ?? 0))"
        for (reason, count) in r.skipped.reasons.sorted(by: { $0.value > $1.value }).prefix(5) {
            line += "\n  skipped \(count): \(reason)"
        }
        return line
    }
}

/// `--inspect`: what an SDMX file holds.
enum Inspection {
    static func describe(_ file: String) throws -> String {
        let kind = try XMLDocumentKind.detect(path: file)
        guard kind.isSDMX else {
            return "\(file): a beskplan feed; it imports without a mapping."
        }
        let i = try SDMXInspection.inspect(path: file, kind: kind)
        var lines = [
            "\(file): \(kind.rawValue)",
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
}
