import CSVImport
import CubeImport
import Foundation
import MappingFormat
import Storage
import XMLImport

/// Imports statistics files into the store: detects the format, streams the file through its
/// reader into one transaction, and reports what was written and what was skipped.
public struct FileImporter: Sendable {
    /// Which reader to use.
    public enum Format: String, Sendable, CaseIterable {
        case auto, feed, sdmx, csv, px, jsonstat, jobindsats
    }

    /// What one file's import did.
    public struct Summary: Sendable, Codable {
        public let file: String
        public let kind: String
        public let result: ImportResult
    }

    let environment: AppEnvironment
    /// Files from this size up are read in segments, on every core.
    let segmentMinimumSize: Int64
    /// Who imports, for the import record and the audit log.
    let actor: String
    /// Only figures of this area may be imported (a kommune's upload of its own data): any other
    /// refuses the whole file.
    let onlyArea: Area?
    /// What the import record says the figures came from, when not the file itself (a fetch:
    /// the source and its address); its `file` also names the input in errors.
    let recordedOrigin: ImportOrigin?

    public init(
        _ environment: AppEnvironment, segmentMinimumSize: Int64 = 8 << 20, actor: String = ImportOrigin.defaultActor,
        onlyArea: Area? = nil, origin: ImportOrigin? = nil
    ) {
        self.environment = environment
        self.segmentMinimumSize = segmentMinimumSize
        self.actor = actor
        self.onlyArea = onlyArea
        recordedOrigin = origin
    }

    /// The import record's origin: the one given, or the file's own.
    func importOrigin(_ source: String, _ path: String) -> ImportOrigin {
        recordedOrigin ?? ImportOrigin(source: source, file: path, actor: actor)
    }

    /// The check of `onlyArea`, for the pipeline.
    func areaCheck(_ file: String) -> ((ObservationChunk) throws -> Void)? {
        guard let onlyArea else { return nil }
        let names = environment.areas
        return { chunk in
            guard chunk.series.area != onlyArea.code else { return }
            let other = names[chunk.series.area].map { "\($0.name) (\($0.code))" } ?? chunk.series.area.rawValue
            throw ImportError(
                file: file, line: 0, column: 0,
                message: "the file has figures for \(other); an upload for \(onlyArea.name) may only hold \(onlyArea.name)'s own")
        }
    }

