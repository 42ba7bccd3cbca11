import BeskplanCore

/// What an SDMX-ML message holds, read without a mapping: enough to write one.
public struct SDMXInspection: Sendable {
    public struct Component: Sendable {
        public let id: String
        /// Codes with the number of observations that carry them, most frequent first.
        public let codes: [(code: String, count: Int)]
    }

    public let file: String
    public let kind: XMLDocumentKind
    public let datasetID: String?
    public let structureRef: String?
    /// `series` or `flat` (observations carry their whole key).
    public let layout: String
    public let components: [Component]
    public let timeComponent: String
    public let firstPeriod: Period?
    public let lastPeriod: Period?
    public let seriesCount: Int
    public let observationCount: Int
    public let missingCount: Int
    public let statuses: [String: Int]

    /// Reads the whole message once.
    public static func inspect(path: String, displayName: String? = nil, kind: XMLDocumentKind, dataset: String? = nil) throws -> SDMXInspection {
        let scanner = try SDMXScanner(path: path, displayName: displayName, kind: kind)
        scanner.onlyDataSet = dataset
        var counts: [String: [String: Int]] = [:]
        var order: [String] = []
        var observations = 0
        var missing = 0
        var statuses: [String: Int] = [:]
        var first: Period?
        var last: Period?
        /// Flat observations carry their whole key: the distinct keys are the series.
        var flatKeys = Set<[String]>()
        while let o = try scanner.next() {
            observations += 1
            if o.series.isEmpty {
                flatKeys.insert((o.series + o.components)
                    .filter { $0.0 != scanner.timeComponent && !SDMXSource.standardAttributes.contains($0.0) }
                    .map { "\($0.0)=\($0.1)" }.sorted())
            }
            for (id, value) in o.series + o.components {
                if counts[id] == nil { order.append(id) }
                counts[id, default: [:]][value, default: 0] += 1
            }
            if let status = o.status { statuses[status, default: 0] += 1 }
            if case .number = o.value {} else { missing += 1 }
            if let time = o.time {
                if first.map({ time < $0 }) ?? true { first = time }
                if last.map({ time > $0 }) ?? true { last = time }
            }
        }
        return SDMXInspection(
            file: displayName ?? path, kind: kind, datasetID: scanner.datasetID, structureRef: scanner.structureRef,
            layout: scanner.seriesCount == 0 || scanner.sawFlatObservations ? "flat" : "series",
            components: order.filter { $0 != scanner.timeComponent && $0 != "TIME_PERIOD" }.map { id in
                Component(
                    id: id,
                    codes: counts[id, default: [:]].sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                        .map { (code: $0.key, count: $0.value) })
            },
            timeComponent: scanner.timeComponent, firstPeriod: first, lastPeriod: last,
            seriesCount: scanner.seriesCount == 0 || scanner.sawFlatObservations ? flatKeys.count : scanner.seriesCount,
            observationCount: observations, missingCount: missing, statuses: statuses)
    }
}
