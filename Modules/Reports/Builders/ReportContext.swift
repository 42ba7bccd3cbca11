import BeskplanCore
import Evaluation

/// Everything a report is built from: the plan, its evaluations, last year's, and the data.
public struct ReportContext: Sendable {
    public let plan: Plan
    public let version: Int?
    public let kommune: Area
    public let region: Area?
    public let country: Area
    public let evaluations: [TargetEvaluation]
    /// Last year's plan and its evaluation, when that plan is stored.
    public let lastYear: (plan: Plan, evaluations: [TargetEvaluation])?
    /// The observations the report shows (labour-market tables, trend charts).
    public let data: ObservationIndex
    public let measures: MeasureCatalog
    public let ministermaal: MinistermaalCatalog
    public let ruleKinds: [String: any RuleKind.Type]
    public let branding: ReportBranding
    public let asOf: Day
    /// The day the report is made (normalised in golden tests).
    public let generated: Day
    /// What local goals are called in this kommune's reports ("Samsø-mål"); default "Lokalt mål".
    public let localGoalLabel: String
    /// The sources figures were fetched from, for "data pr. …".
    public let fetched: [FetchedData]

    public init(
        plan: Plan, version: Int?, evaluations: [TargetEvaluation], lastYear: (plan: Plan, evaluations: [TargetEvaluation])?,
        data: ObservationIndex, measures: MeasureCatalog, ruleKinds: [any RuleKind.Type], branding: ReportBranding,
        asOf: Day, generated: Day, localGoalLabel: String? = nil, ministermaal: MinistermaalCatalog = .standard,
        areas: AreaCatalog = .standard, fetched: [FetchedData] = []
    ) {
        self.fetched = fetched
        self.plan = plan
        self.version = version
        self.kommune = areas[plan.kommune]!
        self.region = areas.region(of: plan.kommune, in: plan.year)
        self.country = areas.country
        self.evaluations = evaluations
        self.lastYear = lastYear
        self.data = data
        self.measures = measures
        self.ministermaal = ministermaal
        self.ruleKinds = Dictionary(ruleKinds.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
        self.branding = branding
        self.asOf = asOf
        self.generated = generated
        self.localGoalLabel = localGoalLabel ?? "Lokalt mål"
    }

    /// Kommune, region and country, in the order tables show them.
    public var areas: [Area] { [kommune, region, country].compactMap { $0 } }

    /// The latest period with a stored value for the series, up to the as-of date.
    func latest(_ key: SeriesKey) -> Period? {
        data.points(key).last { $0.period.lastDay <= asOf }?.period
    }

    func value(_ measure: MeasureID, _ area: AreaCode, _ dims: [String: String], _ period: Period) -> Double? {
        data.points(SeriesKey(measure: measure, area: area, dimensions: dims)).first { $0.period == period }?.value
    }
}

/// When figures were last fetched from a source, and when the source had last updated them.
public struct FetchedData: Sendable, Hashable {
    /// `Jobindsats`, `Danmarks Statistik`.
    public let source: String
    public let fetched: Day
    public let published: Day?

    public init(source: String, fetched: Day, published: Day?) {
        self.source = source
        self.fetched = fetched
        self.published = published
    }

    /// `Tal hentet fra Jobindsats 2. december 2026 (opdateret af kilden 11. februar 2025).`
    public var sentence: String {
        "Tal hentet fra \(source) \(fetched.danishText)"
            + (published.map { " (opdateret af kilden \($0.danishText))" } ?? "") + "."
    }
}

/// A kommune plugin's addition to a report: new blocks after a standard section, or blocks that
/// replace one.
public struct ReportSection: Sendable {
    public enum Placement: Sendable {
        /// After this section.
        case after(ReportAnchor)
        /// Instead of this section.
        case replacing(ReportAnchor)
        /// At the end of the report.
        case atEnd
    }

    public var placement: Placement
    public var blocks: [Block]

    public init(_ placement: Placement, blocks: [Block]) {
        self.placement = placement
        self.blocks = blocks
    }
}

/// A section of a report a plugin places its own by: one the report builds itself (typed, so it
/// cannot be misspelt; one the report does not have is an error), or one the plan writes in its
/// `sections:` (a plan may leave it out: the plugin's section then comes at the end).
public enum ReportAnchor: Hashable, Sendable {
    case contents, labourMarket, goals, status, overview, targets, yearwheel
    case planSection(String)

    /// The section's id in the report (and its HTML anchor).
    public var id: String {
        switch self {
        case .contents: "indhold"
        case .labourMarket: "maalgrupper"
        case .goals: "maal"
        case .status: "status"
        case .overview: "overblik"
        case .targets: "maalene"
        case .yearwheel: "aarshjul"
        case .planSection(let id): id
        }
    }
}

/// Which report.
public enum ReportKind: String, Sendable, CaseIterable {
    case plan, followup
}

extension ReportContext {
    /// A stored value, for plugin sections.
    public func figure(_ measure: MeasureID, _ area: AreaCode, _ dims: [String: String] = [:], _ period: Period) -> Double? {
        value(measure, area, dims, period)
    }

    /// Every stored period of a series up to the as-of date, for plugin sections.
    public func periods(_ measure: MeasureID, _ area: AreaCode, _ dims: [String: String] = [:]) -> [Period] {
        data.points(SeriesKey(measure: measure, area: area, dimensions: dims)).map(\.period).filter { $0.lastDay <= asOf }
    }
}
