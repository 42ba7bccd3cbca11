import Foundation
import PluginKit

/// Vesthimmerlands Kommune: what is particular to its plan and reports.
public struct VesthimmerlandPlugin: KommunePlugin {
    public static let kommune: AreaCode = "820"

    public init() {}

    private static let resources = ResourceFolder(module: "Vesthimmerland") { Bundle.module }

    public var demoFeeds: [URL] { Self.resources.demoFeeds() }
    public var bundledPlans: [URL] { Self.resources.bundledPlans() }
    public var reportMeasures: [MeasureID] { StatusTable.measures }

    public func sections(_ context: ReportContext, kind: ReportKind) -> [ReportSection] {
        kind == .plan ? [StatusTable.section(context)].compactMap { $0 } : []
    }

    public var branding: Branding {
        Branding(
            kommuneName: "Vesthimmerlands Kommune", jobcenterName: "Jobcenter Vesthimmerland",
            primaryColor: "#1D5C3A", accentColor: "#C8102E")
    }

    public var measures: [MeasureDefinition] {
        [
            MeasureDefinition(
                id: "vesthimmerland.jobordrer_med_kandidater_andel",
                name: "Andel indkomne jobordrer, hvor der er formidlet relevante kandidater (Rekruttering Himmerland)",
                unit: .procent, polarity: .higher, source: "Rekruttering Himmerland", usedBy: ["820"],
                office: "Rekruttering Himmerland"),
        ]
    }
}
