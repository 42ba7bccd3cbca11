import AppSupport
import Hummingbird
import NIOCore
import Reports
import Spreadsheet

/// The comparison: a measure across all kommuner, ranked fairly.
extension DataController {
    /// A measure across all kommuner at the kommune's latest period, ranked fairly (a count per
    /// 1,000 inhabitants 16–66 unless `?visning=antal`), with its rank; Y30R21's own rank beside.
    @Sendable func compare(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let chosen = try await comparison(request, context, scope) else { return pages.missingPlan(context, scope) }
        return pages.renderer.render("compare", chosen.view, page: pages.frame(context, scope, chosen.year, current: .sammenlign))
    }

    /// `GET …/sammenlign.xlsx`: the ranking the page shows, as an Excel workbook.
    @Sendable func compareWorkbook(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let chosen = try await comparison(request, context, scope) else { return pages.missingPlan(context, scope) }
        let table = FigureTables.comparison(
            chosen.ranking, measure: chosen.definition, areas: environment.areas, year: chosen.year)
        var headers = PageRenderer.securityHeaders
        headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        headers[.contentDisposition] = "attachment; filename=\"sammenligning-\(chosen.definition.id)-\(chosen.year).xlsx\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try Workbook.data([table]))))
    }

    /// The measure chosen (`?measure=`, `?visning=antal`) across all kommuner, and the page's view of it.
    private func comparison(
        _ request: Request, _ context: ServerContext, _ scope: KommuneScope
    ) async throws -> (year: Int, view: CompareView, ranking: Comparison?, definition: MeasureDefinition)? {
        guard let (year, c) = try await pages.reportContext(context, scope) else { return nil }
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
        guard let definition = environment.measures[chosen] else { return nil }
        var dimensions = c.evaluations.compactMap(\.figures.first).first { $0.measure == chosen }?.dimensions ?? [:]
        if chosen.hasPrefix("benchmark."), dimensions.isEmpty { dimensions = ["ydelse": "i_alt"] }
        var view = CompareView(
            measureName: definition.name, measureID: chosen,
            measures: ids.map { .init(id: $0, name: environment.measures[$0]?.name ?? $0, selected: $0 == chosen) })
        let ranking = try await Comparison.load(
            environment, measure: definition, dimensions: dimensions, kommune: scope.code, asOf: c.asOf, perInhabitant: perInhabitant)
        if let ranking {
            view.ranked(ranking, scope: scope, c, unit: definition.unit, areas: environment.areas)
            view.excel = "/kommuner/\(scope.area.slug)/\(year)/sammenlign.xlsx?measure=\(chosen)" + (perInhabitant ? "" : "&visning=antal")
        }
        return (year, view, ranking, definition)
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
    /// The ranking as an Excel workbook.
    var excel: String?

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
