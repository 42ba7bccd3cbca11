/// What importers check observations against: the measures (standard and plugins'), the areas
/// and the allowed dimension values.
public struct ImportCatalog: Sendable {
    public let measures: MeasureCatalog
    public let areas: AreaCatalog
    public let dimensions: DimensionCatalog

    public init(measures: MeasureCatalog, areas: AreaCatalog = .standard, dimensions: DimensionCatalog = .standard) {
        self.measures = measures
        self.areas = areas
        self.dimensions = dimensions
    }

    /// The series key for a native feed's series, or an error that suggests what was meant.
    public func seriesKey(measure: String, area: String, dimensions given: [String: String]) throws -> SeriesKey {
        let definition = try measures.lookup(measure)
        guard let place = areas[AreaCode(area)] else {
            throw LookupError(kind: "area code", name: area, suggestion: nil)
        }
        for (name, value) in given {
            guard definition.dimensions.contains(name) else {
                throw MappingError("\(definition.id) has no dimension '\(name)' (it has: \(Self.list(definition.dimensions)))")
            }
            try dimensions.validate(dimension: name, value: value)
        }
        if let absent = definition.dimensions.first(where: { given[$0] == nil }) {
            throw MappingError("\(definition.id) needs a value for dimension '\(absent)'")
        }
        return SeriesKey(measure: definition.id, area: place.code, dimensions: given)
    }

    private static func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: ", ") }
}

/// A source that can say how far it has read, for progress bars.
public protocol ReadProgress: AnyObject {
    var bytesRead: Int64 { get }
    var totalBytes: Int64 { get }
}
