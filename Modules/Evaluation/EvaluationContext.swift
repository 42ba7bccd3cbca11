import BeskplanCore

/// Everything one plan's evaluation may read: the data up to the as-of date, the catalogs,
/// the kommune and its region, and the hand assessments.
public struct EvaluationContext: Sendable {
    public let plan: Plan
    public let kommune: Area
    /// The kommune's region in the plan year.
    public let region: Area?
    /// Only observations of periods that ended on or before this day count.
    public let asOf: Day
    public let data: ObservationIndex
    public let measures: MeasureCatalog
    public let areas: AreaCatalog
    /// Hand assessments by target id.
    public let assessments: [String: Assessment]
    /// Whether the reader may not see the hand assessments yet (the public, before the follow-up is final).
    public let assessmentsWithheld: Bool

    public init(
        plan: Plan, asOf: Day, data: ObservationIndex, measures: MeasureCatalog, areas: AreaCatalog = .standard,
        assessments: [Assessment] = [], assessmentsWithheld: Bool = false
    ) {
        self.plan = plan
        self.kommune = areas[plan.kommune] ?? Area(code: plan.kommune, kind: .kommune, name: plan.kommune.rawValue, slug: "")
        self.region = areas.region(of: plan.kommune, in: plan.year)
        self.asOf = asOf
        self.data = data
        self.measures = measures
        self.areas = areas
        self.assessments = Dictionary(assessments.map { ($0.target, $0) }, uniquingKeysWith: { $1 })
        self.assessmentsWithheld = assessmentsWithheld
    }

    /// The area a benchmark names; `nil` for an expected series.
    public func area(_ benchmark: BenchmarkArea) -> Area? {
        switch benchmark {
        case .region: region
        case .country: areas.country
        case .area(let code): areas[code]
        case .expected: kommune
        case .rar: nil
        }
    }

    /// A figure for one series and period: the stored value, or the aggregate of the finest
    /// stored sub-periods; only periods over by the as-of date count — except for figures that
    /// are set in advance (a budget's måltal), read with `setInAdvance`.
    public func figure(
        _ measure: MeasureID, area: AreaCode, select: [String: String]?, period: Period, aggregate: Aggregate?,
        setInAdvance: Bool = false
    ) -> Result<Figure, MissingSeries> {
        let key = SeriesKey(measure: measure, area: area, dimensions: select ?? [:])
        let points = data.points(key).filter { setInAdvance || $0.period.lastDay <= asOf }
        let periodOver = period.lastDay <= asOf
        if let exact = points.first(where: { $0.period == period }) {
            return .success(Figure(
                measure: measure, area: area, dimensions: key.dimensions, period: period, value: exact.value,
                observations: 1, complete: periodOver))
        }
        // The coarsest finer granularity that has values inside the period.
        let inside = points.filter { $0.period != period && period.contains($0.period) }
        guard let granularity = inside.map(\.period.granularity).min() else {
            return .failure(MissingSeries(key: key, period: period, areaName: areas[area]?.name ?? area.rawValue))
        }
        let values = inside.filter { $0.period.granularity == granularity }.map(\.value)
        let expected = period.subperiods(granularity).count
        let value: Double
        switch aggregate ?? .average {
        case .average: value = values.reduce(0, +) / Double(values.count)
        case .sum: value = values.reduce(0, +)
        case .last: value = values.last!
        case .min: value = values.min()!
        case .max: value = values.max()!
        }
        return .success(Figure(
            measure: measure, area: area, dimensions: key.dimensions, period: period, value: value,
            observations: values.count, complete: periodOver && values.count == expected))
    }
}

/// A series an evaluation needed and did not find.
public struct MissingSeries: Error, Sendable, Hashable {
    public let key: SeriesKey
    public let period: Period
    public let areaName: String

    public init(key: SeriesKey, period: Period, areaName: String) {
        self.key = key
        self.period = period
        self.areaName = areaName
    }

    /// `ydelse.fuldtidspersoner (ydelse=kontanthjaelp) for Vesthimmerland, 2019K2`, for logs.
    public var description: String {
        let dims = key.dimensionText.isEmpty ? "" : " (\(key.dimensionText.replacingOccurrences(of: ";", with: ", ")))"
        return "\(key.measure)\(dims) for \(areaName), \(period)"
    }

    /// `Der mangler tal for A og for B — ikke vurderet.`, with `note` before the dash.
    public static func explanation(_ series: [MissingSeries], measures: MeasureCatalog, note: String = "") -> String {
        let names = series.map { $0.danishDescription(measures: measures) }
        return "Der mangler tal for \(names.joined(separator: " og for "))\(note) — ikke vurderet."
    }

    /// What a reader is told is missing, in Danish words and with the source:
    /// `fuldtidspersoner på offentlig forsørgelse i alt for Norddjurs, 2024 (Jobindsats)`.
    public func danishDescription(measures: MeasureCatalog, dimensions: DimensionCatalog = .standard) -> String {
        let definition = measures[key.measure]
        var name = (definition?.name ?? key.measure).lowercasedFirst()
        let labels = key.dimensions.sorted { $0.key < $1.key }.map { dimension, value in
            dimensions.ydelsesgruppe(value).flatMap { dimension == "ydelse" ? $0.label(in: period.year) : nil }
                ?? dimensions.values(of: dimension)?.first { $0.id == value }?.label ?? value
        }.map { $0.lowercasedFirst() }
        if labels == ["i alt"] {
            name += " i alt"
        } else if !labels.isEmpty {
            name += " (\(labels.joined(separator: ", ")))"
        }
        let source = definition.map { " (\($0.source.components(separatedBy: " (").first ?? $0.source))" } ?? ""
        return "\(name) for \(areaName), \(period.danishLabel)\(source)"
    }
}