    /// Imports one file, all or nothing. `progress` is called with (bytes read, total bytes).
    public func importFile(
        _ path: String, format: Format = .auto, mapping: ImportMapping? = nil, dryRun: Bool = false,
        encoding: String? = nil, language: String? = nil, dataset: String? = nil, progress: (@Sendable (Int64, Int64) -> Void)? = nil
    ) async throws -> Summary {
        let catalog = ImportCatalog(measures: environment.measures)
        // What messages call the input: a fetched answer by its address, a file by its path.
        let name = recordedOrigin?.file ?? path
        try Self.checkReadable(path, name: name)
        // The formats of the list (PX, JSON-stat, a plugin's), by name or by content.
        if let other = try ImportFormats.chosen(format.rawValue, path: path, environment: environment) {
            let file = ImportFile(path: path, name: recordedOrigin?.file, language: language, encoding: encoding, dataset: dataset)
            return try await importFile(file, as: other, mapping: mapping, dryRun: dryRun, progress: progress)
        }
        let isCSV = CSVSource.looksLikeCSV(path: path)
        // An XML file's kind, read once: for a `--format` that contradicts it, and for its reader.
        let xmlKind = isCSV ? nil : Result { () throws(ImportError) in try XMLDocumentKind.detect(path: path) }
        if let mismatch = Self.formatMismatch(format, isCSV: isCSV, kind: try? xmlKind?.get()) {
            throw ImportError(file: name, line: 1, column: 1, message: mismatch)
        }
        if format == .csv || (format == .auto && isCSV) {
            guard let mapping else {
                throw ImportError(
                    file: name, line: 1, column: 1,
                    message: "CSV needs a mapping (--mapping FILE.yaml or a shipped name: \(Self.mappingNames(environment).joined(separator: ", ")))")
            }
            let check = ImportCheck(file: name, mapping: mapping) { component in
                (try? CSVSource(path: path, mapping: mapping, catalog: catalog, encoding: encoding))?.header
                    .firstIndex(of: component).map { $0 + 1 }
            }
            let result = try await importInSegmentsOrWhole(
                importOrigin("csv", path), check: check, table: true, dryRun: dryRun, progress: progress,
                segments: { () throws -> [CSVSource]? in
                    guard let (segments, detected) = try CSVSource.segments(
                        path: path, mapping: mapping, catalog: catalog, encoding: encoding, parts: cores,
                        minimumSize: segmentMinimumSize)
                    else { return nil }
                    return try segments.map {
                        try CSVSource(
                            path: path, displayName: recordedOrigin?.file, mapping: mapping, catalog: catalog, encoding: detected, segment: $0)
                    }
                },
                whole: { try CSVSource(path: path, displayName: recordedOrigin?.file, mapping: mapping, catalog: catalog, encoding: encoding) })
            return Summary(file: name, kind: "CSV (\(mapping.name ?? "mapping"))", result: result)
        }
        let kind = try (xmlKind ?? Result { () throws(ImportError) in try XMLDocumentKind.detect(path: path) }).get()
        let origin = importOrigin(kind == .feed ? "feed" : "sdmx", path)
        if kind == .feed {
            let result = try await importInSegmentsOrWhole(
                origin, check: ImportCheck(file: name, mapping: nil), table: false, dryRun: dryRun, progress: progress,
                segments: {
                    try FeedSource.segments(path: path, parts: cores, minimumSize: segmentMinimumSize)?.map {
                        try FeedSource(segment: $0, catalog: catalog)
                    }
                },
                whole: { try FeedSource(path: path, catalog: catalog) })
            return Summary(file: name, kind: "beskplan feed", result: result)
        }
        guard let mapping else {
            throw ImportError(
                file: name, line: 1, column: 1,
                message: "\(kind.rawValue) needs a mapping (--mapping FILE.yaml); `beskplan import --inspect \(path)` shows its dimensions")
        }
        let result = try await importInSegmentsOrWhole(
            origin, check: ImportCheck(file: name, mapping: mapping), table: true, dryRun: dryRun, progress: progress,
            segments: {
                // One data set of several is read whole.
                guard dataset == nil else { return nil }
                return try SDMXSource.segments(path: path, parts: cores, minimumSize: segmentMinimumSize)?.map {
                    try SDMXSource(path: path, kind: kind, mapping: mapping, catalog: catalog, segment: $0)
                }
            },
            whole: { try SDMXSource(path: path, kind: kind, mapping: mapping, catalog: catalog, dataset: dataset) })
        return Summary(file: name, kind: kind.rawValue, result: result)
    }
}

extension FileImporter {
    /// What is wrong when `--format` names another format than the file is, with the way on.
    static func formatMismatch(_ format: Format, isCSV: Bool, kind: XMLDocumentKind?) -> String? {
        switch (format, isCSV, kind) {
        case (.csv, false, _):
            return "--format csv, but the file is \(kind.map { "\($0.rawValue) XML" } ?? "XML") (it starts with '<'); "
                + "leave out --format to detect it"
        case (.feed, true, _), (.sdmx, true, _):
            return "--format \(format.rawValue), but the file is not XML (it looks like CSV); use --format csv with a --mapping"
        case (.sdmx, false, .feed?):
            return "--format sdmx, but the file is a beskplan feed; leave out --format, a feed needs no mapping"
        case (.feed, false, let kind?) where kind != .feed:
            return "--format feed, but the file is \(kind.rawValue); leave out --format and give a --mapping"
        default:
            return nil
        }
    }

