/// How beskplan computes a measure from others, as data in the catalogue (`derived:` in
/// measures.json). Evaluation computes it from the stored inputs (`ObservationIndex.derive`),
/// and every explanation that uses it says it was computed and from what.
public struct Derivation: Hashable, Sendable, Codable {
    public enum Formula: String, Hashable, Sendable, Codable {
        /// The relative change against the same period a year before, in per cent.
        case change
        /// The change against the same period a year before, in procentpoint (for a share).
        case changePoints
        /// A part's share of a whole, in per cent: `of` (with `select`) ÷ `whole` (with `wholeSelect`).
        case share
        /// Per 1,000 inhabitants aged 16–66: `of` ÷ `befolkning.antal` × 1,000.
        case perThousand
        /// The sum of `of` over the values `sum` lists of one dimension (ages 16–66).
        case sum
    }

    public var formula: Formula
    /// The measure computed from.
    public var of: MeasureID
    /// Dimension values `of` is read with; the derived series does not carry these dimensions.
    public var select: [String: String]?
    /// `share`: the whole (default: `of` itself, with `wholeSelect`); `perThousand`: the population.
    public var whole: MeasureID?
    public var wholeSelect: [String: String]?
    /// `sum`: the dimension summed over, and its values (`alder: ["16", …, "66"]`).
    public var sum: [String: [String]]?

    public init(
        formula: Formula, of: MeasureID, select: [String: String]? = nil, whole: MeasureID? = nil,
        wholeSelect: [String: String]? = nil, sum: [String: [String]]? = nil
    ) {
        self.formula = formula
        self.of = of
        self.select = select
        self.whole = whole
        self.wholeSelect = wholeSelect
        self.sum = sum
    }

    /// The population per-thousand figures are computed against.
    public static let population: MeasureID = "befolkning.antal"

    /// The denominator's measure, where the formula has one.
    public var wholeMeasure: MeasureID? {
        switch formula {
        case .share: whole ?? of
        case .perThousand: whole ?? Self.population
        case .change, .changePoints, .sum: nil
        }
    }

    /// The measures it reads.
    public var inputs: [MeasureID] { [of] + (wholeMeasure.map { [$0] } ?? []) }

    /// In Danish, for explanations: "ændringen i ledige fuldtidspersoner ift. samme periode året før".
    public func description(_ catalog: MeasureCatalog) -> String {
        func name(_ id: MeasureID) -> String { (catalog[id]?.name ?? id).lowercasedFirst() }
        switch formula {
        case .change: return "den procentvise ændring i \(name(of)) ift. samme periode året før"
        case .changePoints: return "ændringen i procentpoint i \(name(of)) ift. samme periode året før"
        case .share: return "\(name(of)) i procent af \(name(wholeMeasure ?? of))"
        case .perThousand: return "\(name(of)) pr. 1.000 indbyggere 16-66 år (\(name(wholeMeasure ?? Self.population)))"
        case .sum:
            let over = (sum ?? [:]).map { "\($0.value.first ?? "")–\($0.value.last ?? "")" }.joined()
            return "summen af \(name(of)) for \(over) år"
        }
    }
}
