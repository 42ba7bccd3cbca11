import BeskplanCore
import Evaluation

/// The follow-up report (opfølgning): a summary table first, then each target's trend chart and
/// explanation, and an årshjul of what is due when.
public enum FollowUpReport {
    public static func build(_ c: ReportContext, plugin: [ReportSection] = []) throws(UnknownReportSection) -> ReportDocument {
        var list = SectionList()
        list.add("indhold", [.contents])
        let counts = Dictionary(grouping: c.evaluations, by: \.status).mapValues(\.count)
        let summaryText = EvaluationStatus.allCases.compactMap { s in counts[s].map { "\($0) \(s.label)" } }.joined(separator: ", ")
        list.add("overblik", [
            .heading(Heading(level: 1, text: "Overblik", anchor: "overblik")),
            .paragraph("Opfølgning på \(c.evaluations.count) mål i \(c.plan.title.lowercased()) pr. \(c.asOf.danishText): \(summaryText)."
                + c.fetched.map { " " + $0.sentence }.joined()),
            .table(Summary.table(c.evaluations, caption: "Status pr. mål", measures: c.measures)),
        ])
        var targets: [Block] = [.heading(Heading(level: 1, text: "Målene enkeltvis", anchor: "maalene", pageBreak: true))]
        let byTarget = Dictionary(c.plan.goals.flatMap { g in g.targets.map { ($0.id, ($0, g)) } }, uniquingKeysWith: { a, _ in a })
        for e in c.evaluations {
            targets.append(.heading(Heading(level: 2, text: "\(e.target) \(e.follows)", anchor: "maal-" + Anchor.make(e.target))))
            targets.append(.paragraph("Status: \(e.status.label). \(e.explanation)"))
            if let (target, _) = byTarget[e.target], let chart = trend(target, c) { targets.append(.figure(chart)) }
        }
        list.add("maalene", targets)
        list.add("aarshjul", Yearwheel.blocks(c))
        try list.apply(plugin)
        return ReportDocument(
            title: "Opfølgning på \(c.plan.title.lowercased())", subtitle: c.kommune.name,
            titlePage: PlanReport.titlePage(c, title: "Opfølgning på \(c.plan.title.lowercased())"),
            branding: c.branding, blocks: list.blocks)
    }

    /// The dimension values a target's rule reads its measure with.
    public static func selection(_ rule: Rule) -> [String: String] {
        switch rule {
        case .threshold(let r): r.select ?? [:]
        case .benchmark(let r): r.select ?? [:]
        case .development(let r): r.select ?? [:]
        case .change(let r): r.select ?? [:]
        case .deadline(let r): r.select ?? [:]
        default: [:]
        }
    }

    /// The target's measure over time for kommune, region and country, when there are at least two points.
    public static func trend(_ target: Target, _ c: ReportContext) -> ChartFigure? {
        guard let measure = target.rule.measure else { return nil }
        let select = selection(target.rule)
        let series = c.areas.map { area in
            Chart.Series(
                name: LabourMarket.areaName(area),
                points: c.data.points(SeriesKey(measure: measure, area: area.code, dimensions: select))
                    .filter { $0.period.lastDay <= c.asOf }.map { ($0.period, $0.value) })
        }.filter { !$0.points.isEmpty }
        guard series.contains(where: { $0.points.count >= 2 }) else { return nil }
        let definition = c.measures[measure]
        let periods = series.flatMap { $0.points.map(\.period) }
        let last = periods.max()!
        // A break the chart spans is marked in the picture and said in words.
        let breaks = (definition?.breaks(select) ?? []).filter { b in
            periods.contains { $0.firstDay < b.from.firstDay } && periods.contains { $0.firstDay >= b.from.firstDay }
        }
        let breakText = breaks.map { " Bemærk: \($0.danishDescription); tallene før og efter kommer fra to tabeller og er ikke forbundet." }.joined()
        let source = "Kilde: \(definition?.source ?? "importerede tal"), data pr. \(last.danishLabel)"
        return ChartFigure(
            caption: "Figur: \(definition?.name ?? measure)" + (breaks.isEmpty ? "" : " (med brud i serien)"),
            svg: Chart.line(series, unit: definition?.unit, source: source,
                            colors: [c.branding.primaryColor, c.branding.accentColor, "#7F7F7F"], breaks: breaks.map(\.from)),
            description: series.map { s in
                s.name + ": " + s.points.map { "\($0.period.danishLabel) \(DanishNumber.format($0.value, unit: definition?.unit ?? .antal))" }.joined(separator: ", ")
            }.joined(separator: "; ") + breakText,
            source: source)
    }
}
