import BeskplanCore

/// A real published series for the kommune, its region and the country in the plan report's
/// labour-market section: every period published before the plan year (what the plan could build
/// on), as a chart of the kommune's own figures and a table of each year's last period for all
/// three, as published and marked with its source. The demo ships AUK01, LBESK69 and FOLK1AM.
struct PublishedSeries {
    let measure: MeasureID
    /// The heading's words, before the years (`Nettoledige kontanthjælpsmodtagere`).
    let title: String
    /// `Kilde: Danmarks Statistik, AUK01`.
    let source: String
    let anchor: String
    /// What the figures count, after a number in a sentence (`fuldtidspersoner`).
    let counted: String

    static let all = [
        PublishedSeries(
            measure: "kontanthjaelp.nettoledige_fuldtidspersoner", title: "Nettoledige kontanthjælpsmodtagere",
            source: "Kilde: Danmarks Statistik, AUK01", anchor: "nettoledige-kontanthjaelp", counted: "fuldtidspersoner"),
        PublishedSeries(
            measure: "beskaeftigelse.loenmodtagere", title: "Fuldtidsbeskæftigede lønmodtagere (bopæl)",
            source: "Kilde: Danmarks Statistik, LBESK69", anchor: "loenmodtagere", counted: "fuldtidsbeskæftigede"),
        PublishedSeries(
            measure: "befolkning.i_alt", title: "Befolkningen", source: "Kilde: Danmarks Statistik, FOLK1AM",
            anchor: "befolkning", counted: "indbyggere"),
    ]

    /// Every series with figures before the plan year; the first (AUK01) says so when it has none.
    static func blocks(_ c: ReportContext) -> [Block] {
        all.enumerated().flatMap { i, series in series.blocks(c, sayWhenMissing: i == 0) }
    }

    /// Each area's points published before the plan year, as of the report's day.
    func series(_ c: ReportContext) -> [(Area, [DataPoint])] {
        let before = Period.year(c.plan.year).firstDay
        return c.areas.map { area in
            (area, c.data.points(SeriesKey(measure: measure, area: area.code)).filter {
                $0.period.lastDay <= c.asOf && $0.period.lastDay < before
            })
        }
    }

    /// The sentence drafted for the section: the latest period published before the plan year
    /// against the same period a year before, in the kommune and its region.
    func draft(_ c: ReportContext) -> FigureText.Draft? {
        let series = series(c)
        guard let last = series.first?.1.last else { return nil }
        let values = Dictionary(series.map { area, points in
            (area.code, Dictionary(points.map { ($0.period, $0.value) }, uniquingKeysWith: { _, b in b }))
        }, uniquingKeysWith: { a, _ in a })
        guard let text = FigureText.development(
            measure, unit: c.measures[measure]?.unit ?? .antal, kommune: c.kommune, region: c.region,
            from: last.period.sameInPreviousYear, to: last.period, source: source.replacingOccurrences(of: "Kilde: ", with: ""),
            value: { values[$0]?[$1] })
        else { return nil }
        return FigureText.Draft(id: FigureText.id(anchor, c), title: title, text: text)
    }

    func blocks(_ c: ReportContext, sayWhenMissing: Bool) -> [Block] {
        let series = series(c)
        let unit = c.measures[measure]?.unit ?? .antal
        guard let own = series.first?.1, let first = own.first, let last = own.last else {
            guard sayWhenMissing else { return [] }
            return [.paragraph(
                "Der er ikke indlæst tal fra \(source.replacingOccurrences(of: "Kilde: ", with: "")) for \(title.lowercasedFirst()) i "
                    + "\(c.kommune.name) før \(c.plan.year).")]
        }
        let span = first.period.year == last.period.year ? "\(first.period.year)" : "\(first.period.year)–\(last.period.year)"
        return [
            .heading(Heading(level: 2, text: "\(title), \(span)", anchor: anchor)),
            .paragraph(
                "Figuren viser \(title.lowercasedFirst()) i \(c.kommune.name) "
                    + "fra \(first.period.danishLabel) til \(last.period.danishLabel). Tabellen sammenligner med "
                    + "\(c.region?.name ?? "regionen") og hele landet i årets sidste opgjorte periode."),
        ] + FigureText.blocks(FigureText.id(anchor, c), draft(c), c) + [
            .figure(chart(c.kommune, own, unit: unit)),
            .table(table(series)),
        ]
    }

    /// The kommune's own figures.
    func chart(_ kommune: Area, _ points: [DataPoint], unit: MeasureUnit) -> ChartFigure {
        let first = points.first!
        let last = points.last!
        let line = Chart.Series(name: kommune.name, points: points.map { ($0.period, $0.value) })
        return ChartFigure(
            caption: "Figur: \(title) i \(kommune.name)",
            svg: Chart.line([line], unit: unit, source: source),
            description: "\(kommune.name): \(LabourMarket.count(first.value)) \(counted) i \(first.period.danishLabel), "
                + "\(LabourMarket.count(last.value)) i \(last.period.danishLabel)",
            source: source)
    }

    /// One row a year: its last period published, as published.
    func table(_ series: [(Area, [DataPoint])]) -> ReportTable {
        let byArea = series.map { _, points in Dictionary(points.map { ($0.period, $0.value) }, uniquingKeysWith: { _, b in b }) }
        let periods = Dictionary(grouping: series.first?.1.map(\.period) ?? [], by: \.year).values.compactMap { $0.max() }.sorted()
        let rows = periods.map { period in
            [period.danishLabel.capitalizedFirst()] + byArea.map { values in values[period].map(LabourMarket.count) ?? "–" }
        }
        return ReportTable(
            caption: "\(title), årets sidste opgjorte periode",
            header: ["Periode"] + series.map { LabourMarket.areaName($0.0) }, rows: rows, total: nil,
            numeric: Set(1...series.count),
            source: "\(source). Tallene er offentliggjort for hvert område; landstallet er ikke summen af kommunerne.")
    }
}
