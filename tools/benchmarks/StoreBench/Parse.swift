import BeskplanCore
import Foundation
import MappingFormat
import CSVImport
import XMLImport

/// `beskplan-bench parse FILE [MAPPING]`: the reader alone, nothing stored, to split import time
/// into parsing and storing.
func parseOnly(_ path: String, mapping: String?) throws {
    let catalog = ImportCatalog(measures: .standard)
    let clock = ContinuousClock()
    var count = 0
    if CSVSource.looksLikeCSV(path: path) {
        let elapsed = try clock.measure {
            let source = try CSVSource(path: path, mapping: try MappingFile.load(path: mapping ?? ""), catalog: catalog)
            while let chunk = try source.nextChunk() { count += chunk.points.count }
        }
        return print("parse \(count) observations \(elapsed)")
    }
    let kind = try XMLDocumentKind.detect(path: path)
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
