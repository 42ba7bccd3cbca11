import AppSupport
import Evaluation
import Foundation
import HTTPTypes
import Hummingbird
import PlanFormat
import Reports
import Storage

/// The plan: read, edited as YAML (checked while typing), saved as a new version, compared
/// across versions, approved and carried into the next year — each through `PlanService` and
/// `PlanWorkflow`, by the same rules as the API and the CLI.
struct PlanController: Sendable {
    let pages: PageSupport

    func addRoutes(to routes: PageRoutes) {
        routes.get("/kommuner/{kommune}/{year}/plan", .plan, use: plan)
        routes.post("/kommuner/{kommune}/{year}/plan", .savePlan, use: savePlan)
        routes.post("/kommuner/{kommune}/{year}/plan/kontrol", .checkPlan, use: checkPlan)
        routes.post("/kommuner/{kommune}/{year}/plan/tekst", .savePlan, use: saveText)
        routes.get("/kommuner/{kommune}/{year}/plan/felter", .planFields, use: planFields)
        routes.post("/kommuner/{kommune}/{year}/plan/felter", .savePlanFields, use: savePlanFields)
        routes.get("/kommuner/{kommune}/{year}/plan/versioner", .versions, use: versions)
        routes.post("/kommuner/{kommune}/{year}/plan/godkend", .approvePlan, use: approvePlan)
        routes.post("/kommuner/{kommune}/{year}/plan/videreforer", .carryForward, use: carryForward)
    }

    @Sendable func plan(_ request: Request, context: ServerContext) async throws -> Response {
        try await planPage(
            context, saved: request.uri.queryParameters["gemt"].flatMap { Int($0) },
            carriedFrom: request.uri.queryParameters["viderefoert"].flatMap { Int($0) })
    }

