import BeskplanCore

/// Net-unemployed recipients of kontanthjælp (Danmarks Statistik, AUK01) for the kommune, its
/// region and the country: every quarter published before the plan year (what the plan could
/// build on), as a chart of the kommune's own figures and a table of each year's fourth quarter
/// for all three, as published.
enum NetUnemployedSocialAssistance {
    static let measure: MeasureID = "kontanthjaelp.nettoledige_fuldtidspersoner"
    static let source = "Kilde: Danmarks Statistik, AUK01"

    static func blocks(_ c: ReportContext) -> [Block] {
        let before = Period.year(c.plan.year).firstDay
        let series = c.areas.map { area in
            (area, c.data.points(SeriesKey(measure: measure, area: area.code)).filter {
                $0.period.lastDay <= c.asOf && $0.period.lastDay < before
            })
        }
        guard let own = series.first?.1, let first = own.first, let last = own.last else {
            return [.paragraph(
                "Der er ikke indlæst tal fra Danmarks Statistik (AUK01) for nettoledige kontanthjælpsmodtagere i "
                    + "\(c.kommune.name) før \(c.plan.year).")]
        }
        let span = "\(first.period.year)–\(last.period.year)"
        return [
            .heading(Heading(level: 2, text: "Nettoledige kontanthjælpsmodtagere, \(span)", anchor: "nettoledige-kontanthjaelp")),
            .paragraph(
                "Figuren viser antallet af nettoledige kontanthjælpsmodtagere i \(c.kommune.name) opgjort i fuldtidspersoner "
                    + "fra \(first.period.danishLabel) til \(last.period.danishLabel). Tabellen sammenligner med "
                    + "\(c.region?.name ?? "regionen") og hele landet i 4. kvartal hvert år."),
            .figure(chart(c.kommune, own)),
            .table(table(series)),
        ]
    }

    /// The kommune's quarters in full-time persons.
    static func chart(_ kommune: Area, _ points: [DataPoint]) -> ChartFigure {
        let first = points.first!
        let last = points.last!
        let line = Chart.Series(name: kommune.name, points: points.map { ($0.period, $0.value) })
        return ChartFigure(
            caption: "Figur: Nettoledige kontanthjælpsmodtagere i \(kommune.name) (fuldtidspersoner)",
            svg: Chart.line([line], unit: .fuldtidspersoner, source: source),
            description: "\(kommune.name): \(LabourMarket.count(first.value)) fuldtidspersoner i \(first.period.danishLabel), "
                + "\(LabourMarket.count(last.value)) i \(last.period.danishLabel)",
            source: source)
    }

    /// One row a year: its fourth quarter (or the last quarter published), as published.
    static func table(_ series: [(Area, [DataPoint])]) -> ReportTable {
        let byArea = series.map { _, points in Dictionary(points.map { ($0.period, $0.value) }, uniquingKeysWith: { _, b in b }) }
        let periods = Dictionary(grouping: series.first?.1.map(\.period) ?? [], by: \.year).values.compactMap { $0.max() }.sorted()
        let rows = periods.map { period in
            [period.danishLabel.capitalizedFirst()] + byArea.map { values in values[period].map(LabourMarket.count) ?? "–" }
        }
        return ReportTable(
            caption: "Nettoledige kontanthjælpsmodtagere (fuldtidspersoner), 4. kvartal hvert år",
            header: ["Periode"] + series.map { LabourMarket.areaName($0.0) }, rows: rows, total: nil,
            numeric: Set(1...series.count),
            source: "\(source). Tallene er offentliggjort for hvert område; landstallet er ikke summen af kommunerne.")
    }
}
