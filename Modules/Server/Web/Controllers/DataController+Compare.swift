import AppSupport
import Hummingbird
import Reports

/// The comparison: a measure across all kommuner, ranked fairly.
extension DataController {
    /// A measure across all kommuner at the kommune's latest period, ranked fairly (a count per
    /// 1,000 inhabitants 16–66 unless `?visning=antal`), with its rank; Y30R21's own rank beside.
    @Sendable func compare(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, c) = try await pages.reportContext(context, scope) else { return pages.missingPlan(context, scope) }
        // The plan's own measures first, then those every kommune has in the shipped real data.
        var ids: [MeasureID] = []
        // Only public figures: a kommune's own (typed-in) figures are never shown to another kommune.
        for e in c.evaluations {
            if let m = e.figures.first?.measure, !ids.contains(m), environment.measures.sourceKinds([m]) == [.published] { ids.append(m) }
        }
        for m in ["benchmark.faktisk_andel", "beskaeftigelse.loenmodtagere", "kontanthjaelp.nettoledige_fuldtidspersoner"] where !ids.contains(m) {
            ids.append(m)
        }
        let query = request.uri.queryParameters
        let chosen = query["measure"].map(String.init).flatMap { ids.contains($0) ? $0 : nil } ?? ids.last!
        let perInhabitant = query["visning"].map(String.init) != "antal"
        guard let definition = environment.measures[chosen] else { return pages.missingPlan(context, scope) }
        var dimensions = c.evaluations.compactMap(\.figures.first).first { $0.measure == chosen }?.dimensions ?? [:]
        if chosen.hasPrefix("benchmark."), dimensions.isEmpty { dimensions = ["ydelse": "i_alt"] }
        var view = CompareView(
            measureName: definition.name, measureID: chosen,
            measures: ids.map { .init(id: $0, name: environment.measures[$0]?.name ?? $0, selected: $0 == chosen) })
        if let ranking = try await Comparison.load(
            environment, measure: definition, dimensions: dimensions, kommune: scope.code, asOf: c.asOf, perInhabitant: perInhabitant)
        {
            view.ranked(ranking, scope: scope, c, unit: definition.unit, areas: environment.areas)
        }
        return pages.renderer.render("compare", view, page: pages.frame(context, scope, year, current: .sammenlign))
    }
}

/// The comparison page.
struct CompareView: Sendable {
    struct Measure: Sendable {
        let id: MeasureID
        let name: String
        let selected: Bool
    }

    struct Row: Sendable {
        let rank: Int
        let name: String
        let value: String
        let published: String
        let `self`: Bool
    }

    let measureName: String
    /// The measure chosen: the value of the form's field, not shown as text.
    let measureID: MeasureID
    let measures: [Measure]
    var hasRows = false
    var period: String?
    var rank: String?
    var count: Int?
    var kommune: String?
    var basis: String?
    var order: String?
    var perInhabitant = false
    var canDivide = false
    var regionName: String?
    var region: String?
    var country: String?
    var rows: [Row] = []
    var benchmarkRank: String?

    init(measureName: String, measureID: MeasureID, measures: [Measure]) {
        self.measureName = measureName
        self.measureID = measureID
        self.measures = measures
    }

    mutating func ranked(_ ranking: Comparison, scope: KommuneScope, _ c: ReportContext, unit: MeasureUnit, areas: AreaCatalog) {
        let shown = { (v: Double) in ranking.basis == .asPublished ? EvaluationRow.format(v, unit) : DanishNumber.format(v, decimals: 1) }
        hasRows = !ranking.rows.isEmpty
        period = ranking.period.danishLabel
        rank = ranking.rows.first { $0.area == scope.code }.map { "nr. \($0.rank)" } ?? "ikke rangeret (intet befolkningstal)"
        count = ranking.rows.count
        kommune = scope.name
        basis = ranking.basis.label
        order = ranking.lowerIsBetter ? "laveste tal først" : "højeste tal først"
        perInhabitant = ranking.basis != .asPublished
        canDivide = [.fuldtidspersoner, .helaarspersoner, .antal].contains(unit)
        regionName = c.region?.name ?? ""
        region = c.region.flatMap { ranking.published[$0.code] }.map { EvaluationRow.format($0, unit) }
        country = ranking.published[c.country.code].map { EvaluationRow.format($0, unit) }
        rows = ranking.rows.map { row in
            Row(
                rank: row.rank, name: areas[row.area]?.name ?? row.area.rawValue, value: shown(row.value),
                published: EvaluationRow.format(row.published, unit), self: row.area == scope.code)
        }
        if let place = ranking.benchmarkPlace {
            benchmarkRank = "I ministeriets benchmark (Jobindsats Y30R21) er \(scope.name) nr. \(DanishNumber.format(place)) af 98 for \(ranking.period.danishLabel)."
        }
    }
}