    private func planPage(
        _ context: ServerContext, saved: Int? = nil, carriedFrom: Int? = nil, problem: Problem? = nil, yaml: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, stored) = try await pages.currentPlan(context, scope) else { return pages.missingPlan(context, scope) }
        let forced = try await forcedChanges(scope, from: carriedFrom, to: year)
        let drafts = stored.plan.status == .udkast ? try await textDrafts(context, scope, plan: stored.plan) : []
        let editor = PlanEditorView(
            canEdit: PageSupport.may(.editor, context), yaml: try yaml ?? PlanFile.yaml(stored.plan), today: pages.today.description,
            slug: scope.area.slug, nextYear: try await pages.plans.current(scope, year: year + 1) == nil ? year + 1 : nil, saved: saved,
            forcedChanges: forced, hasForcedChanges: !forced.isEmpty, drafts: drafts, hasDrafts: !drafts.isEmpty,
            problem: problem.map { ProblemView($0) })
        return pages.renderer.render(
            "plan", editor, PlanView(stored, environment: pages.environment), page: pages.frame(context, scope, year, current: .plan),
            status: status)
    }

    private struct PlanForm: Decodable {
        var yaml: String
        var version: Int
    }

    @Sendable func savePlan(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let year = context.parameters.get("year", as: Int.self) else { return pages.missingPlan(context, scope) }
        guard let form = try await PageSupport.form(PlanForm.self, request, context) else {
            return try await planPage(context, problem: .badRequest("Formularen manglede planen."), status: .badRequest)
        }
        // A browser sends line breaks as CRLF.
        let yaml = form.yaml.replacingOccurrences(of: "\r\n", with: "\n")
        do {
            let info = try await pages.plans.save(yaml, scope: scope, year: year, expecting: form.version, author: PageSupport.actor(context))
            return PageRenderer.redirect("/kommuner/\(scope.area.slug)/\(year)/plan?gemt=\(info.version)")
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            return try await planPage(context, problem: problem, yaml: yaml, status: .init(code: problem.status))
        }
    }

    private struct CheckForm: Decodable {
        var yaml: String
    }

    /// `POST …/plan/kontrol`: the YAML checked as a save would check it, nothing saved; the
    /// editor's script shows the answer while the user types. JSON: `{"errors": [{line, column, message}]}`.
    @Sendable func checkPlan(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let year = context.parameters.get("year", as: Int.self),
            let form = try await PageSupport.form(CheckForm.self, request, context)
        else { return Problem.badRequest("Send planens YAML som feltet yaml.").response() }
        var errors: [Problem.Located] = []
        do {
            _ = try pages.plans.check(form.yaml.replacingOccurrences(of: "\r\n", with: "\n"), scope: scope, year: year)
        } catch let found as PlanErrors {
            errors = found.errors.map { .init(line: $0.line, column: $0.column, message: $0.message) }
        }
        struct Answer: Encodable { let errors: [Problem.Located] }
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(Answer(errors: errors)))))
    }

    @Sendable func versions(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let year = context.parameters.get("year", as: Int.self) else { return pages.missingPlan(context, scope) }
        let versions: [PlanVersionInfo]
        do {
            versions = try await pages.plans.versions(scope, year: year)
        } catch is PlanNotFound {
            return pages.missingPlan(context, scope)
        }
        let last = versions.last?.version ?? 1
        let query = request.uri.queryParameters
        let to = query["til"].flatMap { Int($0) }.map { min(max($0, 1), last) } ?? last
        let from = query["fra"].flatMap { Int($0) }.map { min(max($0, 1), last) } ?? max(to - 1, 1)
        var diff: VersionsView.Diff?
        if from != to, let old = try await pages.plans.version(scope, year: year, version: from),
            let new = try await pages.plans.version(scope, year: year, version: to)
        {
            let environment = pages.environment
            let region = scope.area.region.flatMap { environment.areas[$0] }
            let ruleKinds = Dictionary(environment.registry.ruleKinds.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
            diff = .init(
                fromVersion: from, toVersion: to,
                changes: PlanDiff.changes(from: old.plan, to: new.plan) {
                    RuleDescription.danish($0, measures: environment.measures, region: region, ruleKinds: ruleKinds)
                })
        }
        let view = VersionsView(versions: versions, from: from, to: to, diff: diff)
        return pages.renderer.render("versions", view, page: pages.frame(context, scope, year, current: .plan))
    }

    private struct ApprovalForm: Decodable {
        var version: Int
        var body: String?
        var date: String?
    }

    @Sendable func approvePlan(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, stored) = try await pages.currentPlan(context, scope) else { return pages.missingPlan(context, scope) }
        guard let form = try await PageSupport.form(ApprovalForm.self, request, context) else {
            return try await planPage(context, problem: .badRequest("Formularen kunne ikke læses."), status: .badRequest)
        }
        do {
            let date = try form.date.flatMap { $0.isEmpty ? nil : $0 }.map { try DateInput.day($0) } ?? pages.today
            let info = try await PlanWorkflow(pages.environment).approve(
                stored, body: form.body, date: date, expecting: form.version, author: PageSupport.actor(context))
            return PageRenderer.redirect("/kommuner/\(scope.area.slug)/\(year)/plan?gemt=\(info.version)")
        } catch let refusal as Refusal {
            let problem = Problem(refusal)
            return try await planPage(context, problem: problem, status: .init(code: problem.status))
        }
    }

    @Sendable func carryForward(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let year = context.parameters.get("year", as: Int.self) else { return pages.missingPlan(context, scope) }
        do {
            _ = try await PlanWorkflow(pages.environment).carryForward(scope, from: year - 1, to: year, author: PageSupport.actor(context))
        } catch let refusal as Refusal {
            return pages.renderer.error(.conflict, heading: refusal.title, message: refusal.detail, page: pages.frame(context, scope))
        }
        return PageRenderer.redirect("/kommuner/\(scope.area.slug)/\(year)/plan?gemt=1&viderefoert=\(year - 1)")
    }

    /// The sentences drafted from the figures for the year's report, each with the plan's own text
    /// where it has kept one.
    private func textDrafts(_ context: ServerContext, _ scope: KommuneScope, plan: Plan) async throws -> [PlanEditorView.Draft] {
        guard let (_, report) = try await pages.reportContext(context, scope) else { return [] }
        return FigureText.drafts(report).map { draft in
            let own = plan.sections.first { $0.id == draft.id }
            return .init(id: draft.id, title: draft.title, text: own?.text ?? draft.text, accepted: own != nil)
        }
    }

    private struct TextForm: Decodable {
        var version: Int
        var id: String
        var text: String
    }

    /// `POST …/plan/tekst`: a drafted sentence, as accepted or rewritten, kept in the plan as the
    /// section it was drafted for: a new version, by the save's rules.
    @Sendable func saveText(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, stored) = try await pages.currentPlan(context, scope) else { return pages.missingPlan(context, scope) }
        guard let form = try await PageSupport.form(TextForm.self, request, context),
            let draft = try await textDrafts(context, scope, plan: stored.plan).first(where: { $0.id == form.id })
        else {
            return try await planPage(context, problem: .badRequest("Formularen manglede teksten eller dens afsnit."), status: .badRequest)
        }
        let text = form.text.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 4000 else {
            return try await planPage(context, problem: .badRequest("Skriv en tekst på højst 4.000 tegn."), status: .badRequest)
        }
        var plan = stored.plan
        plan.sections.removeAll { $0.id == draft.id }
        plan.sections.append(Section(id: draft.id, title: draft.title, text: text))
        do {
            let info = try await pages.plans.save(plan, expecting: form.version, author: PageSupport.actor(context))
            return PageRenderer.redirect("/kommuner/\(scope.area.slug)/\(year)/plan?gemt=\(info.version)")
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            return try await planPage(context, problem: problem, status: .init(code: problem.status))
        }
    }

    /// What the rules forced when the plan was carried from `from`: the same list the carry made,
    /// made again from the stored plan of that year.
    private func forcedChanges(_ scope: KommuneScope, from: Int?, to year: Int) async throws -> [String] {
        guard let from, from < year, let previous = try await pages.plans.current(scope, year: from) else { return [] }
        return PlanCarryForward.carry(from: previous.plan, year: from, to: year, ministermaal: pages.environment.ministermaal)
            .changes.map(\.description)
    }
}

