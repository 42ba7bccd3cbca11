import AppSupport
import Evaluation
import Foundation
import HTTPTypes
import Hummingbird
import Reports
import Storage

/// What every page controller shares: the environment, the templates, the store's revision and
/// the evaluations kept while it holds, and the steps from a request to the kommune's plan.
/// Access is decided before a controller runs (`PageGate`), which also resolves the kommune.
struct PageSupport: Sendable {
    let environment: AppEnvironment
    let renderer: PageRenderer
    let clock: RevisionClock
    /// A plan's report context (its evaluation and figures) and its evaluations at the quarters,
    /// kept while the store is unchanged: the pages are views of them.
    private let contexts = RevisionCache<ReportContext>(capacity: 128)
    private let histories = RevisionCache<[(Day, [TargetEvaluation])]>(capacity: 128)

    init(environment: AppEnvironment, renderer: PageRenderer, clock: RevisionClock) {
        self.environment = environment
        self.renderer = renderer
        self.clock = clock
    }

    var plans: PlanService { PlanService(environment) }

    /// Today, in Denmark: what a page evaluates as of.
    var today: Day { environment.clock.today }

    /// The kommune the gate resolved from the path.
    func scope(_ context: ServerContext) throws -> KommuneScope {
        guard let scope = context.scope else { throw HTTPError(.notFound) }
        return scope
    }

    /// The year in the path and the current version of its plan, if there is one.
    func currentPlan(_ context: ServerContext, _ scope: KommuneScope) async throws -> (year: Int, plan: StoredPlan)? {
        guard let year = context.parameters.get("year", as: Int.self), let stored = try await plans.current(scope, year: year) else {
            return nil
        }
        return (year, stored)
    }

    /// The plan of the year in the path with its evaluation as of today, as the API's default.
    func reportContext(_ context: ServerContext, _ scope: KommuneScope) async throws -> (year: Int, context: ReportContext)? {
        guard let year = context.parameters.get("year", as: Int.self) else { return nil }
        let today = today
        do {
            return (year, try await contexts.value(for: "\(scope.code)/\(year)/\(today)", revision: try await clock.current()) {
                guard let stored = try await plans.current(scope, year: year) else { throw NoPlan() }
                return try await ReportService(environment).context(
                    kommune: scope.area, plan: stored.forYear(year), asOf: today, for: .members)
            })
        } catch is NoPlan {
            return nil
        }
    }

    private struct NoPlan: Error {}

    /// The year's follow-ups so far: the plan's targets as they stood at the end of each quarter.
    func quarters(_ c: ReportContext, year: Int) async throws -> [(Day, [TargetEvaluation])] {
        let key = "\(c.plan.kommune)/\(year)/\(c.version ?? 0)/\(c.asOf)"
        return try await histories.value(for: key, revision: try await clock.current()) {
            var made: [(Day, [TargetEvaluation])] = []
            for month in [3, 6, 9, 12] {
                let day = Day(year: year, month: month, day: month == 3 || month == 12 ? 31 : 30)
                guard day <= c.asOf else { continue }
                made.append((day, try await plans.evaluate(c.plan, asOf: day, for: .members)))
            }
            return made
        }
    }

    func missingPlan(_ context: ServerContext, _ scope: KommuneScope) -> Response {
        renderer.error(.notFound, heading: "Planen findes ikke", message: "\(scope.name) har ingen plan for det år.", page: frame(context, scope))
    }

    func frame(_ context: ServerContext, _ scope: KommuneScope, _ year: Int? = nil, current: PageFrame.NavItem? = nil) -> PageFrame {
        PageFrame(caller: context.caller, kommune: scope.area, year: year, current: current)
    }

    /// Whether the caller's role in the kommune is at least `role` (what a page offers; the gate decides).
    static func may(_ role: Account.Role, _ context: ServerContext) -> Bool {
        guard let have = context.caller.flatMap({ Access.rank[$0.account.role] }), let need = Access.rank[role] else { return false }
        return have >= need
    }

    /// Who acts, for the audit log.
    static func actor(_ context: ServerContext) -> String {
        context.caller?.account.username ?? "-"
    }

    /// A POSTed form, or `nil` if it cannot be read as `Form`.
    static func form<Form: Decodable>(_ type: Form.Type, _ request: Request, _ context: ServerContext) async throws -> Form? {
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: context.maxUploadSize))
        return try? URLEncodedFormDecoder().decode(Form.self, from: body)
    }
}

/// A controller's routes, each behind `PageGate` with its page's need (`Access.need`).
struct PageRoutes {
    typealias Handler = @Sendable (Request, ServerContext) async throws -> Response

    let router: Router<ServerContext>
    let gate: (PageID) -> PageGate

    func get(_ path: RouterPath, _ page: PageID, use handler: @escaping Handler) {
        router.group().add(middleware: gate(page)).get(path, use: handler)
    }

    func post(_ path: RouterPath, _ page: PageID, use handler: @escaping Handler) {
        router.group().add(middleware: gate(page)).post(path, use: handler)
    }
}