    /// A file that is missing, a folder or empty, said in those words before any reader sees it.
    static func checkReadable(_ path: String, name: String? = nil) throws {
        let name = name ?? path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ImportError(file: name, line: 0, column: 0, message: "no such file")
        }
        guard !isFolder.boolValue else { throw ImportError(file: name, line: 0, column: 0, message: "is a folder, not a file") }
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value,
            FileManager.default.isReadableFile(atPath: path)
        else { throw ImportError(file: name, line: 0, column: 0, message: "cannot read the file") }
        guard size > 0 else { throw ImportError(file: name, line: 0, column: 0, message: "the file is empty") }
    }

    /// Imports a file in segments if it can, else whole (see `importSegmented`). A `table` (CSV,
    /// SDMX) has one value per cell, so each of its series must come from one segment.
    func importInSegmentsOrWhole<Source: ObservationSource & ReadProgress & SendableMetatype>(
        _ origin: ImportOrigin, check: ImportCheck, table: Bool, dryRun: Bool, progress: (@Sendable (Int64, Int64) -> Void)?,
        segments: () throws -> [Source]?, whole: () throws -> Source
    ) async throws -> ImportResult {
        if let result = await importSegmented(
            origin, check: check, table: table, dryRun: dryRun, progress: progress, sources: segments)
        {
            return result
        }
        return try await environment.store.importObservations(origin, dryRun: dryRun) {
            ImportPipeline(try whole(), progress: progress, finish: check.callAsFunction, accept: areaCheck(check.file))
        }
    }

    /// Imports a large file on every core, its segments each read by their own source, or
    /// returns `nil` to have it read whole: when `sources` gives none (a small file, no cuts) or
    /// any segment fails. A failed attempt is rolled back like any failed import; reading the
    /// file whole then gives the true result, or the error at its true line.
    func importSegmented<Source: ObservationSource & ReadProgress & SendableMetatype>(
        _ origin: ImportOrigin, check: ImportCheck? = nil, table: Bool = false, dryRun: Bool,
        progress: (@Sendable (Int64, Int64) -> Void)?, sources: () throws -> [Source]?
    ) async -> ImportResult? {
        do {
            guard let sources = try sources() else { return nil }
            return try await environment.store.importObservations(
                origin,
                from: ImportPipeline(
                    segments: sources, progress: progress, finish: check.map { $0.callAsFunction },
                    oneSegmentPerSeries: table, accept: areaCheck(origin.file ?? "-")),
                dryRun: dryRun)
        } catch {
            return nil
        }
    }

    /// How many segments a large file is cut into: one per core.
    var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// A mapping by path, or by the name of a shipped or plugin mapping (`dst-auk01`, `norddjurs-jobordrer`).
    public static func mapping(_ nameOrPath: String, environment: AppEnvironment) throws -> ImportMapping {
        if FileManager.default.fileExists(atPath: nameOrPath) { return try MappingFile.load(path: nameOrPath) }
        guard let url = namedMappings(environment)[nameOrPath] else {
            let names = mappingNames(environment)
            let hint = DanishText.closest(to: nameOrPath, among: names).map { "; did you mean '\($0)'?" } ?? ""
            throw ImportError(file: nameOrPath, line: 0, column: 0, message: "no such mapping file or shipped mapping\(hint)")
        }
        return try MappingFile.load(path: url.path)
    }

    /// A shipped or plugin mapping by its name only, never a file of the caller's choosing (the server's uploads).
    public static func namedMapping(_ name: String, environment: AppEnvironment) throws -> ImportMapping {
        guard let url = namedMappings(environment)[name] else {
            throw ImportError(
                file: name, line: 0, column: 0, message: "no shipped mapping of that name (there are \(mappingNames(environment).joined(separator: ", ")))")
        }
        return try MappingFile.load(path: url.path)
    }

    static func namedMappings(_ environment: AppEnvironment) -> [String: URL] {
        var all = ShippedMappings.all
        for entry in environment.registry.entries {
            for url in entry.plugin.importMappings { all[url.deletingPathExtension().lastPathComponent] = url }
        }
        return all
    }

    static func mappingNames(_ environment: AppEnvironment) -> [String] { namedMappings(environment).keys.sorted() }
}
