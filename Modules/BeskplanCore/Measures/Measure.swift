import Foundation

/// A measure id such as `ydelse.fuldtidspersoner` or, for a plugin's local measure,
/// `samsoe.opkvalificeringsforloeb`.
public typealias MeasureID = String

/// What a measure counts in.
public enum MeasureUnit: String, Sendable, Codable, CaseIterable {
    case fuldtidspersoner, helaarspersoner, antal, procent, procentpoint, placering

    /// The Danish unit as written after a number.
    public var label: String {
        switch self {
        case .fuldtidspersoner: "fuldtidspersoner"
        case .helaarspersoner: "helårspersoner"
        case .antal: "personer"
        case .procent: "%"
        case .procentpoint: "procentpoint"
        case .placering: "plads"
        }
    }
}

/// Which direction is an improvement.
public enum Polarity: String, Sendable, Codable {
    case higher, lower, neutral
}

/// One entry of the measure catalog.
public struct MeasureDefinition: Hashable, Sendable, Codable, Identifiable {
    public let id: MeasureID
    /// Danish name, as shown in reports.
    public let name: String
    public let unit: MeasureUnit
    /// The dimensions the measure is split by, e.g. `["ydelse"]`.
    public let dimensions: [String]
    public let polarity: Polarity
    /// Where the figures come from ("Jobindsats (STAR)", "Danmarks Statistik, FRKM120").
    public let source: String
    /// The seed kommuner whose plans use the measure (documentation only).
    public let usedBy: [AreaCode]
    /// Where a source with an API publishes it, for `beskplan fetch`; absent: no API has it.
    public let origins: [MeasureOrigin]?

    public init(
        id: MeasureID, name: String, unit: MeasureUnit, dimensions: [String] = [],
        polarity: Polarity, source: String, usedBy: [AreaCode] = [], origins: [MeasureOrigin]? = nil
    ) {
        self.origins = origins
        self.id = id
        self.name = name
        self.unit = unit
        self.dimensions = dimensions
        self.polarity = polarity
        self.source = source
        self.usedBy = usedBy
    }
}

/// The measures beskplan knows: the shipped catalog plus what plugins add.
public struct MeasureCatalog: Sendable {
    public let all: [MeasureDefinition]
    private let byID: [MeasureID: MeasureDefinition]

    /// The catalog shipped in `measures.json`.
    public static let standard: MeasureCatalog = {
        struct File: Decodable { let measures: [MeasureDefinition] }
        do {
            let file = try JSONDecoder().decode(File.self, from: ReferenceResource.load("measures"))
            return try MeasureCatalog(file.measures)
        } catch {
            preconditionFailure("measures.json is bundled with BeskplanCore and must decode: \(error)")
        }
    }()

    /// Fails when two measures share an id.
    public init(_ measures: [MeasureDefinition]) throws(CatalogError) {
        var byID: [MeasureID: MeasureDefinition] = [:]
        for m in measures {
            guard byID.updateValue(m, forKey: m.id) == nil else { throw .duplicate("measure \(m.id)") }
        }
        self.all = measures
        self.byID = byID
    }

    /// This catalog with more measures (a plugin's local ones); fails on a clash of ids.
    public func adding(_ measures: [MeasureDefinition]) throws(CatalogError) -> MeasureCatalog {
        try MeasureCatalog(all + measures)
    }

    public subscript(id: MeasureID) -> MeasureDefinition? { byID[id] }

    /// The measure with that id, or an error that suggests the closest id.
    public func lookup(_ id: String) throws(LookupError) -> MeasureDefinition {
        if let m = byID[id] { return m }
        throw LookupError(kind: "measure", name: id, suggestion: DanishText.closest(to: id, among: all.map(\.id)))
    }
}
