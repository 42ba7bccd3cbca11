import PluginKit

/// Bilag 1's "Måltal for politikområde 5": måltal, the budget follow-up's estimate and next
/// year's måltal in helårspersoner, with the total row — from the imported budget figures.
enum MaaltalSection {
    static let groups = [
        "kontanthjaelp", "revalidering", "sygedagpenge", "foertidspension", "ledighedsydelse",
        "ressource_og_jobafklaringsforloeb", "uddannelseshjaelp", "fleksjob",
    ]

    static func section(_ c: ReportContext) -> ReportSection? {
        let year = c.plan.year
        let code = c.kommune.code
        func cell(_ measure: String, _ group: String, _ y: Int) -> String {
            c.figure(measure, code, ["ydelse": group], .year(y)).map { DanishNumber.format($0) } ?? "–"
        }
        func row(_ group: String) -> [String] {
            let label = group == "i_alt" ? "I alt" : DimensionCatalog.standard.ydelsesgruppe(group)?.label ?? group
            return [label, cell("jammerbugt.budget_maaltal", group, year - 1), cell("jammerbugt.budget_estimat", group, year - 1),
                    cell("jammerbugt.budget_maaltal", group, year)]
        }
        let rows = groups.map(row)
        guard rows.contains(where: { $0.dropFirst().contains { $0 != "–" } }) else { return nil }
        return ReportSection(.after(.goals), blocks: [
            .heading(Heading(level: 1, text: "Måltal for politikområde 5 i \(year)", anchor: "maaltal", pageBreak: true)),
            .paragraph("Måltallene følger budgettet og er opgjort i helårspersoner, så udviklingen kan følges ved de månedlige budgetopfølgninger."),
            .table(ReportTable(
                caption: "Måltal for politikområde 5, helårspersoner",
                header: ["Målgruppe", "Måltal \(year - 1)", "Estimeret resultat \(year - 1)", "Måltal \(year)"],
                rows: rows, total: row("i_alt"), numeric: [1, 2, 3],
                source: "Kilde: Jammerbugt Kommune, budget \(year) og budgetopfølgning.")),
        ])
    }
}
