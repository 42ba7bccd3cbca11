@_exported import BeskplanCore
@_exported import Evaluation
@_exported import Reports
import Foundation

/// What a kommune adds to beskplan: its branding and local measures today; rule kinds, import
/// mappings, bundled plans and report sections as those capabilities arrive.
///
/// A plugin is a struct with a static kommune code and an empty initializer; everything else has
/// a default, so a plugin writes only what differs:
///
/// ```swift
/// public struct SamsoePlugin: KommunePlugin {
///     public static let kommune: AreaCode = "741"
///     public init() {}
///     public var branding: Branding {
///         Branding(kommuneName: "Samsø Kommune", jobcenterName: "Jobcenter Samsø",
///                  slogan: "vi gør det sammen", primaryColor: "#00587C", accentColor: "#F2A900")
///     }
/// }
/// ```
public protocol KommunePlugin: Sendable {
    /// The kommune's DST code (`741`). Exactly one plugin per kommune.
    static var kommune: AreaCode { get }

    init()

    /// Names and colours for reports and web pages.
    var branding: Branding { get }

    /// Local measures, ids prefixed with the plugin's slug (`samsoe.opkvalificeringsforloeb`).
    var measures: [MeasureDefinition] { get }

    /// Native feeds (`urn:beskplan:feed:1`) with the figures printed in the kommune's own plans,
    /// each noting its source; `beskplan demo` and the tests import them.
    var demoFeeds: [URL] { get }

    /// Rule kinds of the kommune's own (`budget_maaltal`), usable in any plan.
    var ruleKinds: [any RuleKind.Type] { get }

    /// The kommune's plans in the plan language (YAML), one per year.
    var bundledPlans: [URL] { get }

    /// Import mappings (YAML) for the kommune's local systems, found by name with `--mapping`.
    var importMappings: [URL] { get }

    /// File formats of the kommune's local systems, read through `ImportFormat` like PX and JSON-stat.
    var importFormats: [any ImportFormat] { get }

    /// What reports call the kommune's local goals ("Samsø-mål"); `nil` for "Lokalt mål".
    var localGoalLabel: String? { get }

    /// Measures the plugin's report sections show, loaded for the kommune, its region and the country.
    var reportMeasures: [MeasureID] { get }

    /// Sections the kommune adds to (or replaces in) a report.
    func sections(_ context: ReportContext, kind: ReportKind) -> [ReportSection]
}

extension KommunePlugin {
    public var measures: [MeasureDefinition] { [] }
    public var demoFeeds: [URL] { [] }
    public var ruleKinds: [any RuleKind.Type] { [] }
    public var bundledPlans: [URL] { [] }
    public var localGoalLabel: String? { nil }
    public var importMappings: [URL] { [] }
    public var importFormats: [any ImportFormat] { [] }
    public var reportMeasures: [MeasureID] { [] }
    public func sections(_ context: ReportContext, kind: ReportKind) -> [ReportSection] { [] }
}

extension ResourceFolder {
    /// The XML files in a plugin's `Demo/` folder, sorted by name.
    public func demoFeeds() -> [URL] { files(in: "Demo", ending: ".xml") }

    /// The YAML plans in a plugin's `Plans/` folder, sorted by name.
    public func bundledPlans() -> [URL] { files(in: "Plans", ending: ".yaml") }

    /// The import mappings in a plugin's `Mappings/` folder, sorted by name.
    public func importMappings() -> [URL] { files(in: "Mappings", ending: ".yaml") }
}

/// How a kommune's documents look and name themselves.
public struct Branding: Sendable, Hashable {
    /// "Samsø Kommune".
    public var kommuneName: String
    /// "Jobcenter Samsø".
    public var jobcenterName: String
    public var slogan: String?
    /// CSS colour, e.g. `#00587C`.
    public var primaryColor: String
    public var accentColor: String

    public init(
        kommuneName: String, jobcenterName: String, slogan: String? = nil, primaryColor: String,
        accentColor: String
    ) {
        self.kommuneName = kommuneName
        self.jobcenterName = jobcenterName
        self.slogan = slogan
        self.primaryColor = primaryColor
        self.accentColor = accentColor
    }
}
