/// What identifies a series: a measure, an area and the values of the measure's dimensions.
public struct SeriesKey: Hashable, Sendable, Codable {
    public let measure: MeasureID
    public let area: AreaCode
    /// Dimension values, e.g. `["ydelse": "kontanthjaelp"]`.
    public let dimensions: [String: String]

    public init(measure: MeasureID, area: AreaCode, dimensions: [String: String] = [:]) {
        self.measure = measure
        self.area = area
        self.dimensions = dimensions
    }

    /// `ydelse=kontanthjaelp;alder=16-29`, sorted by name: one text per distinct selection.
    public var dimensionText: String {
        dimensions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
    }

    /// The inverse of `dimensionText`.
    public static func dimensions(fromText text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
        }
        return result
    }
}

/// One value of a series at one period.
public struct DataPoint: Hashable, Sendable {
    public let period: Period
    public let value: Double

    public init(period: Period, value: Double) {
        self.period = period
        self.value = value
    }
}

/// One stored figure: measure + area + dimension values + period → value.
public struct Observation: Hashable, Sendable {
    public let series: SeriesKey
    public let period: Period
    public let value: Double
    /// The import that last wrote the value.
    public let importID: Int64?

    public init(series: SeriesKey, period: Period, value: Double, importID: Int64? = nil) {
        self.series = series
        self.period = period
        self.value = value
        self.importID = importID
    }
}

/// A series and some of its points, the unit importers hand to a store.
public struct ObservationChunk: Sendable {
    public let series: SeriesKey
    public var points: [DataPoint]

    public init(series: SeriesKey, points: [DataPoint]) {
        self.series = series
        self.points = points
    }
}
