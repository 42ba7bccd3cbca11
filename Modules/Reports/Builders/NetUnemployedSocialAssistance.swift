import BeskplanCore

/// Net-unemployed recipients of kontanthjælp (Danmarks Statistik, AUK01) for the kommune, its
/// region and the country, every quarter imported: a chart indexed to the first quarter (the
/// country is a hundred times the kommune) and a table of each year's fourth quarter as published.
enum NetUnemployedSocialAssistance {
    static let measure: MeasureID = "kontanthjaelp.nettoledige_fuldtidspersoner"
    static let source = "Kilde: Danmarks Statistik, AUK01"

    static func blocks(_ c: ReportContext) -> [Block] {
        let series = c.areas.map { area in
            (area, c.data.points(SeriesKey(measure: measure, area: area.code)).filter { $0.period.lastDay <= c.asOf })
        }
        guard let own = series.first?.1, let first = own.first, let last = own.last else { return [] }
        let span = "\(first.period.year)–\(last.period.year)"
        var blocks: [Block] = [
            .heading(Heading(level: 2, text: "Nettoledige kontanthjælpsmodtagere, \(span)", anchor: "nettoledige-kontanthjaelp")),
            .paragraph(
                "Antallet af nettoledige kontanthjælpsmodtagere opgjort i fuldtidspersoner i \(c.kommune.name), "
                    + "\(c.region?.name ?? "regionen") og hele landet fra \(first.period.danishLabel) til \(last.period.danishLabel)."),
        ]
        if let chart = chart(series, from: first.period) { blocks.append(.figure(chart)) }
        blocks.append(.table(table(c, series)))
        return blocks
    }

    /// Each area's quarters as an index, 100 in the kommune's first quarter.
    static func chart(_ series: [(Area, [DataPoint])], from base: Period) -> ChartFigure? {
        let lines = series.compactMap { area, points -> Chart.Series? in
            guard let start = points.first(where: { $0.period == base })?.value, start != 0 else { return nil }
            return Chart.Series(name: LabourMarket.areaName(area), points: points.map { ($0.period, $0.value / start * 100) })
        }
        guard !lines.isEmpty else { return nil }
        let caption = "Figur: Nettoledige kontanthjælpsmodtagere (fuldtidspersoner), indeks \(base.danishLabel) = 100"
        return ChartFigure(
            caption: caption, svg: Chart.line(lines, unit: nil, source: source), description: lines.map { line in
                "\(line.name): fra 100 til \(DanishNumber.format(line.points.last?.value ?? 100, decimals: 0))"
            }.joined(separator: "; "), source: source)
    }

    /// One row a year: its fourth quarter (or the last quarter imported), as published.
    static func table(_ c: ReportContext, _ series: [(Area, [DataPoint])]) -> ReportTable {
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
