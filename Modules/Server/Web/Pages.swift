import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import PlanFormat
import Reports

/// The web pages' controllers. Access is decided before these run (`PageGate`).
struct Pages: Sendable {
    let environment: AppEnvironment
    let renderer: PageRenderer
    let signIn: SignIn
    let clock: RevisionClock
    /// The most an upload on the data page may hold (`--max-import-mb`).
    let importSize: Int64
    /// How often the sources are fetched (`--fetch-every`); `nil`: not scheduled.
    let fetchInterval: Duration?
    let uploads = PendingUploads()
    /// A plan's report context (its evaluation and figures) and its evaluations at the quarters,
    /// kept while the store is unchanged: the pages are views of them.
    let contexts = RevisionCache<ReportContext>(capacity: 128)
    let histories = RevisionCache<[(Day, [TargetEvaluation])]>(capacity: 128)
    let dashboards = RevisionCache<String>(capacity: 256)

    // MARK: Signing in

    func home(_ request: Request, context: ServerContext) async throws -> Response {
        guard let caller = context.caller else { return PageRenderer.redirect("/login") }
        if let code = caller.account.kommune, let area = environment.areas[code] { return PageRenderer.redirect("/kommuner/\(area.slug)") }
        // The operator: the kommuner that have plans.
        let kommuner = Set(try await environment.store.plans().map(\.kommune))
        let areas = environment.areas.all.filter { kommuner.contains($0.code) }
        return renderer.error(
            .ok, heading: "Kommunerne", message: "Vælg en kommune: " + areas.map(\.name).joined(separator: ", ") + ". Adressen er /kommuner/navn.",
            page: PageFrame(caller: caller))
    }

    private struct LoginForm: Decodable {
        var username: String
        var password: String
        var next: String?
    }

    func loginForm(_ request: Request, context: ServerContext) async throws -> Response {
        renderer.render("login", ["next": Self.safeNext(request.uri.queryParameters["next"].map(String.init))], page: PageFrame())
    }

