import Foundation
import PluginKit

/// Jammerbugt Kommune: what is particular to its plan and reports.
public struct JammerbugtPlugin: KommunePlugin {
    public static let kommune: AreaCode = "849"

    public init() {}

    private static let resources = ResourceFolder(module: "Jammerbugt") { Bundle.module }

    public var demoFeeds: [URL] { Self.resources.demoFeeds() }
    public var bundledPlans: [URL] { Self.resources.bundledPlans() }
    public var ruleKinds: [any RuleKind.Type] { [BudgetTargetRule.self] }

    public var reportMeasures: [MeasureID] { ["jammerbugt.budget_maaltal", "jammerbugt.budget_estimat"] }

    public func sections(_ context: ReportContext, kind: ReportKind) -> [ReportSection] {
        kind == .plan ? [MaaltalSection.section(context)].compactMap { $0 } : []
    }

    public var branding: Branding {
        Branding(
            kommuneName: "Jammerbugt Kommune", jobcenterName: "Jobcenter Jammerbugt", slogan: "Vi går efter forskellen",
            primaryColor: "#00566B", accentColor: "#E5A823")
    }

    /// The måltal of Bilag 1 are budget figures in helårspersoner per målgruppe.
    public var measures: [MeasureDefinition] {
        [
            MeasureDefinition(
                id: "jammerbugt.budget_maaltal", name: "Måltal for politikområde 5 (budget)", unit: .helaarspersoner,
                dimensions: ["ydelse"], polarity: .lower, source: "Jammerbugt Kommune, budget", usedBy: ["849"],
                office: "økonomifunktionen (budgettet)"),
            MeasureDefinition(
                id: "jammerbugt.budget_estimat", name: "Estimeret resultat ved budgetopfølgning",
                unit: .helaarspersoner, dimensions: ["ydelse"], polarity: .lower,
                source: "Jammerbugt Kommune, budgetopfølgning", usedBy: ["849"],
                office: "økonomifunktionen (budgetopfølgningen)"),
        ]
    }
}
