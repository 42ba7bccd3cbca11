import Foundation
import PluginKit

/// Samsø Kommune: what is particular to its plan and reports.
public struct SamsoePlugin: KommunePlugin {
    public static let kommune: AreaCode = "741"

    public init() {}

    private static let resources = ResourceFolder(module: "Samsoe") { Bundle.module }

    public var demoFeeds: [URL] { Self.resources.demoFeeds() }
    public var bundledPlans: [URL] { Self.resources.bundledPlans() }
    public var localGoalLabel: String? { "Samsø-mål" }

    public func sections(_ context: ReportContext, kind: ReportKind) -> [ReportSection] {
        kind == .plan ? [Principles.section()] : []
    }

    public var branding: Branding {
        Branding(
            kommuneName: "Samsø Kommune", jobcenterName: "Jobcenter Samsø", slogan: "vi gør det sammen",
            primaryColor: "#00587C", accentColor: "#F2A900")
    }

    public var measures: [MeasureDefinition] {
        [
            local("opkvalificeringsforloeb", "Påbegyndte opkvalificeringsforløb", .antal, .higher),
            local("ukrainere_modultest", "Ukrainere, der har bestået en modultest på sprogskolen", .antal, .higher),
            local("vaerdig_sagsbehandling_andel", "Andel borgere, der oplever en værdig sagsbehandling", .procent, .higher),
            local("unge_paa_vej_andel", "Andel unge i gang med uddannelse eller job efter folkeskolen", .procent, .higher),
            local("aktive_sager", "Aktive sager i jobcentret", .antal, .neutral),
        ]
    }

    private func local(_ id: String, _ name: String, _ unit: MeasureUnit, _ polarity: Polarity) -> MeasureDefinition {
        MeasureDefinition(
            id: "samsoe.\(id)", name: name, unit: unit, polarity: polarity, source: "Jobcenter Samsø", usedBy: ["741"],
            office: "Jobcenter Samsø")
    }
}
