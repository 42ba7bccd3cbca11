import Foundation

/// A target group by benefit (ydelsesgruppe): `kontanthjaelp`, `sygedagpenge`, … and `i_alt`.
public struct Ydelsesgruppe: Hashable, Sendable, Codable, Identifiable {
    public struct Rename: Hashable, Sendable, Codable {
        public let fromYear: Int
        public let label: String
    }

    public let id: String
    /// Danish label ("Kontanthjælp").
    public let label: String
    /// A later name for the same group (integrationsydelse → selvforsørgelses- og hjemrejseydelse).
    public let renamed: Rename?
    /// For a combined group as some plans report it ("Ressource- og jobafklaringsforløb"), its parts.
    public let parts: [String]?

    /// The label the group carried in a given year.
    public func label(in year: Int) -> String {
        if let renamed, year >= renamed.fromYear { return renamed.label }
        return label
    }
}

/// Values a dimension may take, with Danish labels: `ydelse` takes the ydelsesgrupper;
/// `status`, `uddannelse` and `branche` their own lists.
public struct DimensionCatalog: Sendable {
    public struct Value: Hashable, Sendable, Codable {
        public let id: String
        public let label: String
    }

    /// The base ydelsesgrupper, in the order reports list them, ending with `i_alt`.
    public let ydelsesgrupper: [Ydelsesgruppe]
    /// Combined groups that some plans report (their parts are base groups).
    public let composites: [Ydelsesgruppe]
    private let values: [String: [Value]]

    public static let standard: DimensionCatalog = {
        struct File: Decodable {
            let ydelsesgrupper: [Ydelsesgruppe]
            let composites: [Ydelsesgruppe]
            let dimensions: [String: [Value]]
        }
        do {
            let f = try JSONDecoder().decode(File.self, from: ReferenceResource.load("ydelsesgrupper"))
            return DimensionCatalog(ydelsesgrupper: f.ydelsesgrupper, composites: f.composites, values: f.dimensions)
        } catch {
            preconditionFailure("ydelsesgrupper.json is bundled with BeskplanCore and must decode: \(error)")
        }
    }()

    init(ydelsesgrupper: [Ydelsesgruppe], composites: [Ydelsesgruppe], values: [String: [Value]]) {
        self.ydelsesgrupper = ydelsesgrupper
        self.composites = composites
        var all = values
        all["ydelse"] = (ydelsesgrupper + composites).map { Value(id: $0.id, label: $0.label) }
        self.values = all
    }

    /// The dimensions with a fixed list of values.
    public var names: [String] { values.keys.sorted() }

    /// The allowed values of a dimension, or `nil` for a dimension beskplan does not constrain.
    public func values(of dimension: String) -> [Value]? { values[dimension] }

    /// A dimension value in Danish words (`kontanthjælp`), as a person reads it, never its id;
    /// a ydelsesgruppe by its name in `year`.
    public func label(_ dimension: String, _ value: String, year: Int) -> String {
        (dimension == "ydelse" ? ydelsesgruppe(value)?.label(in: year) : nil)
            ?? values(of: dimension)?.first { $0.id == value }?.label ?? value
    }

    /// A series' dimension values in Danish words, in the order of their names.
    public func selectionLabel(_ dimensions: [String: String], year: Int) -> String {
        dimensions.sorted { $0.key < $1.key }.map { label($0.key, $0.value, year: year) }.joined(separator: ", ")
    }

    public func ydelsesgruppe(_ id: String) -> Ydelsesgruppe? {
        (ydelsesgrupper + composites).first { $0.id == id }
    }

    /// Checks one `name=value` selection, suggesting the closest value when it is unknown.
    public func validate(dimension: String, value: String) throws(LookupError) {
        guard let allowed = values[dimension] else { return }
        guard allowed.contains(where: { $0.id == value }) else {
            throw LookupError(
                kind: "\(dimension) value", name: value,
                suggestion: DanishText.closest(to: value, among: allowed.map(\.id)))
        }
    }
}
