import AppSupport
import Hummingbird
import Reports
import Storage

/// A kommune's approved plan and its latest final follow-up, for anyone — where the installation
/// serves public pages (`--public`) and the kommune publishes.
struct PublicController: Sendable {
    let pages: PageSupport

    func addRoutes(to routes: PageRoutes) {
        routes.get("/offentlig/{kommune}", .publicPage, use: publicPage)
    }

    @Sendable func publicPage(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        var approved: StoredPlan?
        for year in try await pages.plans.list(scope).map(\.year).sorted(by: >) where approved == nil {
            approved = try await pages.plans.latestApproved(scope, year: year)
        }
        guard let approved else {
            return pages.renderer.error(
                .notFound, heading: "Ingen godkendt plan", message: "\(scope.name) har ingen godkendt plan at vise.",
                page: PageFrame(kommune: scope.area))
        }
        var followUp: PublicView.FollowUp?
        if let final = try await PublicationService(pages.environment).finalFollowUp(scope, year: approved.info.year),
            let asOf = final.asOf.flatMap({ Day(iso: $0) })
        {
            let c = try await ReportService(pages.environment).context(kommune: scope.area, plan: approved, asOf: asOf, for: .public)
            followUp = .init(asOf: asOf.danishText, rows: c.evaluations.map { EvaluationRow($0, target: nil, c) })
        }
        let view = PublicView(
            approvedBy: approved.plan.approvals.last { $0.date != nil }.map { "\($0.body) \($0.date ?? "")" }, followup: followUp)
        return pages.renderer.render(
            "public", view, PlanView(approved, environment: pages.environment), page: PageFrame(caller: context.caller, kommune: scope.area))
    }
}

/// The public page beyond the plan: who approved it, and its latest final follow-up.
struct PublicView: Sendable {
    struct FollowUp: Sendable {
        let asOf: String
        let rows: [EvaluationRow]
    }

    let approvedBy: String?
    let followup: FollowUp?
}