    func login(_ request: Request, context: ServerContext) async throws -> Response {
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: context.maxUploadSize))
        guard let form = try? URLEncodedFormDecoder().decode(LoginForm.self, from: body) else {
            return renderer.render("login", ["error": "Skriv brugernavn og adgangskode."], page: PageFrame(), status: .badRequest)
        }
        let next = Self.safeNext(form.next)
        do {
            let (_, cookie, _) = try await signIn.signIn(
                username: form.username, password: form.password, address: context.address, previous: context.caller)
            var response = PageRenderer.redirect(next)
            response.headers[.setCookie] = cookie
            return response
        } catch let problem as Problem {
            return renderer.render(
                "login", ["error": problem.detail ?? problem.title, "username": form.username, "next": next], page: PageFrame(),
                status: .init(code: problem.status))
        }
    }

    func logout(_ request: Request, context: ServerContext) async throws -> Response {
        var response = PageRenderer.redirect("/login")
        response.headers[.setCookie] = try await signIn.signOut(context.caller, address: context.address)
        return response
    }

    /// Only a path of this site: never a redirect to somewhere else.
    static func safeNext(_ next: String?) -> String {
        // Printable ASCII of a path only: a tab or a backslash could turn `/\t/host` into `//host` in a browser.
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_.~%?=&-")
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.unicodeScalars.allSatisfy(allowed.contains) else { return "/" }
        return next
    }

    // MARK: A kommune's plan

    /// The newest plan year, when the address names none.
    func latest(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let year = try await environment.store.plans().filter({ $0.kommune == area.code }).map(\.year).max() else {
            return renderer.error(.notFound, heading: "Ingen plan endnu", message: "\(area.name) har ingen plan i beskplan.", page: frame(context, area))
        }
        return PageRenderer.redirect("/kommuner/\(area.slug)/\(year)")
    }

    func dashboard(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let (year, c) = try await reportContext(context, area) else { return missingPlan(context, area) }
        let query = request.uri.queryParameters
        let goal = query["goal"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let status = query["status"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let page = frame(context, area, year, current: "overblik")
        // The same for every user of the kommune: kept, made once per store revision and filter.
        let key = "\(area.code)/\(year)/\(PlanService.today)/\(goal ?? "-")/\(status ?? "-")"
        let content = try await dashboards.value(for: key, revision: try await clock.current()) {
            var values = PageModels.dashboard(c, goal: goal, status: status)
            values["planTitle"] = c.plan.title
            values["total"] = (values["rows"] as? [Any])?.count ?? 0
            // Rendered as for nobody in particular: what is kept must not hold one user's name or token.
            return renderer.content("dashboard", values, page: PageFrame(kommune: area, year: year, current: "overblik"))
        }
        return renderer.render("dashboard", content: content, page: page)
    }

    func target(_ request: Request, context: ServerContext) async throws -> Response {
        try await targetPage(context, noteError: nil)
    }

    private struct NoteForm: Decodable {
        var status: String
        var note: String
    }

    func addNote(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let year = context.parameters.get("year", as: Int.self), let target = context.parameters.get("target"),
            let stored = try await environment.store.currentPlan(kommune: area.code, year: year),
            stored.plan.goals.contains(where: { $0.targets.contains { $0.id == target } })
        else { return renderer.error(.notFound, heading: "Målet findes ikke", message: "Planen har ikke det mål.", page: frame(context, area)) }
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: context.maxUploadSize))
        let form = try? URLEncodedFormDecoder().decode(NoteForm.self, from: body)
        let note = form?.note.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard let form, let status = EvaluationStatus(rawValue: form.status), !note.isEmpty, note.count <= 4000 else {
            return try await targetPage(context, noteError: "Skriv en note på højst 4.000 tegn, og vælg en vurdering.", status: .unprocessableContent)
        }
        try await environment.store.saveAssessment(Assessment(
            kommune: area.code, year: year, target: target, status: status, note: note, date: PlanService.today.description,
            author: context.caller?.account.username ?? "-"))
        return PageRenderer.redirect("/kommuner/\(area.slug)/\(year)/maal/\(target)#noter")
    }

    private func targetPage(_ context: ServerContext, noteError: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let area = try kommune(context)
        guard let (year, c) = try await reportContext(context, area) else { return missingPlan(context, area) }
        let id = context.parameters.get("target") ?? ""
        let history = try await quarters(c, year: year).compactMap { day, evaluations in
            evaluations.first { $0.target == id }.map { (day, $0) }
        }
        let notes = try await environment.store.assessmentHistory(kommune: area.code, year: year, target: id)
        guard var values = PageModels.target(c, id: id, history: history, notes: notes)
        else { return renderer.error(.notFound, heading: "Målet findes ikke", message: "Planen for \(year) har intet mål \(id.prefix(32)).", page: frame(context, area, year)) }
        values["canNote"] = Self.may(.updater, context)
        values["canEditData"] = Self.may(.editor, context)
        if let noteError { values["noteError"] = noteError }
        return renderer.render("target", values, page: frame(context, area, year, current: "overblik"), status: status)
    }

    // MARK: The plan

    func plan(_ request: Request, context: ServerContext) async throws -> Response {
        try await planPage(context, saved: request.uri.queryParameters["gemt"].flatMap { Int($0) })
    }

    private func planPage(
        _ context: ServerContext, saved: Int? = nil, problem: Problem? = nil, yaml: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let area = try kommune(context)
        guard let (year, stored) = try await currentPlan(context, area) else { return missingPlan(context, area) }
        var values = PageModels.plan(stored)
        values["canEdit"] = Self.may(.editor, context)
        values["yaml"] = try yaml ?? PlanFile.yaml(stored.plan)
        values["today"] = PlanService.today.description
        values["slug"] = area.slug
        if try await environment.store.currentPlan(kommune: area.code, year: year + 1) == nil { values["nextYear"] = year + 1 }
        if let saved { values["saved"] = saved }
        if let problem {
            values["problem"] = PageModels.present([
                "title": problem.title, "detail": problem.detail,
                "errors": (problem.errors ?? []).map { ["line": $0.line, "column": $0.column, "message": $0.message] },
            ])
        }
        return renderer.render("plan", values, page: frame(context, area, year, current: "plan"), status: status)
    }

    private struct PlanForm: Decodable {
        var yaml: String
        var version: Int
    }

    func savePlan(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let year = context.parameters.get("year", as: Int.self) else { return missingPlan(context, area) }
        guard let form = try await Self.form(PlanForm.self, request, context) else {
            return try await planPage(context, problem: .badRequest("Formularen manglede planen."), status: .badRequest)
        }
        // A browser sends line breaks as CRLF.
        let yaml = form.yaml.replacingOccurrences(of: "\r\n", with: "\n")
        do {
            let info = try await PlanSaving(environment: environment).save(
                yaml, area: area, year: year, expecting: form.version, author: context.caller?.account.username ?? "-")
            return PageRenderer.redirect("/kommuner/\(area.slug)/\(year)/plan?gemt=\(info.version)")
        } catch let problem as Problem {
            return try await planPage(context, problem: problem, yaml: yaml, status: .init(code: problem.status))
        }
    }

    private struct CheckForm: Decodable {
        var yaml: String
    }

    /// `POST …/plan/kontrol`: the YAML checked as a save would check it, nothing saved; the
    /// editor's script shows the answer while the user types. JSON: `{"errors": [{line, column, message}]}`.
    func checkPlan(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let year = context.parameters.get("year", as: Int.self),
            let form = try await Self.form(CheckForm.self, request, context)
        else { return Problem.badRequest("Send planens YAML som feltet yaml.").response() }
        var errors: [Problem.Located] = []
        do {
            _ = try PlanSaving(environment: environment).check(form.yaml.replacingOccurrences(of: "\r\n", with: "\n"), area: area, year: year)
        } catch let problem as Problem {
            errors = problem.errors ?? [.init(line: 1, column: 1, message: problem.detail ?? problem.title)]
        }
        struct Answer: Encodable { let errors: [Problem.Located] }
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(Answer(errors: errors)))))
    }

    private struct ApprovalForm: Decodable {
        var version: Int
        var body: String?
        var date: String?
    }

    func approvePlan(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let (year, stored) = try await currentPlan(context, area) else { return missingPlan(context, area) }
        guard let form = try await Self.form(ApprovalForm.self, request, context) else {
            return try await planPage(context, problem: .badRequest("Formularen kunne ikke læses."), status: .badRequest)
        }
        guard form.version == stored.info.version else {
            return try await planPage(
                context, problem: Problem(.preconditionFailed, "version-conflict", title: "Planen er ændret imens",
                                          detail: "Se version \(stored.info.version) igennem, før den godkendes."),
                status: .preconditionFailed)
        }
        let date = form.date.flatMap { Day(iso: $0) } ?? PlanService.today
        do {
            let info = try await PlanWorkflow(environment).approve(
                stored, body: form.body, date: date, author: context.caller?.account.username ?? "-")
            return PageRenderer.redirect("/kommuner/\(area.slug)/\(year)/plan?gemt=\(info.version)")
        } catch let refusal as PlanWorkflow.Refusal {
            return try await planPage(context, problem: Problem(.conflict, refusal.kind, title: refusal.title, detail: refusal.description), status: .conflict)
        }
    }

    func carryForward(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let year = context.parameters.get("year", as: Int.self) else { return missingPlan(context, area) }
        do {
            _ = try await PlanWorkflow(environment).carryForward(area, from: year - 1, to: year, author: context.caller?.account.username ?? "-")
        } catch let refusal as PlanWorkflow.Refusal {
            return renderer.error(.conflict, heading: refusal.title, message: refusal.description, page: frame(context, area))
        }
        return PageRenderer.redirect("/kommuner/\(area.slug)/\(year)/plan?gemt=1")
    }

    func versions(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let year = context.parameters.get("year", as: Int.self) else { return missingPlan(context, area) }
        let versions = try await environment.store.planVersions(kommune: area.code, year: year)
        guard let last = versions.last?.version else { return missingPlan(context, area) }
        let query = request.uri.queryParameters
        let to = query["til"].flatMap { Int($0) }.map { min(max($0, 1), last) } ?? last
        let from = query["fra"].flatMap { Int($0) }.map { min(max($0, 1), last) } ?? max(to - 1, 1)
        var values: [String: Any] = [
            "versions": versions.map {
                ["version": $0.version, "savedAt": $0.savedAt.prefix(16).replacingOccurrences(of: "T", with: " "), "author": $0.author,
                 "status": $0.status == .godkendt ? "godkendt" : "udkast"]
            },
            "from": versions.map { ["version": $0.version, "selected": $0.version == from] },
            "to": versions.map { ["version": $0.version, "selected": $0.version == to] },
        ]
        if from != to, let old = try await environment.store.plan(kommune: area.code, year: year, version: from),
            let new = try await environment.store.plan(kommune: area.code, year: year, version: to)
        {
            values["diff"] = ["fromVersion": from, "toVersion": to, "changes": PlanDiff.changes(from: old.plan, to: new.plan)] as [String: Any]
        }
        return renderer.render("versions", values, page: frame(context, area, year, current: "plan"))
    }

    // MARK: Follow-up, årshjul, the public page

    func followUp(_ request: Request, context: ServerContext) async throws -> Response {
        try await followUpPage(context)
    }

    private func followUpPage(_ context: ServerContext, problem: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let area = try kommune(context)
        guard let (year, c) = try await reportContext(context, area) else { return missingPlan(context, area) }
        let workflow = PlanWorkflow(environment)
        let missing = try await workflow.targetsMissingNotes(c.plan, asOf: c.asOf)
        let final = try await environment.store.events(kommune: area.code).finalFollowUp(year: year)
        let api = "/api/v1/kommuner/\(area.slug)/plans/\(year)/reports/followup?asOf=\(c.asOf)&format="
        var values: [String: Any] = [
            "planTitle": c.plan.title.lowercased(), "asOf": c.asOf.danishText,
            "rows": c.evaluations.map { PageModels.row($0, target: nil, c) },
            "missing": missing, "hasMissing": !missing.isEmpty,
            "downloads": [("html", "Som webside (HTML)"), ("docx", "Til Word (DOCX)"), ("pdf", "Som PDF"), ("md", "Som Markdown")].map {
                ["href": api + $0.0, "label": $0.1]
            },
            "canFinalize": Self.may(.editor, context) && final == nil,
        ]
        if let final { values["final"] = ["finalAsOf": final.asOf ?? "", "finalBy": final.author] }
        if let problem { values["problem"] = problem }
        return renderer.render("followup", values, page: frame(context, area, year, current: "opfoelgning"), status: status)
    }

    func finalizeFollowUp(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let (year, c) = try await reportContext(context, area) else { return missingPlan(context, area) }
        do {
            try await PlanWorkflow(environment).finalizeFollowUp(c.plan, asOf: c.asOf, author: context.caller?.account.username ?? "-")
        } catch let refusal as PlanWorkflow.Refusal {
            return try await followUpPage(context, problem: refusal.title + ". " + refusal.description, status: .unprocessableContent)
        }
        return PageRenderer.redirect("/kommuner/\(area.slug)/\(year)/opfoelgning")
    }

    func yearwheel(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let (year, stored) = try await currentPlan(context, area) else { return missingPlan(context, area) }
        let months = Yearwheel.entries(stored.plan).map { month, entries in
            [
                "name": Yearwheel.months[month - 1], "targets": entries.map(\.target).joined(separator: ", "),
                "audiences": Array(Set(entries.map(\.audience))).sorted().joined(separator: ", "),
            ]
        }
        let values: [String: Any] = [
            "months": months, "hasMonths": !months.isEmpty, "ics": "/api/v1/kommuner/\(area.slug)/plans/\(year)/aarshjul.ics",
        ]
        return renderer.render("yearwheel", values, page: frame(context, area, year, current: "aarshjul"))
    }

    /// A kommune's approved plan and its latest final follow-up, for anyone (`--public`, published).
    func publicPage(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        let infos = try await environment.store.plans().filter { $0.kommune == area.code }.map(\.year).sorted(by: >)
        var approved: StoredPlan?
        for year in infos where approved == nil {
            for info in try await environment.store.planVersions(kommune: area.code, year: year).reversed() where info.status == .godkendt {
                approved = try await environment.store.plan(kommune: area.code, year: year, version: info.version)
                break
            }
        }
        guard let approved else {
            return renderer.error(.notFound, heading: "Ingen godkendt plan", message: "\(area.name) har ingen godkendt plan at vise.", page: PageFrame(kommune: area))
        }
        var values = PageModels.plan(approved)
        values["approvedBy"] = approved.plan.approvals.last { $0.date != nil }.map { "\($0.body) \($0.date ?? "")" }
        if let final = try await environment.store.events(kommune: area.code).finalFollowUp(year: approved.info.year),
            let asOf = final.asOf.flatMap({ Day(iso: $0) })
        {
            let c = try await ReportService(environment).context(kommune: area, plan: approved, asOf: asOf)
            values["followup"] = ["asOf": asOf.danishText, "rows": c.evaluations.map { PageModels.row($0, target: nil, c) }] as [String: Any]
        }
        return renderer.render("public", values, page: PageFrame(caller: context.caller, kommune: area))
    }

    // MARK: Compare

    /// A measure across all kommuner at the kommune's latest period, ranked fairly (a count per
    /// 1,000 inhabitants 16–66 unless `?visning=antal`), with its rank; Y30R21's own rank beside.
    func compare(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let (year, c) = try await reportContext(context, area) else { return missingPlan(context, area) }
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
        guard let definition = environment.measures[chosen] else { return missingPlan(context, area) }
        var dimensions = c.evaluations.compactMap(\.figures.first).first { $0.measure == chosen }?.dimensions ?? [:]
        if chosen.hasPrefix("benchmark."), dimensions.isEmpty { dimensions = ["ydelse": "i_alt"] }
        let unit = definition.unit
        var values: [String: Any] = [
            "measureName": definition.name,
            "measures": ids.map { ["id": $0, "name": environment.measures[$0]?.name ?? $0, "selected": $0 == chosen] },
            "hasRows": false, "measureID": chosen,
        ]
        if let ranking = try await Comparison.load(
            environment, measure: definition, dimensions: dimensions, kommune: area.code, asOf: c.asOf, perInhabitant: perInhabitant)
        {
            let period = ranking.period
            let shown = { (v: Double) in ranking.basis == .asPublished ? PageModels.format(v, unit) : DanishNumber.format(v, decimals: 1) }
            values["hasRows"] = !ranking.rows.isEmpty
            values["period"] = period.danishLabel
            values["rank"] = ranking.rows.first { $0.area == area.code }.map { "nr. \($0.rank)" } ?? "ikke rangeret (intet befolkningstal)"
            values["count"] = ranking.rows.count
            values["kommune"] = area.name
            values["basis"] = ranking.basis.label
            values["order"] = ranking.lowerIsBetter ? "laveste tal først" : "højeste tal først"
            values["perInhabitant"] = ranking.basis != .asPublished
            values["canDivide"] = [.fuldtidspersoner, .helaarspersoner, .antal].contains(unit)
            values["regionName"] = c.region?.name ?? ""
            values["region"] = c.region.flatMap { ranking.published[$0.code] }.map { PageModels.format($0, unit) }
            values["country"] = ranking.published[c.country.code].map { PageModels.format($0, unit) }
            values["rows"] = ranking.rows.map { row in
                ["rank": row.rank, "name": environment.areas[row.area]?.name ?? row.area.rawValue,
                 "value": shown(row.value), "published": PageModels.format(row.published, unit), "self": row.area == area.code]
            }
            if let place = ranking.benchmarkPlace {
                values["benchmarkRank"] = "I ministeriets benchmark (Jobindsats Y30R21) er \(area.name) nr. \(DanishNumber.format(place)) af 98 for \(period.danishLabel)."
            }
        }
        return renderer.render("compare", values, page: frame(context, area, year, current: "sammenlign"))
    }

    // MARK: Helpers

    /// Whether the caller's role in the kommune is at least `role` (what a page offers; the gate decides).
    static func may(_ role: Account.Role, _ context: ServerContext) -> Bool {
        guard let have = context.caller.flatMap({ Access.rank[$0.account.role] }), let need = Access.rank[role] else { return false }
        return have >= need
    }

    /// A POSTed form, or `nil` if it cannot be read as `Form`.
    static func form<Form: Decodable>(_ type: Form.Type, _ request: Request, _ context: ServerContext) async throws -> Form? {
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: context.maxUploadSize))
        return try? URLEncodedFormDecoder().decode(Form.self, from: body)
    }

    func kommune(_ context: ServerContext) throws -> Area {
        try environment.kommune(context.parameters.get("kommune") ?? "")
    }

    /// The plan of the year in the path with its evaluation as of today, as the API's default.
    private func reportContext(_ context: ServerContext, _ area: Area) async throws -> (Int, ReportContext)? {
        guard let year = context.parameters.get("year", as: Int.self) else { return nil }
        let today = PlanService.today
        let key = "\(area.code)/\(year)/\(today)"
        do {
            return (year, try await contexts.value(for: key, revision: try await clock.current()) {
                guard let stored = try await environment.store.currentPlan(kommune: area.code, year: year) else { throw NoPlan() }
                return try await ReportService(environment).context(kommune: area, plan: stored, asOf: today)
            })
        } catch is NoPlan {
            return nil
        }
    }

    private struct NoPlan: Error {}

    /// The year's follow-ups so far: the plan's targets as they stood at the end of each quarter.
    private func quarters(_ c: ReportContext, year: Int) async throws -> [(Day, [TargetEvaluation])] {
        let key = "\(c.plan.kommune)/\(year)/\(c.version ?? 0)/\(c.asOf)"
        return try await histories.value(for: key, revision: try await clock.current()) {
            let plans = PlanService(environment)
            var made: [(Day, [TargetEvaluation])] = []
            for month in [3, 6, 9, 12] {
                let day = Day(year: year, month: month, day: month == 3 || month == 12 ? 31 : 30)
                guard day <= c.asOf else { continue }
                made.append((day, try await plans.evaluate(c.plan, asOf: day)))
            }
            return made
        }
    }

    /// The year in the path and the current version of its plan, if there is one.
    func currentPlan(_ context: ServerContext, _ area: Area) async throws -> (year: Int, plan: StoredPlan)? {
        guard let year = context.parameters.get("year", as: Int.self),
            let stored = try await environment.store.currentPlan(kommune: area.code, year: year)
        else { return nil }
        return (year, stored)
    }

    func missingPlan(_ context: ServerContext, _ area: Area) -> Response {
        renderer.error(.notFound, heading: "Planen findes ikke", message: "\(area.name) har ingen plan for det år.", page: frame(context, area))
    }

    func frame(_ context: ServerContext, _ area: Area, _ year: Int? = nil, current: String = "") -> PageFrame {
        PageFrame(caller: context.caller, kommune: area, year: year, current: current)
    }
}
