import AppSupport
import Evaluation
import Foundation
import Reports

/// A status as a word and the CSS class that colours it (with the word, never colour alone).
struct StatusView: Sendable {
    let word: String
    let css: String

    init(_ status: EvaluationStatus) {
        word = status.label
        css = "status-" + status.rawValue.replacingOccurrences(of: "_", with: "-")
    }
}

/// One target in the dashboard's, the follow-up's and the public page's tables: its status and
/// latest figures beside the region's and the country's, in Danish numbers.
struct EvaluationRow: Sendable {
    /// Where a figure comes from, so the reader knows how to get it.
    struct Source: Sendable {
        let text: String
        let local: Bool
        let office: String
    }

    let target: String
    let follows: String
    let goal: String
    let status: StatusView
    let value: String
    let explanation: String
    let awaiting: Bool
    var sources: [Source] = []
    var hasSources = false
    var hasLocal = false
    var period: String?
    var latest: String?
    var region: String?
    var country: String?
    var sparkline: String?

    init(_ e: TargetEvaluation, target: Target?, _ c: ReportContext) {
        self.target = e.target
        follows = e.follows
        goal = e.goal
        status = StatusView(e.status)
        value = e.value.map { Self.format($0, e.unit) } ?? "–"
        explanation = e.explanation
        awaiting = e.status == .afventerVurdering
        if e.status == .manglerData, let target {
            let ids = Evaluator(ruleKinds: Array(c.ruleKinds.values)).measures(of: target)
            sources = Self.sources(ids, c.measures)
            hasSources = !sources.isEmpty
            hasLocal = sources.contains(where: \.local)
        }
        if let figure = e.figures.first {
            // The figures in the measure's own unit (a count, a share), not the rule's (a development in %).
            let unit = c.measures[figure.measure]?.unit
            let key = { (area: AreaCode) in SeriesKey(measure: figure.measure, area: area, dimensions: figure.dimensions) }
            let points = c.data.points(key(c.kommune.code)).filter { $0.period.lastDay <= c.asOf }
            period = points.last?.period.danishLabel ?? figure.period.danishLabel
            latest = points.last.map { Self.format($0.value, unit) } ?? "–"
            if let region = c.region { self.region = Self.latest(c, key(region.code), unit) }
            country = Self.latest(c, key(c.country.code), unit)
            sparkline = Self.sparkline(points.suffix(12).map(\.value), label: "Udvikling for \(e.follows)")
        }
    }

    /// Each measure a target reads, down to the inputs of a derived one, with where it comes from:
    /// "Påbegyndte opkvalificeringsforløb: kommunens egne tal fra Jobcenter Samsø".
    static func sources(_ ids: [MeasureID], _ catalog: MeasureCatalog) -> [Source] {
        var result: [Source] = []
        var seen: Set<MeasureID> = []
        var queue = ids
        while !queue.isEmpty {
            let id = queue.removeFirst()
            guard seen.insert(id).inserted, let m = catalog[id] else { continue }
            switch m.kind {
            case .derived?: queue += m.derived?.inputs ?? []
            case .local?:
                result.append(Source(text: "\(m.name): kommunens egne tal fra \(m.office ?? "kommunen")", local: true, office: m.office ?? ""))
            case .published?:
                let text = m.kindDescription(catalog).replacingOccurrences(of: "offentlig: ", with: "offentlige tal fra ")
                result.append(Source(text: "\(m.name): \(text)", local: false, office: ""))
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

    /// Text for an attribute or element of generated SVG.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// A problem shown above a form: its title, detail and located errors.
struct ProblemView: Sendable {
    struct Located: Sendable {
        let line: Int
        let column: Int
        let message: String
        /// "Linje 3, kolonne 5: " for a located error; nothing for one about the whole.
        let `where`: String
    }

    let title: String
    let detail: String?
    let errors: [Located]
    let hasErrors: Bool

    init(_ problem: Problem, locatedOnly: Bool = false) {
        title = problem.title
        detail = problem.detail
        errors = (problem.errors ?? []).filter { !locatedOnly || $0.line > 0 }.map {
            Located(line: $0.line, column: $0.column, message: $0.message, where: $0.line > 0 ? "Linje \($0.line), kolonne \($0.column): " : "")
        }
        hasErrors = !errors.isEmpty
    }
}
