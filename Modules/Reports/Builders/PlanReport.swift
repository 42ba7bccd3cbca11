import BeskplanCore
import Evaluation

/// The plan report, as the seeds look: title page, contents, narrative, the labour-market
/// picture, one section per goal in the four-column schema, what changed since last year's plan,
/// and the status of last year's goals.
public enum PlanReport {
    public static func build(_ c: ReportContext, plugin: [ReportSection] = []) throws(UnknownReportSection) -> ReportDocument {
        var list = SectionList()
        list.add("indhold", [.contents])
        // Accepted drafts stand in the sections they were drafted for (`FigureText`).
        for section in c.plan.sections where !section.id.hasPrefix(FigureText.sectionPrefix) {
            list.add(section.id, [.heading(Heading(level: 1, text: section.title, anchor: section.id)), .paragraph(section.text)])
        }
        list.add("maalgrupper", LabourMarket.blocks(c))
        list.add("regler", rules(c))
        list.add("maal", goals(c))
        if let last = c.lastYear {
            list.add("aendringer", Changes.blocks(c, last: last))
            list.add("status", Status.blocks(last.plan, last.evaluations, c))
        }
        try list.apply(plugin)
        return ReportDocument(
            title: c.plan.title, subtitle: c.kommune.name, titlePage: titlePage(c, title: c.plan.title),
            branding: c.branding, blocks: list.blocks)
    }

    static func titlePage(_ c: ReportContext, title: String) -> TitlePage {
        let dataPeriod = c.evaluations.flatMap(\.figures).map(\.period).max()
        var note = "Udarbejdet \(c.generated.danishText) med beskplan"
        if let version = c.version { note += ", planversion \(version)" }
        note += dataPeriod.map { "; data pr. \($0.danishLabel)" } ?? ""
        note += "; vurderet pr. \(c.asOf.danishText)."
        return TitlePage(
            // From 2026 no kommune has a jobcenter (`YearRules`): the title page names the work instead.
            kommune: c.branding.kommuneName,
            jobcenter: YearRules.of(c.plan.year).organisation == .kommunen ? "Beskæftigelsesindsatsen" : c.branding.jobcenterName,
            title: title, year: c.plan.year,
            status: c.plan.status == .godkendt ? "Godkendt" : "Udkast",
            approvals: c.plan.approvals.map { a in
                a.body + (a.date.flatMap(Day.init(iso:)).map { ", \($0.danishText)" } ?? "")
            },
            note: note)
    }

    /// The rules that changed during the plan's year, and what is proposed for it (`YearRules`);
    /// nothing for a year whose rules stood still.
    static func rules(_ c: ReportContext) -> [Block] {
        let rules = YearRules.of(c.plan.year)
        let changed = rules.changes.filter { $0.from.hasPrefix("\(c.plan.year)-") }
        let proposed = rules.proposals.filter { $0.from.hasPrefix("\(c.plan.year)-") }
        guard !changed.isEmpty || !proposed.isEmpty else { return [] }
        func line(_ change: YearRules.Change) -> String {
            let day = Day(iso: change.from)?.danishText ?? change.from
            let summary = change.summary.hasSuffix(".") ? String(change.summary.dropLast()) : change.summary
            return "Fra \(day): \(summary) (\(change.law))."
        }
        var blocks: [Block] = [.heading(Heading(level: 1, text: "Regler for \(c.plan.year)", anchor: "regler"))]
        if !changed.isEmpty { blocks.append(.list(changed.map(line))) }
        if !proposed.isEmpty {
            let asOf = rules.updated.map { " pr. \($0.danishText)" } ?? ""
            blocks.append(.paragraph("Foreslået, men ikke vedtaget\(asOf):"))
            blocks.append(.list(proposed.map(line)))
        }
        return blocks
    }