/// The plan page beyond the plan itself: the YAML editor, and what the last step said.
struct PlanEditorView: Sendable {
    let canEdit: Bool
    let yaml: String
    let today: String
    let slug: String
    let nextYear: Int?
    let saved: Int?
    /// What the new year's rules forced when the plan was just carried forward.
    let forcedChanges: [String]
    let hasForcedChanges: Bool

    /// A sentence drafted from the figures, or the plan's own text for it.
    struct Draft: Sendable {
        let id: String
        let title: String
        let text: String
        let accepted: Bool
    }

    let drafts: [Draft]
    let hasDrafts: Bool
    let problem: ProblemView?
}

/// A plan's versions, and what changed between two of them.
struct VersionsView: Sendable {
    struct Version: Sendable {
        let version: Int
        let savedAt: String
        let author: String
        let status: String
    }

    struct Choice: Sendable {
        let version: Int
        let selected: Bool
    }

    struct Diff: Sendable {
        let fromVersion: Int
        let toVersion: Int
        let changes: [String]
    }

    let versions: [Version]
    let from: [Choice]
    let to: [Choice]
    let diff: Diff?

    init(versions: [PlanVersionInfo], from: Int, to: Int, diff: Diff?) {
        self.versions = versions.map {
            Version(
                version: $0.version, savedAt: $0.savedAt.prefix(16).replacingOccurrences(of: "T", with: " "), author: $0.author,
                status: $0.status == .godkendt ? "godkendt" : "udkast")
        }
        self.from = versions.map { Choice(version: $0.version, selected: $0.version == from) }
        self.to = versions.map { Choice(version: $0.version, selected: $0.version == to) }
        self.diff = diff
    }
}
