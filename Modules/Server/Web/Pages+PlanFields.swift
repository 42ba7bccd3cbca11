import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import PlanFormat

/// The plan's common fields in a form — titles, texts, actions, a target's value — beside the
/// YAML editor: for editors who would rather not write YAML. A save is a new version, as a YAML save is.
extension Pages {
    func planFields(_ request: Request, context: ServerContext) async throws -> Response {
        try await planFieldsPage(context, unchanged: request.uri.queryParameters["uaendret"] != nil)
    }

    func savePlanFields(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let (year, stored) = try await currentPlan(context, area) else { return missingPlan(context, area) }
        var request = request
        let form = Self.fields(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        guard let version = form["version"].flatMap(Int.init) else {
            return try await planFieldsPage(context, problem: .badRequest("Formularen manglede planens version."), status: .badRequest)
        }
        do {
            let changed = try PlanFields.apply(form, to: stored.plan)
            guard changed != stored.plan else {
                return PageRenderer.redirect("/kommuner/\(area.slug)/\(year)/plan/felter?uaendret=1")
            }
            let info = try await PlanSaving(environment: environment).save(
                try PlanFile.yaml(changed), area: area, year: year, expecting: version, author: context.caller?.account.username ?? "-")
            return PageRenderer.redirect("/kommuner/\(area.slug)/\(year)/plan?gemt=\(info.version)")
        } catch let errors as PlanErrors {
            var problem = Problem(.unprocessableContent, "invalid-plan", title: "Planen kan ikke gemmes")
            problem.errors = errors.errors.map { .init(line: $0.line, column: $0.column, message: $0.message) }
            return try await planFieldsPage(context, problem: problem, form: form, status: .unprocessableContent)
        } catch let problem as Problem {
            return try await planFieldsPage(context, problem: problem, form: form, status: .init(code: problem.status))
        }
    }

    /// The form, filled from the current version, or from what was sent when it could not be saved.
    private func planFieldsPage(
        _ context: ServerContext, problem: Problem? = nil, form: [String: String] = [:], unchanged: Bool = false,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let area = try kommune(context)
        guard let (year, stored) = try await currentPlan(context, area) else { return missingPlan(context, area) }
        let plan = stored.plan
        func field(_ name: String, _ label: String, _ value: String?, rows: Int = 0) -> [String: Any] {
            ["name": name, "id": name.replacingOccurrences(of: ":", with: "-").replacingOccurrences(of: ".", with: "_"),
             "label": label, "value": form[name] ?? value ?? "", "rows": rows, "multiline": rows > 0]
        }
        var values: [String: Any] = [
            "planTitle": plan.title, "version": stored.info.version, "frozen": stored.info.status == .godkendt,
            "titleField": field("plan::title", "Planens titel", plan.title),
            "sections": plan.sections.map { s in
                ["heading": s.title, "fields": [field("section:\(s.id):title", "Overskrift", s.title), field("section:\(s.id):text", "Tekst", s.text, rows: 6)]]
            },
            "goals": plan.goals.map { g in
                [
                    "heading": "\(g.id). \(g.title)",
                    "fields": [
                        field("goal:\(g.id):title", "Titel", g.title), field("goal:\(g.id):text", "Tekst", g.text, rows: 4),
                        field("goal:\(g.id):actions", "Indsatser (én pr. linje)", g.actions.joined(separator: "\n"), rows: 4),
                    ],
                    "targets": g.targets.map { t in
                        var fields = [
                            field("target:\(t.id):follows", "Hvad følges der op på?", t.follows),
                            field("target:\(t.id):measures", "Hvad måles der på?", t.measures),
                        ]
                        if let (label, number) = t.rule.editableNumber {
                            fields.append(field("target:\(t.id):value", label, number.map(Self.exact)))
                        }
                        return ["heading": "Mål \(t.id)", "fields": fields] as [String: Any]
                    },
                ] as [String: Any]
            },
        ]
        if unchanged { values["unchanged"] = true }
        if let problem {
            values["problem"] = PageModels.present([
                "title": problem.title, "detail": problem.detail,
                "errors": (problem.errors ?? []).map { ["where": $0.line > 0 ? "Linje \($0.line), kolonne \($0.column): " : "", "message": $0.message] },
            ])
        }
        return renderer.render("planfields", values, page: frame(context, area, year, current: "plan"), status: status)
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
