import BeskplanCore

/// The labour-market picture: fuldtidspersoner per ydelsesgruppe with development for kommune,
/// region and country, and the shares of arbejdsstyrke and befolkning — all from imported data.
public enum LabourMarket {
    static let groups = DimensionCatalog.standard.ydelsesgrupper.filter { $0.id != "seniorpension" && $0.id != "efterloen" }

    static func blocks(_ c: ReportContext) -> [Block] {
        [.heading(Heading(level: 1, text: heading(c), anchor: "maalgrupper"))]
            + targetGroups(c) + PublishedSeries.blocks(c)
    }

    /// Fuldtidspersoner per ydelsesgruppe (Jobindsats), with development and shares.
    static func targetGroups(_ c: ReportContext) -> [Block] {
        var blocks: [Block] = []
        let total = SeriesKey(measure: "ydelse.fuldtidspersoner", area: c.kommune.code, dimensions: ["ydelse": "i_alt"])
        guard let period = c.latest(total) else {
            blocks.append(.paragraph(
                "Der er ikke importeret tal for fuldtidspersoner på offentlig forsørgelse i \(c.kommune.name); "
                    + "tabellerne vises, når tallene fra Jobindsats er indlæst."))
            return blocks
        }
        let before = period.sameInPreviousYear
        blocks.append(.paragraph(
            "Tabellen viser antallet af fuldtidspersoner på offentlig forsørgelse i \(c.kommune.name) i "
                + "\(before.danishLabel) og \(period.danishLabel) og udviklingen sammenlignet med "
                + "\(c.region?.name ?? "regionen") og hele landet."))
        blocks += FigureText.blocks(FigureText.id("maalgrupper", c), draft(c), c)
        blocks.append(.table(developmentTable(c, period, before)))
        if let shares = sharesTable(c, period) {
            blocks.append(.table(shares))
            if let chart = sharesChart(c, period) { blocks.append(.figure(chart)) }
        }
        return blocks
    }

    /// The sentence drafted for the section: fuldtidspersoner in all from the same period a year
    /// before to the latest, in the kommune and its region.
    static func draft(_ c: ReportContext) -> FigureText.Draft? {
        let m = "ydelse.fuldtidspersoner"
        let dims = ["ydelse": "i_alt"]
        guard let period = c.latest(SeriesKey(measure: m, area: c.kommune.code, dimensions: dims)),
            let text = FigureText.development(
                m, dims: dims, unit: .fuldtidspersoner, kommune: c.kommune, region: c.region, from: period.sameInPreviousYear,
                to: period, source: "Jobindsats", value: { c.value(m, $0, dims, $1) },
                published: { c.value(m + ".udvikling", $0, dims, period) })
        else { return nil }
        return FigureText.Draft(id: FigureText.id("maalgrupper", c), title: heading(c), text: text)
    }

    static func heading(_ c: ReportContext) -> String { "Udviklingen i \(YearRules.of(c.plan.year).organisationGenitive) målgrupper" }

    static func developmentTable(_ c: ReportContext, _ period: Period, _ before: Period) -> ReportTable {
        let m = "ydelse.fuldtidspersoner"
        var rows: [[String]] = []
        var total: [String]?
        var breaks: [String] = []
        for group in groups {
            let dims = ["ydelse": group.id]
            let a = c.value(m, c.kommune.code, dims, before)
            let b = c.value(m, c.kommune.code, dims, period)
            guard a != nil || b != nil else { continue }
            // A group whose series changed table between the two periods is marked, not compared silently.
            let broken = (c.measures[m]?.breaks(dims) ?? []).first { before.firstDay < $0.from.firstDay && period.lastDay >= $0.from.firstDay }
            if let broken { breaks.append("\(group.label(in: period.year)): \(broken.danishDescription)") }
            let row = [group.label(in: period.year) + (broken == nil ? "" : " (brud)"), count(a), count(b)]
                + c.areas.map { area in development(c, area.code, dims, before, period).map(percent) ?? "–" }
            if group.id == "i_alt" { total = row } else { rows.append(row) }
        }
        return ReportTable(
            caption: "Fuldtidspersoner på offentlig forsørgelse, \(before.danishLabel) og \(period.danishLabel)",
            header: ["Målgruppe", before.danishLabel.capitalizedFirst(), period.danishLabel.capitalizedFirst()]
                + c.areas.map { "Udvikling \(areaName($0))" },
            rows: rows, total: total, numeric: [1, 2, 3, 4, 5],
            source: "Kilde: Jobindsats. Udviklingen er beregnet af de importerede tal, eller offentliggjort, hvor kun udviklingen er publiceret."
                + breaks.map { " Brud: \($0); tallene før og efter kommer fra to tabeller." }.joined())
    }

