import AppSupport
import HTTPTypes
import Hummingbird
import Reports

/// The follow-up (every target's status, the report to download, made final when every red
/// target has its note) and the årshjul.
struct FollowUpController: Sendable {
    let pages: PageSupport

    func addRoutes(to routes: PageRoutes) {
        routes.get("/kommuner/{kommune}/{year}/opfoelgning", .followUp, use: followUp)
        routes.post("/kommuner/{kommune}/{year}/opfoelgning/endelig", .finalizeFollowUp, use: finalizeFollowUp)
        routes.get("/kommuner/{kommune}/{year}/aarshjul", .yearwheel, use: yearwheel)
    }

    @Sendable func followUp(_ request: Request, context: ServerContext) async throws -> Response {
        try await followUpPage(context)
    }

    private func followUpPage(_ context: ServerContext, problem: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, c) = try await pages.reportContext(context, scope) else { return pages.missingPlan(context, scope) }
        let followUp = try await PlanWorkflow(pages.environment).followUpStatus(c.plan, asOf: c.asOf)
        let view = FollowUpView(
            c, scope: scope, year: year, status: followUp, canFinalize: PageSupport.may(.editor, context) && followUp.final == nil, problem: problem)
        return pages.renderer.render("followup", view, page: pages.frame(context, scope, year, current: .opfoelgning), status: status)
    }

    @Sendable func finalizeFollowUp(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, c) = try await pages.reportContext(context, scope) else { return pages.missingPlan(context, scope) }
        do {
            try await PlanWorkflow(pages.environment).finalizeFollowUp(c.plan, asOf: c.asOf, author: PageSupport.actor(context))
        } catch let refusal as Refusal {
            return try await followUpPage(context, problem: refusal.description, status: .init(code: Problem(refusal).status))
        }
        return PageRenderer.redirect("/kommuner/\(scope.area.slug)/\(year)/opfoelgning")
    }

    @Sendable func yearwheel(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, stored) = try await pages.currentPlan(context, scope) else { return pages.missingPlan(context, scope) }
        let months = Yearwheel.entries(stored.plan.forYear(year)).map { month, entries in
            YearwheelView.Month(
                name: Yearwheel.months[month - 1], targets: entries.map(\.target).joined(separator: ", "),
                audiences: Array(Set(entries.map(\.audience))).sorted().joined(separator: ", "))
        }
        let view = YearwheelView(months: months, hasMonths: !months.isEmpty, ics: "/api/v1/kommuner/\(scope.area.slug)/plans/\(year)/aarshjul.ics")
        return pages.renderer.render("yearwheel", view, page: pages.frame(context, scope, year, current: .aarshjul))
    }
}

/// The follow-up page.
struct FollowUpView: Sendable {
    struct Final: Sendable {
        let finalAsOf: String
        let finalBy: String
    }

    struct Download: Sendable {
        let href: String
        let label: String
    }

    let planTitle: String
    let asOf: String
    let rows: [EvaluationRow]
    let missing: [String]
    let hasMissing: Bool
    let downloads: [Download]
    let canFinalize: Bool
    let final: Final?
    let problem: String?

    init(_ c: ReportContext, scope: KommuneScope, year: Int, status: FollowUpStatus, canFinalize: Bool, problem: String?) {
        planTitle = c.plan.title.lowercased()
        asOf = c.asOf.danishText
        rows = c.evaluations.map { EvaluationRow($0, target: nil, c) }
        missing = status.missingNotes
        hasMissing = !status.missingNotes.isEmpty
        let api = "/api/v1/kommuner/\(scope.area.slug)/plans/\(year)/reports/followup?asOf=\(c.asOf)&format="
        downloads = [("html", "Som webside (HTML)"), ("docx", "Til Word (DOCX)"), ("pdf", "Som PDF"), ("md", "Som Markdown"),
                     ("xlsx", "Tabellerne til Excel (XLSX)")].map {
            Download(href: api + $0.0, label: $0.1)
        }
        self.canFinalize = canFinalize
        final = status.final.map { Final(finalAsOf: $0.asOf ?? "", finalBy: $0.author) }
        self.problem = problem
    }
}

/// The årshjul: which targets are followed up in which month, and for whom.
struct YearwheelView: Sendable {
    struct Month: Sendable {
        let name: String
        let targets: String
        let audiences: String
    }

    let months: [Month]
    let hasMonths: Bool
    let ics: String
}
