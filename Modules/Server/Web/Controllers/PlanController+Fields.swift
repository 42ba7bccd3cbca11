import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import PlanFormat
import Storage

/// The plan's common fields in a form — titles, texts, actions, a target's value — beside the
/// YAML editor: for editors who would rather not write YAML. A save is a new version, as a YAML save is.
extension PlanController {
    @Sendable func planFields(_ request: Request, context: ServerContext) async throws -> Response {
        try await planFieldsPage(context, unchanged: request.uri.queryParameters["uaendret"] != nil)
    }

    @Sendable func savePlanFields(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, stored) = try await pages.currentPlan(context, scope) else { return pages.missingPlan(context, scope) }
        var request = request
        let form = Self.fields(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        guard let version = form["version"].flatMap(Int.init) else {
            return try await planFieldsPage(context, problem: .badRequest("Formularen manglede planens version."), status: .badRequest)
        }
        do {
            let changed = try PlanFields.apply(form, to: stored.plan)
            guard changed != stored.plan else {
                return PageRenderer.redirect("/kommuner/\(scope.area.slug)/\(year)/plan/felter?uaendret=1")
            }
            let info = try await pages.plans.save(
                try PlanFile.yaml(changed), scope: scope, year: year, expecting: version, author: PageSupport.actor(context))
            return PageRenderer.redirect("/kommuner/\(scope.area.slug)/\(year)/plan?gemt=\(info.version)")
        } catch {
            guard var problem = Problem.from(error) else { throw error }
            if error is PlanErrors { problem.detail = nil }
            return try await planFieldsPage(context, problem: problem, form: form, status: .init(code: problem.status))
        }
    }

    /// The form, filled from the current version, or from what was sent when it could not be saved.
    private func planFieldsPage(
        _ context: ServerContext, problem: Problem? = nil, form: [String: String] = [:], unchanged: Bool = false,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, stored) = try await pages.currentPlan(context, scope) else { return pages.missingPlan(context, scope) }
        let view = PlanFieldsView(stored, form: form, unchanged: unchanged, problem: problem.map { ProblemView($0) })
        return pages.renderer.render("planfields", view, page: pages.frame(context, scope, year, current: .plan), status: status)
    }

    /// A number in Danish notation with every decimal it has (`4,125`), so that a form saved
    /// untouched changes nothing.
    static func exact(_ value: Double) -> String {
        var text = DanishNumber.format(value, decimals: 9)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(",") { text.removeLast() }
        return text
    }

    /// An `application/x-www-form-urlencoded` body as name → value (the names are the plan's ids).
    static func fields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let name = parts.first, !name.isEmpty else { continue }
            fields[name] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }
}

/// The plan's fields as a form: a field per title, text, list of actions and target value.
struct PlanFieldsView: Sendable {
    struct Field: Sendable {
        let name: String
        let id: String
        let label: String
        let value: String
        let rows: Int
        let multiline: Bool
    }

    struct Group: Sendable {
        let heading: String
        let fields: [Field]
        var targets: [Group] = []
    }

    let planTitle: String
    let version: Int
    let frozen: Bool
    let titleField: Field
    let sections: [Group]
    let goals: [Group]
    let unchanged: Bool
    let problem: ProblemView?

    init(_ stored: StoredPlan, form: [String: String], unchanged: Bool, problem: ProblemView?) {
        let plan = stored.plan
        func field(_ name: String, _ label: String, _ value: String?, rows: Int = 0) -> Field {
            Field(
                name: name, id: name.replacingOccurrences(of: ":", with: "-").replacingOccurrences(of: ".", with: "_"), label: label,
                value: form[name] ?? value ?? "", rows: rows, multiline: rows > 0)
        }
        planTitle = plan.title
        version = stored.info.version
        frozen = stored.info.status == .godkendt
        titleField = field("plan::title", "Planens titel", plan.title)
        sections = plan.sections.map { s in
            Group(heading: s.title, fields: [field("section:\(s.id):title", "Overskrift", s.title), field("section:\(s.id):text", "Tekst", s.text, rows: 6)])
        }
        goals = plan.goals.map { g in
            Group(
                heading: "\(g.id). \(g.title)",
                fields: [
                    field("goal:\(g.id):title", "Titel", g.title), field("goal:\(g.id):text", "Tekst", g.text, rows: 4),
                    field("goal:\(g.id):actions", "Indsatser (én pr. linje)", g.actions.joined(separator: "\n"), rows: 4),
                ],
                targets: g.targets.map { t in
                    var fields = [
                        field("target:\(t.key):follows", "Hvad følges der op på?", t.follows),
                        field("target:\(t.key):measures", "Hvad måles der på?", t.measures),
                    ]
                    if let (label, number) = t.rule.editableNumber {
                        fields.append(field("target:\(t.key):value", label, number.map(PlanController.exact)))
                    }
                    return Group(heading: "Mål \(t.id)" + (t.year.map { " (\($0))" } ?? ""), fields: fields)
                })
        }
        self.unchanged = unchanged
        self.problem = problem
    }
}
