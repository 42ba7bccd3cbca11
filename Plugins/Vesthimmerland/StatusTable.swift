import PluginKit

/// Vesthimmerland's tabel 1: borgere 16–66 år fordelt på arbejdsmarkedsstatus, with the shares of
/// the population and their development, next to hele landet — from the imported figures.
enum StatusTable {
    static let measures = [
        "arbejdsmarkedsstatus.fuldtidspersoner", "arbejdsmarkedsstatus.andel_befolkning",
        "arbejdsmarkedsstatus.andel_befolkning.udvikling", "befolkning.antal", "ydelse.andel_befolkning.udvikling",
    ]

    static func section(_ c: ReportContext) -> ReportSection? {
        let code = c.kommune.code
        guard let period = c.periods("ydelse.fuldtidspersoner", code, ["ydelse": "i_alt"]).last else { return nil }
        func n(_ v: Double?, _ d: Int = 0) -> String { v.map { DanishNumber.format($0, decimals: d) } ?? "–" }
        var rows: [[String]] = []
        let ydelser = ["i_alt", "a_dagpenge", "kontanthjaelp", "uddannelseshjaelp", "integrationsydelse", "sygedagpenge",
                       "jobafklaringsforloeb", "revalidering_og_forrevalidering", "ressourceforloeb", "ledighedsydelse",
                       "fleksjob", "foertidspension", "efterloen"]
        for y in ydelser {
            let dims = ["ydelse": y]
            let label = y == "i_alt" ? "Ydelsesmodtagere" : DimensionCatalog.standard.ydelsesgruppe(y)?.label(in: period.year) ?? y
            rows.append([
                label, n(c.figure("ydelse.fuldtidspersoner", code, dims, period)),
                n(c.figure("ydelse.andel_befolkning", code, dims, period), 1), n(c.figure("ydelse.andel_befolkning", "000", dims, period), 1),
                n(c.figure("ydelse.andel_befolkning.udvikling", code, dims, period), 1),
                n(c.figure("ydelse.andel_befolkning.udvikling", "000", dims, period), 1),
            ])
        }
        for (status, label) in [("beskaeftigede", "Beskæftigede"), ("su_modtagere", "SU-modtagere"), ("oevrige", "Øvrige")] {
            let dims = ["status": status]
            rows.append([
                label, n(c.figure("arbejdsmarkedsstatus.fuldtidspersoner", code, dims, period)),
                n(c.figure("arbejdsmarkedsstatus.andel_befolkning", code, dims, period), 1), "–",
                n(c.figure("arbejdsmarkedsstatus.andel_befolkning.udvikling", code, dims, period), 1), "–",
            ])
        }
        guard rows.contains(where: { $0[2] != "–" }) else { return nil }
        return ReportSection(.after(.labourMarket), blocks: [
            .table(ReportTable(
                caption: "Borgere i \(c.kommune.name) (16-66 år) fordelt på arbejdsmarkedsstatus, \(period.danishLabel)",
                header: ["\(period.danishLabel.capitalizedFirst())", "Fuldtidspersoner", "Andel af befolkningen, pct.",
                         "Andel af befolkningen i hele landet, pct.", "Udvikling i andel, pct.point", "Udvikling i hele landet, pct.point"],
                rows: rows, total: ["Befolkning (16-66 år)", n(c.figure("befolkning.antal", code, [:], period)), "–", "–", "–", "–"],
                numeric: [1, 2, 3, 4, 5],
                source: "Kilde: STAR Nøgletalsrapport. En person kan indgå flere gange, fx som ydelsesmodtager og beskæftiget.")),
        ])
    }
}
