import AppSupport
import Evaluation
import HTTPTypes
import Hummingbird
import Reports
import Storage

/// One target: its figures, chart and history at the year's follow-ups, and its notes, which an
/// updater adds here as the API's `addAssessment` does — through `AssessmentService`.
struct TargetController: Sendable {
    let pages: PageSupport

    func addRoutes(to routes: PageRoutes) {
        routes.get("/kommuner/{kommune}/{year}/maal/{target}", .target, use: target)
        routes.post("/kommuner/{kommune}/{year}/maal/{target}/noter", .addNote, use: addNote)
    }

    @Sendable func target(_ request: Request, context: ServerContext) async throws -> Response {
        try await targetPage(context, noteError: nil)
    }

    private struct NoteForm: Decodable {
        var status: String?
        var note: String?
    }

    @Sendable func addNote(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let year = context.parameters.get("year", as: Int.self), let target = context.parameters.get("target") else {
            return pages.missingPlan(context, scope)
        }
        let form = try await PageSupport.form(NoteForm.self, request, context)
        do {
            try await AssessmentService(pages.environment).record(
                .init(target: target, status: form?.status ?? "", note: form?.note ?? ""), scope: scope, year: year,
                author: PageSupport.actor(context))
        } catch is PlanNotFound {
            return pages.missingPlan(context, scope)
        } catch let refusal as Refusal where refusal.kind == .unknownTarget {
            return pages.renderer.error(.notFound, heading: "Målet findes ikke", message: "Planen har ikke det mål.", page: pages.frame(context, scope))
        } catch let refusal as Refusal {
            return try await targetPage(context, noteError: refusal.detail, status: .unprocessableContent)
        }
        return PageRenderer.redirect("/kommuner/\(scope.area.slug)/\(year)/maal/\(target)#noter")
    }

    private func targetPage(_ context: ServerContext, noteError: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, c) = try await pages.reportContext(context, scope) else { return pages.missingPlan(context, scope) }
        let id = context.parameters.get("target") ?? ""
        guard let e = c.evaluations.first(where: { $0.target == id }),
            let (target, goal) = c.plan.goals.lazy.flatMap({ g in g.targets.map { ($0, g) } }).first(where: { $0.0.id == id })
        else {
            return pages.renderer.error(
                .notFound, heading: "Målet findes ikke", message: "Planen for \(year) har intet mål \(id.prefix(32)).",
                page: pages.frame(context, scope, year))
        }
        let history = try await pages.quarters(c, year: year).compactMap { day, evaluations in
            evaluations.first { $0.target == id }.map { (day, $0) }
        }
        let notes = try await AssessmentService(pages.environment).history(scope, year: year, target: id)
        let forecast = try await ForecastService(pages.environment).forecasts(c.plan, asOf: c.asOf, only: id).first
        let view = TargetView(
            e, target: target, goal: goal, c, history: history, notes: notes, canNote: PageSupport.may(.updater, context),
            canEditData: PageSupport.may(.editor, context), noteError: noteError, forecast: forecast)
        return pages.renderer.render(
            "target", view, EvaluationRow(e, target: target, c), page: pages.frame(context, scope, year, current: .overblik), status: status)
    }
}

/// The target page beyond its row: its chart, rule, history at the year's follow-ups, and every
/// note (newest first).
struct TargetView: Sendable {
    struct Chart: Sendable {
        let svg: String
        let caption: String
        let description: String
    }

    struct Moment: Sendable {
        let day: String
        let status: StatusView
        let value: String
    }

    struct Note: Sendable {
        let date: String
        let author: String
        let note: String
        let status: StatusView
    }

    struct Choice: Sendable {
        let value: String
        let word: String
    }

    let goalTitle: String
    let measures: String
    /// The rule in Danish words, with the measures' names.
    let rule: String
    let red: Bool
    let chart: Chart?
    let history: [Moment]
    let notes: [Note]
    let statuses: [Choice]
    let canNote: Bool
    let canEditData: Bool
    let noteError: String?
    /// Where the running period is heading (`ForecastService`), labelled prognose.
    let forecast: Forecast?

    struct Forecast: Sendable {
        let status: StatusView
        let text: String
    }

    init(
        _ e: TargetEvaluation, target: Target, goal: Goal, _ c: ReportContext, history: [(Day, TargetEvaluation)],
        notes: [Assessment], canNote: Bool, canEditData: Bool, noteError: String?, forecast: TargetForecast? = nil
    ) {
        self.forecast = forecast.map { Forecast(status: StatusView($0.status), text: $0.explanation) }
        goalTitle = goal.title
        measures = target.measures
        rule = RuleDescription.danish(target.rule, measures: c.measures, region: c.region, ruleKinds: c.ruleKinds)
        red = [.ikkeOpfyldt, .iRisiko].contains(e.status)
        chart = FollowUpReport.trend(target, c).map { Chart(svg: $0.svg, caption: $0.caption, description: $0.description) }
        self.history = history.map { day, evaluation in
            Moment(day: day.danishText, status: StatusView(evaluation.status), value: evaluation.value.map { EvaluationRow.format($0, evaluation.unit) } ?? "–")
        }
        self.notes = notes.map { Note(date: $0.date, author: $0.author, note: $0.note, status: StatusView($0.status)) }
        statuses = AssessmentService.statuses.map { Choice(value: $0.rawValue, word: $0.label) }
        self.canNote = canNote
        self.canEditData = canEditData
        self.noteError = noteError
    }
}
