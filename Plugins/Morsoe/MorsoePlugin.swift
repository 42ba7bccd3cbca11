import Foundation
import PluginKit

/// Morsø Kommune: what is particular to its plan and reports.
public struct MorsoePlugin: KommunePlugin {
    public static let kommune: AreaCode = "773"

    public init() {}

    public var demoFeeds: [URL] { Bundle.module.demoFeeds() }
    public var bundledPlans: [URL] { Bundle.module.bundledPlans() }
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
