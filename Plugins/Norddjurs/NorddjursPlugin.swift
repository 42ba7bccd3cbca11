import Foundation
import PluginKit

/// Norddjurs Kommune: what is particular to its plan and reports.
public struct NorddjursPlugin: KommunePlugin {
    public static let kommune: AreaCode = "707"

    public init() {}

    private static let resources = ResourceFolder(module: "Norddjurs") { Bundle.module }

    public var bundledPlans: [URL] { Self.resources.bundledPlans() }
    public var importMappings: [URL] { Self.resources.importMappings() }

    public var branding: Branding {
        Branding(
            kommuneName: "Norddjurs Kommune", jobcenterName: "Jobcenter Norddjurs",
            primaryColor: "#003F72", accentColor: "#8DC63F")
    }

    public var measures: [MeasureDefinition] {
        [
            local(
                "vandrende_sager", "Sager, der vandrer mellem rehabiliteringsteam og pensionsnævn", .antal, .lower,
                "Arbejdsmarkedsafdelingen"),
            local(
                "samarbejdsgrad_store_virksomheder",
                "Andel virksomheder med over 50 ansatte med virksomhedsrettet forløb, småjob eller delvis raskmelding",
                .procent, .higher, "CVR-registret og Fasit"),
            local(
                "vandrende_arbejdstagere_danskuddannelse", "Vandrende arbejdstagere i danskuddannelse", .antal,
                .higher, "Job og Sprog Djurs"),
            local(
                "elever_laerlinge_ansat", "Elever og lærlinge ansat med Norddjurs Kommune som arbejdsgiver", .antal,
                .higher, "Arbejdsmarkedsafdelingen"),
        ]
    }

    private func local(
        _ id: String, _ name: String, _ unit: MeasureUnit, _ polarity: Polarity, _ source: String
    ) -> MeasureDefinition {
        MeasureDefinition(
            id: "norddjurs.\(id)", name: name, unit: unit, polarity: polarity, source: source, usedBy: ["707"],
            office: source)
    }
}
