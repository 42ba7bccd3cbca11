import Foundation
import XMLImport

/// Imports statistics files into the store: detects the format, streams the file through its
/// reader into one transaction, and reports what was written and what was skipped.
public struct FileImporter: Sendable {
    /// Which reader to use.
    public enum Format: String, Sendable, CaseIterable {
        case auto, feed, sdmx
    }

    /// What one file's import did.
    public struct Summary: Sendable {
        public let file: String
        public let kind: String
        public let result: ImportResult
    }

    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    /// Imports one file, all or nothing. `progress` is called with (bytes read, total bytes).
    public func importFile(
        _ path: String, format: Format = .auto, mapping: ImportMapping? = nil, dryRun: Bool = false,
        progress: (@Sendable (Int64, Int64) -> Void)? = nil
    ) async throws -> Summary {
        let catalog = ImportCatalog(measures: environment.measures)
        let kind = try XMLDocumentKind.detect(path: path)
        if (format == .feed && kind != .feed) || (format == .sdmx && kind == .feed) {
            throw ImportError(
                file: path, line: 1, column: 1, message: "--format \(format.rawValue), but the file is \(kind.rawValue)")
        }
        let origin = ImportOrigin(source: kind == .feed ? "feed" : "sdmx", file: path)
        if kind == .feed {
            let source = try FeedSource(path: path, catalog: catalog)
            let result = try await environment.store.importObservations(
                origin, from: ImportPipeline(source, progress: progress), dryRun: dryRun)
            return Summary(file: path, kind: "beskplan feed", result: result)
        }
        guard let mapping else {
            throw ImportError(
                file: path, line: 1, column: 1,
                message: "\(kind.rawValue) needs a mapping (--mapping FILE.yaml); `beskplan import --inspect \(path)` shows its dimensions")
        }
        let source = try SDMXSource(path: path, kind: kind, mapping: mapping, catalog: catalog)
        let result = try await environment.store.importObservations(
            origin, from: ImportPipeline(source, progress: progress), dryRun: dryRun)
        return Summary(file: path, kind: kind.rawValue, result: result)
    }
}
