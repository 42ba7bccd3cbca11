import BeskplanCore
import Foundation
import MappingFormat
import Storage
import XMLImport

enum Fixture {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static var mapping: ImportMapping {
        get throws { try MappingFile.load(path: path("auk01-mapping.yaml")) }
    }

    static let catalog = ImportCatalog(measures: .standard)

    /// Writes bytes to a new temporary file and returns its path.
    static func write(_ name: String, _ bytes: Data) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-xml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try bytes.write(to: url)
        return url.path
    }

    static func write(_ name: String, _ text: String) throws -> String { try write(name, Data(text.utf8)) }
}

/// Drains a source, as a store would.
func drain(_ source: some ObservationSource) throws -> [Observation] {
    var source = source
    var result: [Observation] = []
    while let chunk = try source.nextChunk() {
        result += chunk.points.map { Observation(series: chunk.series, period: $0.period, value: $0.value) }
    }
    return result
}

/// A store holding one known observation, to show that a failed import changes nothing.
func storeWithOneObservation() async throws -> SQLiteStore {
    let store = try SQLiteStore()
    try await store.migrate()
    let key = SeriesKey(measure: "ledighed.procent", area: "820")
    try await store.importObservations(
        ImportOrigin(source: "test"), from: ChunkList([ObservationChunk(series: key, points: [DataPoint(period: .month(2019, 7), value: 3.2)])]),
        dryRun: false)
    return store
}

func everything(_ store: SQLiteStore) async throws -> [Observation] {
    var all: [Observation] = []
    for measure in MeasureCatalog.standard.all.map(\.id) {
        all += try await store.observations(ObservationQuery(measure: measure))
    }
    return all
}
