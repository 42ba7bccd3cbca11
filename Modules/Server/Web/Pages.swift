import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import Reports

/// The web pages' controllers. Access is decided before these run (`PageGate`).
struct Pages: Sendable {
    let environment: AppEnvironment
    let renderer: PageRenderer
    let signIn: SignIn

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
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
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
        var values = PageModels.dashboard(c, goal: goal, status: status)
        values["planTitle"] = c.plan.title
        values["total"] = (values["rows"] as? [Any])?.count ?? 0
        return renderer.render("dashboard", values, page: frame(context, area, year, current: "overblik"))
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
        // The year's follow-ups so far: the target as it stood at the end of each quarter.
        let plans = PlanService(environment)
        var history: [(Day, TargetEvaluation)] = []
        for month in [3, 6, 9, 12] {
            let day = Day(year: year, month: month, day: month == 3 || month == 12 ? 31 : 30)
            guard day <= c.asOf, let e = try await plans.evaluate(c.plan, asOf: day).first(where: { $0.target == id }) else { continue }
            history.append((day, e))
        }
        let assessments = try await environment.store.assessments(kommune: area.code, year: year)
        guard var values = PageModels.target(c, id: id, history: history, assessments: assessments)
        else { return renderer.error(.notFound, heading: "Målet findes ikke", message: "Planen for \(year) har intet mål \(id.prefix(32)).", page: frame(context, area, year)) }
        let role = context.caller?.account.role
        values["canNote"] = role.flatMap { Access.rank[$0] }.map { $0 >= Access.rank[.updater]! } ?? false
        if let noteError { values["noteError"] = noteError }
        return renderer.render("target", values, page: frame(context, area, year, current: "overblik"), status: status)
    }

    // MARK: Helpers

    private func kommune(_ context: ServerContext) throws -> Area {
        try environment.kommune(context.parameters.get("kommune") ?? "")
    }

    /// The plan of the year in the path with its evaluation as of today, as the API's default.
    private func reportContext(_ context: ServerContext, _ area: Area) async throws -> (Int, ReportContext)? {
        guard let year = context.parameters.get("year", as: Int.self),
            let stored = try await environment.store.currentPlan(kommune: area.code, year: year)
        else { return nil }
        return (year, try await ReportService(environment).context(kommune: area, plan: stored, asOf: PlanService.today))
    }

    private func missingPlan(_ context: ServerContext, _ area: Area) -> Response {
        renderer.error(.notFound, heading: "Planen findes ikke", message: "\(area.name) har ingen plan for det år.", page: frame(context, area))
    }

    private func frame(_ context: ServerContext, _ area: Area, _ year: Int? = nil, current: String = "") -> PageFrame {
        PageFrame(caller: context.caller, kommune: area, year: year, current: current)
    }
}
