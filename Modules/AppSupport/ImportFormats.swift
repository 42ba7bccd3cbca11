import BeskplanCore
import CSVImport
import CubeImport
import Foundation

/// The formats read through `ImportFormat`: one line each. The native feed, SDMX and CSV have
/// readers of their own that cut large files into segments for every core (`FileImporter`).
public enum ImportFormats {
    public static let builtIn: [any ImportFormat] = [PXFormat(), JSONStatFormat(), JobindsatsJSONFormat()]

    /// The built-in formats and those the plugins add.
    public static func all(_ environment: AppEnvironment) -> [any ImportFormat] {
        builtIn + environment.registry.entries.flatMap { $0.plugin.importFormats }
    }

    /// The format `name` names (`px`), or, for `auto`, the one whose content the file has; `nil`
    /// for the feed, SDMX and CSV.
    static func chosen(_ name: String, path: String, environment: AppEnvironment) throws -> (any ImportFormat)? {
        let formats = all(environment)
        if name != "auto" { return formats.first { $0.id == name } }
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
        return formats.first { $0.matches(head: head) }
    }
}

extension FileImporter {
    /// Imports a file of a listed format: all or nothing, as every import.
    func importFile(
        _ file: ImportFile, as format: any ImportFormat, mapping: ImportMapping?, dryRun: Bool,
        progress: (@Sendable (Int64, Int64) -> Void)?
    ) async throws -> Summary {
        let catalog = ImportCatalog(measures: environment.measures)
        let check = ImportCheck(file: file.name, mapping: mapping)
        let result = try await environment.store.importObservations(
            importOrigin(format.id, file.path), dryRun: dryRun
        ) {
            ImportPipeline(
                SourceSequence(try format.sources(file, mapping: mapping, catalog: catalog)), progress: progress,
                finish: check.callAsFunction, accept: areaCheck(file.name))
        }
        return Summary(file: recordedOrigin?.file ?? file.path, kind: format.name + (mapping?.name.map { " (\($0))" } ?? ""), result: result)
    }
}

/// Several sources read one after another, as one (the datasets of a JSON-stat bundle).
final class SourceSequence: ObservationSource, ReadProgress {
    private var sources: [any ObservationSource & ReadProgress]
    private var current = 0

    init(_ sources: [any ObservationSource & ReadProgress]) {
        self.sources = sources
    }

    func nextChunk() throws -> ObservationChunk? {
        while current < sources.count {
            if let chunk = try sources[current].nextChunk() { return chunk }
            current += 1
        }
        return nil
    }

    var skipped: SkipReport {
        var all = SkipReport()
        for source in sources { all.merge(source.skipped) }
        return all
    }

    var bytesRead: Int64 { sources.indices.contains(current) ? sources[current].bytesRead : totalBytes }
    var totalBytes: Int64 { sources.first?.totalBytes ?? 0 }
}