    /// Percent change from absolute figures, else the published development.
    static func development(_ c: ReportContext, _ area: AreaCode, _ dims: [String: String], _ from: Period, _ to: Period) -> Double? {
        let m = "ydelse.fuldtidspersoner"
        if let a = c.value(m, area, dims, from), let b = c.value(m, area, dims, to), a != 0 { return (b - a) / a * 100 }
        return c.value(m + ".udvikling", area, dims, to)
    }

    static func sharesTable(_ c: ReportContext, _ period: Period) -> ReportTable? {
        var rows: [[String]] = []
        var total: [String]?
        for group in groups {
            let dims = ["ydelse": group.id]
            var cells: [String] = []
            for measure in ["ydelse.andel_arbejdsstyrke", "ydelse.andel_befolkning"] {
                cells += c.areas.map { c.value(measure, $0.code, dims, period).map { DanishNumber.format($0, decimals: 1) } ?? "–" }
            }
            guard cells.contains(where: { $0 != "–" }) else { continue }
            let row = [group.label(in: period.year)] + cells
            if group.id == "i_alt" { total = row } else { rows.append(row) }
        }
        guard !rows.isEmpty || total != nil else { return nil }
        var header = ["Målgruppe"]
        for name in ["arbejdsstyrken", "befolkningen"] { header += c.areas.map { "Andel af \(name), \(areaName($0))" } }
        return ReportTable(
            caption: "Fuldtidspersoner i pct. af arbejdsstyrken og befolkningen (16-66 år), \(period.danishLabel)",
            header: header, rows: rows, total: total, numeric: Set(1...6),
            source: "Kilde: Jobindsats, data pr. \(period.danishLabel).")
    }

    static func sharesChart(_ c: ReportContext, _ period: Period) -> ChartFigure? {
        let measure = "ydelse.andel_arbejdsstyrke"
        let groupsWithData = groups.filter { g in
            g.id != "i_alt" && c.areas.contains { c.value(measure, $0.code, ["ydelse": g.id], period) != nil }
        }
        guard !groupsWithData.isEmpty else { return nil }
        let bars = groupsWithData.map { g in
            Chart.BarGroup(label: g.label(in: period.year), values: c.areas.map { c.value(measure, $0.code, ["ydelse": g.id], period) })
        }
        let source = "Kilde: Jobindsats, data pr. \(period.danishLabel)"
        return ChartFigure(
            caption: "Figur: Fuldtidspersoner i pct. af arbejdsstyrken pr. ydelsesgruppe, \(period.danishLabel)",
            svg: Chart.bars(bars, series: c.areas.map(areaName), unit: .procent, source: source,
                            colors: [c.branding.primaryColor, c.branding.accentColor, "#7F7F7F"]),
            description: bars.map { b in
                "\(b.label): " + zip(c.areas, b.values).map { "\(areaName($0.0)) \($0.1.map { DanishNumber.format($0, decimals: 1) + " %" } ?? "–")" }.joined(separator: ", ")
            }.joined(separator: "; "),
            source: source)
    }

    public static func areaName(_ area: Area) -> String { area.kind == .country ? "Hele landet" : area.name }
    static func count(_ v: Double?) -> String { v.map { DanishNumber.format($0, decimals: $0 == $0.rounded() ? 0 : 1) } ?? "–" }
    static func percent(_ v: Double) -> String { DanishNumber.format(v, decimals: 1) + " %" }
}
