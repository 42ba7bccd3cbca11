// beskplan-bench: writes synthetic observations through the store into a new database (an
// SQLite file or a postgres:// URL), and the same rows as CSV for the sqlite3 shell's `.import`
// or `psql \copy` (tools/bench runs both).
//
// usage: beskplan-bench ROWS DB CSV_PATH
//        beskplan-bench parse FILE [MAPPING]   (the reader alone)
//        beskplan-bench evaluate FEED DB      (98 template plans over the synthetic feed)
//        beskplan-bench reports FEED          (seed reports in all formats; 98 plans to HTML)
// The figures are synthetic: generated from the row index, they describe nothing real.

import AppSupport
import BeskplanCore
import Foundation
import Storage

let arguments = CommandLine.arguments
if arguments.count == 3, arguments[1] == "reports" {
    try await reportBench(feed: arguments[2])
    exit(0)
}
if arguments.count == 4, arguments[1] == "evaluate" {
    try await evaluateBench(feed: arguments[2], db: arguments[3])
    exit(0)
}
if arguments.count >= 3, arguments[1] == "parse" {
    try parseOnly(arguments[2], mapping: arguments.count > 3 ? arguments[3] : nil)
    exit(0)
}
guard arguments.count == 4, let rows = Int(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: beskplan-bench ROWS DB CSV_PATH\n".utf8))
    exit(2)
}
let dbPath = arguments[2]
let csvPath = arguments[3]

/// 104 areas × 15 ydelsesgrupper, monthly from 1990: each series is one chunk.
struct Synthetic: ObservationSource {
    static let areas = AreaCatalog.standard.all.map(\.code)
    static let groups = DimensionCatalog.standard.ydelsesgrupper.map(\.id)
    static let months = 660

    let total: Int
    var produced = 0
    var series = 0

    mutating func nextChunk() throws -> ObservationChunk? {
        guard produced < total else { return nil }
        let area = Self.areas[series % Self.areas.count]
        let group = Self.groups[(series / Self.areas.count) % Self.groups.count]
        let key = SeriesKey(measure: "ydelse.fuldtidspersoner", area: area, dimensions: ["ydelse": group])
        let count = min(Self.months, total - produced)
        var points: [DataPoint] = []
        points.reserveCapacity(count)
        var period = Period.month(1990, 1)
        for i in 0..<count {
            points.append(DataPoint(period: period, value: Double((produced + i) % 9973) + 0.5))
            period = period.next
        }
        produced += count
        series += 1
        return ObservationChunk(series: key, points: points)
    }
}

// The CSV the sqlite3 shell imports: the same rows, one per line.
do {
    var source = Synthetic(total: rows)
    guard FileManager.default.createFile(atPath: csvPath, contents: nil) else {
        FileHandle.standardError.write(Data("beskplan-bench: cannot create \(csvPath)\n".utf8))
        exit(1)
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: csvPath))
    var buffer = "measure,area,dims,period,value\n"
    while let chunk = try source.nextChunk() {
        let prefix = "\(chunk.series.measure),\(chunk.series.area),\(chunk.series.dimensionText),"
        for point in chunk.points { buffer += "\(prefix)\(point.period),\(point.value)\n" }
        if buffer.utf8.count > 1 << 20 {
            handle.write(Data(buffer.utf8))
            buffer = ""
        }
    }
    handle.write(Data(buffer.utf8))
    try handle.close()
}

let store = try DatabaseLocation.resolve(option: dbPath).openStore()
try await store.migrate()
// The chunks are made before the clock starts: the store alone is timed.
var chunks: [ObservationChunk] = []
var synthetic = Synthetic(total: rows)
while let chunk = try synthetic.nextChunk() { chunks.append(chunk) }
let clock = ContinuousClock()
var result: ImportResult?
let elapsed = try await clock.measure {
    result = try await store.importObservations(ImportOrigin(source: "bench"), from: ChunkList(chunks), dryRun: false)
}
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(String(format: "store %d observations %d series %.3f s", result!.observations, result!.series, seconds))