    static func goals(_ c: ReportContext) -> [Block] {
        let ministermaal = c.ministermaal.goals(for: c.plan.year)
        var blocks: [Block] = [.heading(Heading(level: 1, text: "Mål for beskæftigelsesindsatsen i \(c.plan.year)", anchor: "maal"))]
        if ministermaal.isEmpty {
            blocks.append(.paragraph("Fra \(c.ministermaal.abolished.fromYear) er der ingen ministermål (\(c.ministermaal.abolished.law)); planens mål er lokale."))
        } else {
            blocks.append(.paragraph("Beskæftigelsesministerens mål for \(c.plan.year):"))
            blocks.append(.list(ministermaal.map { "\($0.number). \($0.title)" + ($0.mark.map { " (\($0.rawValue))" } ?? "") }))
        }
        var localHeadingShown = false
        for goal in c.plan.goals {
            if goal.kind == .local && !localHeadingShown && c.plan.goals.contains(where: { $0.kind == .minister }) {
                blocks.append(.paragraph("\(c.localGoalLabel == "Lokalt mål" ? "Lokale mål" : c.localGoalLabel): mål, som kommunen selv har fastsat."))
                localHeadingShown = true
            }
            blocks += goalBlocks(goal, c, ministermaal)
        }
        return blocks
    }

    static func goalBlocks(_ goal: Goal, _ c: ReportContext, _ ministermaal: [Ministermaal]) -> [Block] {
        let label = goal.kind == .minister ? "Mål \(goal.id)" : "\(c.localGoalLabel) \(goal.id)"
        var blocks: [Block] = [.heading(Heading(level: 2, text: "\(label): \(goal.title)", anchor: "maal-" + Anchor.make(goal.id), pageBreak: true))]
        var tags: [String] = []
        if !goal.serves.isEmpty {
            let served = goal.serves.map { n in "ministermål \(n)" + (ministermaal.first { $0.number == n }.map { " (\($0.title))" } ?? "") }
            tags.append("Tjener " + served.joined(separator: " og "))
        } else {
            tags.append(c.localGoalLabel)
        }
        if let mark = goal.mark { tags.append(mark == .nyt ? "Nyt mål" : "Videreført") }
        blocks.append(.note(tags.joined(separator: ". ") + "."))
        if let text = goal.text { blocks.append(.paragraph(text)) }
        if !goal.actions.isEmpty {
            blocks.append(.heading(Heading(level: 3, text: "Handlinger", anchor: "maal-\(Anchor.make(goal.id))-handlinger")))
            blocks.append(.list(goal.actions))
        }
        if !goal.targets.isEmpty {
            blocks.append(.table(ReportTable(
                caption: "Resultatmål — \(label)",
                header: ["Hvad følges der op på?", "Hvad måles der på?", "Mål", "Hvornår følges der op?"],
                rows: goal.targets.map { t in
                    [
                        "\(t.id) \(t.follows)", t.measures,
                        RuleDescription.danish(t.rule, measures: c.measures, region: c.region, ruleKinds: c.ruleKinds),
                        t.followUp.map { "\($0.frequency.rawValue.capitalizedFirst()) — \($0.audience) (\($0.source))" } ?? "–",
                    ]
                })))
        }
        return blocks
    }
}

/// "Status på sidste års mål": last year's plan, evaluated.
enum Status {
    static func blocks(_ plan: Plan, _ evaluations: [TargetEvaluation], _ c: ReportContext) -> [Block] {
        var blocks: [Block] = [
            .heading(Heading(level: 1, text: "Status på resultatmål for \(plan.year)", anchor: "status", pageBreak: true)),
            .paragraph("Målene for \(plan.year) er vurderet med de importerede tal pr. \(c.asOf.danishText)."),
        ]
        blocks.append(.table(Summary.table(evaluations, caption: "Status på målene for \(plan.year)", measures: c.measures)))
        blocks.append(.list(evaluations.map { "\($0.target) \($0.follows): \($0.explanation)" }))
        return blocks
    }
}

/// The summary table of evaluations: target, figure, benchmark, status (as a word).
enum Summary {
    static func table(_ evaluations: [TargetEvaluation], caption: String, measures: MeasureCatalog) -> ReportTable {
        ReportTable(
            caption: caption, header: ["Mål", "Hvad følges der op på?", "Resultat", "Sammenligning", "Status"],
            rows: evaluations.map { e in
                [e.target, e.follows, number(e.value, e.unit), number(e.benchmark, e.unit), e.status.label]
            },
            numeric: [2, 3])
    }

    static func number(_ v: Double?, _ unit: MeasureUnit?) -> String {
        guard let v else { return "–" }
        switch unit {
        case .procentpoint?: return DanishNumber.percentagePoints(v, signed: true)
        case .some(let u): return DanishNumber.format(v, unit: u)
        case nil: return DanishNumber.format(v, decimals: 1)
        }
    }
}
