import BeskplanCore
import Foundation
import MappingFormat
import XMLImport

/// `beskplan-bench parse FILE [MAPPING]`: the reader alone, nothing stored, to split import time
/// into parsing and storing.
func parseOnly(_ path: String, mapping: String?) throws {
    let catalog = ImportCatalog(measures: .standard)
    let kind = try XMLDocumentKind.detect(path: path)
    let clock = ContinuousClock()
    var count = 0
    let elapsed = try clock.measure {
        if kind == .feed {
            let source = try FeedSource(path: path, catalog: catalog)
            while let chunk = try source.nextChunk() { count += chunk.points.count }
        } else {
            let source = try SDMXSource(
                path: path, kind: kind, mapping: try MappingFile.load(path: mapping ?? ""), catalog: catalog)
            while let chunk = try source.nextChunk() { count += chunk.points.count }
        }
    }
    print("parse \(count) observations \(elapsed)")
}
