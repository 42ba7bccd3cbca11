import AppSupport
import Foundation
import PlanFormat
import Reports

/// What the pages show, worked out from a report's context: plain values for the templates,
/// Danish numbers and words already made, so that the templates hold no logic.
enum PageModels {
    /// The status as a word and the CSS class that colours it (with the word, never colour alone).
    static func status(_ status: EvaluationStatus) -> [String: Any] {
        ["word": status.label, "css": "status-" + status.rawValue.replacingOccurrences(of: "_", with: "-")]
    }

    /// The dashboard: counts by status, then every target with its latest figures.
    static func dashboard(_ c: ReportContext, goal: String?, status: String?) -> [String: Any] {
        let targets = c.plan.goals.flatMap { g in g.targets.map { ($0, g) } }
        let byID = Dictionary(targets.map { ($0.0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let rows: [[String: Any]] = c.evaluations.compactMap { e in
            guard goal == nil || byID[e.target]?.1.id == goal, status == nil || e.status.rawValue == status else { return nil }
            return row(e, target: byID[e.target]?.0, c)
        }
        let counts = Dictionary(grouping: c.evaluations, by: \.status).mapValues(\.count)
        return [
            "counts": EvaluationStatus.allCases.compactMap { s in
                counts[s].map { ["count": $0, "status": Self.status(s), "value": s.rawValue, "selected": s.rawValue == status] }
            },
            "goals": c.plan.goals.map { ["id": $0.id, "title": $0.title, "selected": $0.id == goal] },
            "rows": rows, "empty": rows.isEmpty, "filtered": goal != nil || status != nil,
            "asOf": c.asOf.danishText,
            "regionName": c.region.map { LabourMarket.areaName($0) } ?? "Regionen",
        ]
    }

    static func row(_ e: TargetEvaluation, target: Target?, _ c: ReportContext) -> [String: Any] {
        var row: [String: Any] = [
            "target": e.target, "follows": e.follows, "goal": e.goal, "status": status(e.status),
            "value": e.value.map { format($0, e.unit) } ?? "–", "explanation": e.explanation,
        ]
        // Where the figures of a target without them come from, so the reader knows how to get them.
        if e.status == .manglerData, let target {
            let ids = Evaluator(ruleKinds: Array(c.ruleKinds.values)).measures(of: target)
            let sources = figureSources(ids, c.measures)
            row["sources"] = sources
            row["hasSources"] = !sources.isEmpty
            row["hasLocal"] = sources.contains { $0["local"] as? Bool == true }
        }
        row["awaiting"] = e.status == .afventerVurdering
        if let figure = e.figures.first {
            // The figures in the measure's own unit (a count, a share), not the rule's (a development in %).
            let unit = c.measures[figure.measure]?.unit
            let key = { (area: AreaCode) in SeriesKey(measure: figure.measure, area: area, dimensions: figure.dimensions) }
            let points = c.data.points(key(c.kommune.code)).filter { $0.period.lastDay <= c.asOf }
            row["period"] = points.last?.period.danishLabel ?? figure.period.danishLabel
            row["latest"] = points.last.map { format($0.value, unit) } ?? "–"
            if let region = c.region { row["region"] = latest(c, key(region.code), unit) }
            row["country"] = latest(c, key(c.country.code), unit)
            row["sparkline"] = sparkline(points.suffix(12).map(\.value), label: "Udvikling for \(e.follows)")
        }
        return row
    }

    /// Each measure a target reads, down to the inputs of a derived one, with where it comes from:
    /// "Påbegyndte opkvalificeringsforløb: kommunens egne tal fra Jobcenter Samsø".
    static func figureSources(_ ids: [MeasureID], _ catalog: MeasureCatalog) -> [[String: Any]] {
        var result: [[String: Any]] = []
        var seen: Set<MeasureID> = []
        var queue = ids
        while !queue.isEmpty {
            let id = queue.removeFirst()
            guard seen.insert(id).inserted, let m = catalog[id] else { continue }
            switch m.kind {
            case .derived?: queue += m.derived?.inputs ?? []
            case .local?:
                result.append(["text": "\(m.name): kommunens egne tal fra \(m.office ?? "kommunen")", "local": true, "office": m.office ?? ""])
            case .published?:
                result.append(["text": "\(m.name): \(m.kindDescription(catalog).replacingOccurrences(of: "offentlig: ", with: "offentlige tal fra "))", "local": false])
            case nil: break
            }
        }
        return result
    }

    private static func latest(_ c: ReportContext, _ key: SeriesKey, _ unit: MeasureUnit?) -> String {
        c.data.points(key).last { $0.period.lastDay <= c.asOf }.map { format($0.value, unit) } ?? "–"
    }

    static func format(_ value: Double, _ unit: MeasureUnit?) -> String {
        DanishNumber.format(value, unit: unit ?? .antal)
    }

    /// A small line of the last points, for a table cell; nothing for fewer than two points.
    static func sparkline(_ values: [Double], label: String) -> String? {
        guard values.count >= 2, let low = values.min(), let high = values.max() else { return nil }
        let (w, h) = (96.0, 24.0)
        let span = high - low == 0 ? 1 : high - low
        let points = values.enumerated().map { i, v in
            String(format: "%.1f,%.1f", w * Double(i) / Double(values.count - 1), h - 2 - (h - 4) * (v - low) / span)
        }.joined(separator: " ")
        return "<svg class=\"sparkline\" viewBox=\"0 0 96 24\" width=\"96\" height=\"24\" role=\"img\" aria-label=\"\(escape(label))\">"
            + "<polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" points=\"\(points)\"/></svg>"
    }

    /// The target page: its chart, explanation, history at the year's follow-ups, every note (newest first).
    static func target(
        _ c: ReportContext, id: String, history: [(Day, TargetEvaluation)], notes: [Assessment]
    ) -> [String: Any]? {
        guard let e = c.evaluations.first(where: { $0.target == id }),
            let (target, goal) = c.plan.goals.lazy.flatMap({ g in g.targets.map { ($0, g) } }).first(where: { $0.0.id == id })
        else { return nil }
        var model = row(e, target: target, c)
        model["goalTitle"] = goal.title
        model["measures"] = target.measures
        model["rule"] = RuleText.summary(target.rule)
        model["red"] = [.ikkeOpfyldt, .iRisiko].contains(e.status)
        if let chart = FollowUpReport.trend(target, c) {
            model["chart"] = ["svg": chart.svg, "caption": chart.caption, "description": chart.description]
        }
        model["history"] = history.map { day, evaluation in
            ["day": day.danishText, "status": status(evaluation.status),
             "value": evaluation.value.map { format($0, evaluation.unit) } ?? "–"]
        }
        model["notes"] = notes.map {
            ["date": $0.date, "author": $0.author, "note": $0.note, "status": status($0.status)]
        }
        model["statuses"] = EvaluationStatus.allCases.filter { $0 != .manglerData && $0 != .afventerVurdering }.map { ["value": $0.rawValue, "word": $0.label] }
        return model
    }

    /// Text for an attribute or element of generated SVG.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The plan in the four-column schema of the ministry's template.
    static func plan(_ stored: StoredPlan) -> [String: Any] {
        let plan = stored.plan
        return [
            "planTitle": plan.title, "version": stored.info.version, "savedAt": stored.info.savedAt.prefix(10),
            "author": stored.info.author, "statusWord": plan.status == .godkendt ? "godkendt" : "udkast",
            "frozen": plan.status == .godkendt,
            "hasApprovals": !plan.approvals.isEmpty,
            "approvals": plan.approvals.map { present(["body": $0.body, "date": $0.date]) },
            "adopter": plan.approvals.last?.body ?? "Kommunalbestyrelsen",
            "goals": plan.goals.map { goal in
                present([
                    "id": goal.id, "title": goal.title, "text": goal.text,
                    "mark": goal.mark.map { $0 == .nyt ? "Nyt mål" : "Videreført" },
                    "hasActions": !goal.actions.isEmpty, "actions": goal.actions,
                    "hasTargets": !goal.targets.isEmpty,
                    "targets": goal.targets.map { t in
                        [
                            "id": t.id, "follows": t.follows, "measures": t.measures, "rule": RuleText.summary(t.rule),
                            "followUp": t.followUp.map { "\($0.frequency.rawValue), \($0.audience)" } ?? "–",
                        ]
                    },
                ])
            },
        ]
    }

    /// The values that are there: a template shows a missing one as nothing, never as "nil".
    static func present(_ values: [String: Any?]) -> [String: Any] {
        values.compactMapValues { $0 }
    }
}
