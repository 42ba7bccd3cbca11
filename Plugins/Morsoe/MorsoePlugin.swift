import Foundation
import PluginKit

/// Morsø Kommune: what is particular to its plan and reports.
public struct MorsoePlugin: KommunePlugin {
    public static let kommune: AreaCode = "773"

    public init() {}

    private static let resources = ResourceFolder(module: "Morsoe") { Bundle.module }

    public var demoFeeds: [URL] { Self.resources.demoFeeds() }
    public var bundledPlans: [URL] { Self.resources.bundledPlans() }
    public var reportMeasures: [MeasureID] { ForecastSection.measures }

    public func sections(_ context: ReportContext, kind: ReportKind) -> [ReportSection] {
        kind == .plan ? [ForecastSection.section(context)].compactMap { $0 } : []
    }

    public var branding: Branding {
        Branding(
            kommuneName: "Morsø Kommune", jobcenterName: "Jobcenter Mors",
            primaryColor: "#005A8C", accentColor: "#7FB539")
    }
}
