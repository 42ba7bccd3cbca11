import AppSupport
import Hummingbird
import Reports

/// A kommune's overview: every target of the year's plan with its status and latest figures.
struct DashboardController: Sendable {
    let pages: PageSupport
    /// The same for every user of the kommune: kept, made once per store revision and filter.
    private let dashboards = RevisionCache<String>(capacity: 256)

    init(pages: PageSupport) { self.pages = pages }

    func addRoutes(to routes: PageRoutes) {
        routes.get("/kommuner/{kommune}", .dashboard, use: latest)
        routes.get("/kommuner/{kommune}/{year}", .dashboard, use: dashboard)
    }

    /// The newest plan year, when the address names none.
    @Sendable func latest(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let year = try await pages.plans.list(scope).map(\.year).max() else {
            return pages.renderer.error(
                .notFound, heading: "Ingen plan endnu", message: "\(scope.name) har ingen plan i beskplan.", page: pages.frame(context, scope))
        }
        return PageRenderer.redirect("/kommuner/\(scope.area.slug)/\(year)")
    }

    @Sendable func dashboard(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, c) = try await pages.reportContext(context, scope) else { return pages.missingPlan(context, scope) }
        let query = request.uri.queryParameters
        let goal = query["goal"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let status = query["status"].map(String.init).flatMap { EvaluationStatus(rawValue: $0) }
        let key = "\(scope.code)/\(year)/\(pages.today)/\(goal ?? "-")/\(status?.rawValue ?? "-")"
        let content = try await dashboards.value(for: key, revision: try await pages.clock.current()) {
            // Rendered as for nobody in particular: what is kept must not hold one user's name or token.
            pages.renderer.content(
                "dashboard", DashboardView(c, goal: goal, status: status), page: PageFrame(kommune: scope.area, year: year, current: .overblik))
        }
        return pages.renderer.render("dashboard", content: content, page: pages.frame(context, scope, year, current: .overblik))
    }
}

/// The dashboard: counts by status, then every target with its latest figures.
struct DashboardView: Sendable {
    struct Count: Sendable {
        let count: Int
        let status: StatusView
        let value: String
        let selected: Bool
    }

    struct Goal: Sendable {
        let id: String
        let title: String
        let selected: Bool
    }

    let planTitle: String
    let counts: [Count]
    let goals: [Goal]
    let rows: [EvaluationRow]
    let total: Int
    let empty: Bool
    let filtered: Bool
    let asOf: String
    let regionName: String

    init(_ c: ReportContext, goal: String?, status: EvaluationStatus?) {
        let targets = c.plan.goals.flatMap { g in g.targets.map { ($0, g) } }
        let byID = Dictionary(targets.map { ($0.0.id, $0) }, uniquingKeysWith: { a, _ in a })
        rows = c.evaluations.compactMap { e in
            guard goal == nil || byID[e.target]?.1.id == goal, status == nil || e.status == status else { return nil }
            return EvaluationRow(e, target: byID[e.target]?.0, c)
        }
        let counted = Dictionary(grouping: c.evaluations, by: \.status).mapValues(\.count)
        counts = EvaluationStatus.allCases.compactMap { s in
            counted[s].map { Count(count: $0, status: StatusView(s), value: s.rawValue, selected: s == status) }
        }
        goals = c.plan.goals.map { Goal(id: $0.id, title: $0.title, selected: $0.id == goal) }
        planTitle = c.plan.title
        total = rows.count
        empty = rows.isEmpty
        filtered = goal != nil || status != nil
        asOf = c.asOf.danishText
        regionName = c.region.map { LabourMarket.areaName($0) } ?? "Regionen"
    }
}
