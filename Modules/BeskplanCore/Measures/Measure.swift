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
    /// How it is computed from other measures, when it is.
    public let derived: Derivation?
    /// Who in the kommune delivers it, when it is the kommune's own figure ("Jobcenter Samsø").
    public let office: String?

    public init(
        id: MeasureID, name: String, unit: MeasureUnit, dimensions: [String] = [],
        polarity: Polarity, source: String, usedBy: [AreaCode] = [], origins: [MeasureOrigin]? = nil,
        derived: Derivation? = nil, office: String? = nil
    ) {
        self.origins = origins
        self.derived = derived
        self.office = office
        self.id = id
        self.name = name
        self.unit = unit
        self.dimensions = dimensions
        self.polarity = polarity
        self.source = source
        self.usedBy = usedBy
    }
}

extension MeasureDefinition {
    /// Where the figures come from, of the three kinds; `nil` for a measure that says none,
    /// which the catalog refuses.
    public var kind: MeasureKind? {
        if let origins, !origins.isEmpty { return .published }
        if derived != nil { return .derived }
        if office != nil { return .local }
        return nil
    }

    /// The kind in Danish, with its source: "offentlig: Jobindsats ptv_a02", "beregnet: …",
    /// "kommunens egne tal (Jobcenter Samsø)".
    public func kindDescription(_ catalog: MeasureCatalog) -> String {
        switch kind {
        case .published?:
            var bySource: [(MeasureOrigin.Source, [String])] = []
            for o in origins ?? [] {
                if let i = bySource.firstIndex(where: { $0.0 == o.source }) {
                    if !bySource[i].1.contains(o.table) { bySource[i].1.append(o.table) }
                } else {
                    bySource.append((o.source, [o.table]))
                }
            }
            return "offentlig: " + bySource.map { "\($0.0.danishName) \($0.1.joined(separator: ", "))" }.joined(separator: "; ")
        case .derived?: return "beregnet som " + (derived?.description(catalog) ?? "")
        case .local?: return "kommunens egne tal (\(office ?? ""))"
        case nil: return "ingen kilde"
        }
    }
}

extension MeasureDefinition {
    /// A series break: the first period a new table publishes where an older one ended.
    public struct SeriesBreak: Hashable, Sendable {
        /// The first period of the new table.
        public let from: Period
        public let oldTable: String
        public let newTable: String

        /// "brud i serien fra juli 2025 (Jobindsats y36a02 → y60a02)".
        public var danishDescription: String {
            "brud i serien fra \(from.danishLabel) (\(oldTable) → \(newTable))"
        }
    }

    /// The breaks in this measure's series with these dimension values: where one table the
    /// series is read from ends and another begins (the y36*/y38* → y60* reform of July 2025).
    public func breaks(_ dimensions: [String: String]) -> [SeriesBreak] {
        let covering = (origins ?? []).filter { $0.covers(dimensions) }
        return covering.compactMap { new in
            guard let start = new.from,
                let old = covering.first(where: { $0.table != new.table && $0.until.map { $0.lastDay < start.firstDay } == true })
            else { return nil }
            return SeriesBreak(from: start, oldTable: old.table, newTable: new.table)
        }.sorted { $0.from < $1.from }
    }
}

/// The three ways a measure gets its figures./// The three ways a measure gets its figures.
public enum MeasureKind: String, Sendable, Codable, CaseIterable {
    /// Published by a public source with an API (Jobindsats, Statistikbanken): fetched.
    case published
    /// Computed by beskplan from other measures.
    case derived
    /// The kommune's own figure, typed in or uploaded by the office that has it.
    case local

    /// The kind in Danish, as pages and `beskplan measures` say it.
    public var label: String {
        switch self {
        case .published: "offentlig kilde"
        case .derived: "beregnet"
        case .local: "kommunens egne tal"
        }
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
            guard m.kind != nil else { throw .noSource(m.id) }
        }
        self.all = measures
        self.byID = byID
    }

    /// This catalog with more measures (a plugin's local ones); fails on a clash of ids.
    public func adding(_ measures: [MeasureDefinition]) throws(CatalogError) -> MeasureCatalog {
        try MeasureCatalog(all + measures)
    }

    public subscript(id: MeasureID) -> MeasureDefinition? { byID[id] }

    /// Where figures of these measures come from in the end: a derived measure counts as the
    /// kinds of its inputs (`ledighed.udvikling` is public, from `ledighed.fuldtidspersoner`).
    public func sourceKinds(_ ids: [MeasureID]) -> Set<MeasureKind> {
        var kinds: Set<MeasureKind> = []
        var seen: Set<MeasureID> = []
        var queue = ids
        while let id = queue.popLast() {
            guard seen.insert(id).inserted, let m = byID[id], let kind = m.kind else { continue }
            if kind == .derived { queue += m.derived?.inputs ?? [] } else { kinds.insert(kind) }
        }
        return kinds
    }

    /// The measure with that id, or an error that suggests the closest id.
    public func lookup(_ id: String) throws(LookupError) -> MeasureDefinition {
        if let m = byID[id] { return m }
        throw LookupError(kind: "measure", name: id, suggestion: DanishText.closest(to: id, among: all.map(\.id)))
    }
}
