import PluginKit

/// Mors' labour-force forecast (Danmarks Statistik, FRKM120), after the labour-market picture.
enum ForecastSection {
    static let measures = ["fremskrivning.arbejdsstyrke", "fremskrivning.beskaeftigede", "fremskrivning.bruttoledige"]

    static func section(_ c: ReportContext) -> ReportSection? {
        let years = c.periods("fremskrivning.arbejdsstyrke", c.kommune.code)
        guard !years.isEmpty else { return nil }
        let rows = years.map { p in
            [p.danishLabel, c.figure("fremskrivning.arbejdsstyrke", c.kommune.code, [:], p).map { DanishNumber.format($0) } ?? "–",
             c.figure("fremskrivning.beskaeftigede", c.kommune.code, [:], p).map { DanishNumber.format($0) } ?? "–"]
        }
        return ReportSection(.after(.planSection("arbejdsmarked")), blocks: [
            .heading(Heading(level: 2, text: "Prognose for arbejdsstyrken", anchor: "prognose")),
            .table(ReportTable(
                caption: "Arbejdsstyrke og beskæftigede i \(c.kommune.name), prognose", header: ["År", "Arbejdsstyrke", "Beskæftigede"],
                rows: rows, numeric: [1, 2], source: "Kilde: Danmarks Statistik, Statistikbanken FRKM120.")),
        ])
    }
}
