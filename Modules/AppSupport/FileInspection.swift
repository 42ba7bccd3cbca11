import CSVImport
import Foundation
import XMLImport

/// What a statistics file holds, read without importing it: `beskplan import --inspect` and
/// the data page's preview of an upload. Each caller words it for its own reader.
public enum FileInspection: Sendable {
    /// A beskplan feed: it imports without a mapping.
    case feed
    case sdmx(SDMXInspection)
    case csv(CSVInspection)
    /// A format of the list (PX, JSON-stat, a plugin's): the inspection every such format gives.
    case table(ImportInspection)

    /// Reads the whole file once. `displayName` is what messages call the file.
    public static func inspect(
        _ path: String, displayName: String? = nil, language: String? = nil, dataset: String? = nil, environment: AppEnvironment? = nil
    ) throws -> FileInspection {
        let formats = environment.map(ImportFormats.all) ?? ImportFormats.builtIn
        if let handle = FileHandle(forReadingAtPath: path) {
            let head = [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
            try? handle.close()
            if let format = formats.first(where: { $0.matches(head: head) }) {
                return .table(try format.inspect(ImportFile(path: path, name: displayName, language: language, dataset: dataset)))
            }
        }
        if CSVSource.looksLikeCSV(path: path) { return .csv(try CSVInspection.inspect(path: path, displayName: displayName)) }
        let kind = try XMLDocumentKind.detect(path: path)
        guard kind.isSDMX else { return .feed }
        return .sdmx(try SDMXInspection.inspect(path: path, displayName: displayName, kind: kind, dataset: dataset))
    }

    /// Whether the file needs a mapping to import.
    public var needsMapping: Bool {
        if case .feed = self { return false }
        return true
    }
}

extension FileImporter {
    /// The names of the shipped and the plugins' mappings, sorted: what a caller may choose from.
    public static func shippedMappingNames(_ environment: AppEnvironment) -> [String] { mappingNames(environment) }
}
