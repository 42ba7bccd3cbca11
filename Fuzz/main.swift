// beskplan's readers under libFuzzer (tools/fuzz): one binary, the reader chosen by
// BESKPLAN_FUZZ_FORMAT (feed, sdmx, csv, px, jsonstat, jobindsats). Each input is written to a file, as the
// readers read files, and read to its end; an error is an expected answer to a bad input, a
// crash, a hang or a leak is a finding.
import BeskplanCore
import CSVImport
import CubeImport
import Foundation
import XMLImport

func drain(_ source: some ObservationSource) throws {
    var source = source
    while try source.nextChunk() != nil {}
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count)) else { fatalError("cannot write \(path)") }
    do {
        switch format {
        case "feed":
            try drain(try FeedSource(path: path, catalog: catalog))
        case "sdmx":
            let kind = try XMLDocumentKind.detect(path: path)
            guard kind.isSDMX else { return 0 }
            try drain(try SDMXSource(path: path, kind: kind, mapping: mapping, catalog: catalog))
            _ = try SDMXInspection.inspect(path: path, kind: kind)
        case "csv":
            try drain(try CSVSource(path: path, mapping: mapping, catalog: catalog))
            _ = try CSVInspection.inspect(path: path)
        case "px":
            let file = ImportFile(path: path)
            _ = try PXFormat().inspect(file)
            for source in try PXFormat().sources(file, mapping: mapping, catalog: catalog) { try drain(AnySource(source)) }
        case "jsonstat":
            let file = ImportFile(path: path)
            _ = try JSONStatFormat().inspect(file)
            for source in try JSONStatFormat().sources(file, mapping: mapping, catalog: catalog) { try drain(AnySource(source)) }
        case "jobindsats":
            let file = ImportFile(path: path)
            _ = try JobindsatsJSONFormat().inspect(file)
            for source in try JobindsatsJSONFormat().sources(file, mapping: jobindsatsMapping, catalog: catalog) { try drain(AnySource(source)) }
        default:
            fatalError("BESKPLAN_FUZZ_FORMAT is feed, sdmx, csv, px, jsonstat or jobindsats, not \(format)")
        }
    } catch {
        // A refusal, with its reason: what a bad input should get.
    }
    return 0
}

/// An existential source as a concrete one, for `drain`.
struct AnySource: ObservationSource {
    let base: any ObservationSource & ReadProgress
    init(_ base: any ObservationSource & ReadProgress) { self.base = base }
    mutating func nextChunk() throws -> ObservationChunk? {
        var b = base
        return try b.nextChunk()
    }
}
