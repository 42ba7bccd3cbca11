import AppSupport
import Foundation
import HTTPTypes
import OpenAPIRuntime
import PlanFormat
import Reports

/// The operations of `openapi.yaml`. Access is decided before these run (`Access.Gate`); a
/// handler reads the caller from `RequestScope` only to act as them.
struct API: APIProtocol {
    let environment: AppEnvironment
    let accounts: AccountService
    let sessions: SessionPolicy
    let limits: ServerConfiguration.Limits
    var signIn: SignIn { SignIn(store: environment.store, accounts: accounts, sessions: sessions) }

    var caller: Caller? { RequestScope.context?.caller }
    private var address: String { RequestScope.context?.address ?? "-" }

    // MARK: Session

    /// Signing in (`SignIn`): the cookie is set, the CSRF token returned.
    func createSession(_ input: Operations.CreateSession.Input) async throws -> Operations.CreateSession.Output {
        guard case .json(let credentials) = input.body else { throw Problem.badRequest("Send brugernavn og adgangskode som JSON.") }
        let (account, cookie, csrf) = try await signIn.signIn(
            username: credentials.username, password: credentials.password, address: address, previous: caller)
        setCookie(cookie)
        return .created(.init(body: .json(Self.session(account, csrf: csrf))))
    }

    func getSession(_ input: Operations.GetSession.Input) async throws -> Operations.GetSession.Output {
        guard let caller else { throw Problem.unauthenticated() }
        var csrf: String?
        if case .session(_, let token) = caller.proof { csrf = token }
        return .ok(.init(body: .json(Self.session(caller.account, csrf: csrf))))
    }

    func deleteSession(_ input: Operations.DeleteSession.Input) async throws -> Operations.DeleteSession.Output {
        setCookie(try await signIn.signOut(caller, address: address))
        return .noContent(.init())
    }

    private func setCookie(_ value: String) {
        addHeader(.setCookie, value)
    }

    func addHeader(_ name: HTTPField.Name, _ value: String) {
        RequestScope.context?.responseHeaders.withLockedValue { $0.append(HTTPField(name: name, value: value)) }
    }

    private static func session(_ account: Account, csrf: String?) -> Components.Schemas.Session {
        Components.Schemas.Session(
            username: account.username, role: .init(rawValue: account.role.rawValue) ?? .viewer,
            kommune: account.kommune?.rawValue, csrfToken: csrf)
    }

    // MARK: Reference data

    func listAreas(_ input: Operations.ListAreas.Input) async throws -> Operations.ListAreas.Output {
        .ok(.init(body: .json(environment.areas.all.map {
            Components.Schemas.Area(
                code: $0.code.rawValue, name: $0.name, kind: .init(rawValue: $0.kind.rawValue) ?? .kommune, region: $0.region?.rawValue)
        })))
    }

    func listMeasures(_ input: Operations.ListMeasures.Input) async throws -> Operations.ListMeasures.Output {
        .ok(.init(body: .json(environment.measures.all.map {
            Components.Schemas.Measure(id: $0.id, name: $0.name, unit: $0.unit.rawValue, dimensions: $0.dimensions)
        })))
    }

    // MARK: Plans

    func listPlans(_ input: Operations.ListPlans.Input) async throws -> Operations.ListPlans.Output {
        let kommune = try environment.kommune(input.path.kommune)
        let plans = try await environment.store.plans().filter { $0.kommune == kommune.code }
        return .ok(.init(body: .json(plans.map(Self.version))))
    }

    func getPlan(_ input: Operations.GetPlan.Input) async throws -> Operations.GetPlan.Output {
        let stored = try await visiblePlan(input.path.kommune, input.path.year)
        let yaml = try PlanFile.yaml(stored.plan)
        let wantsYAML = input.headers.accept.sortedByQuality().first?.contentType == .yaml
        return .ok(.init(body: wantsYAML ? .yaml(HTTPBody(yaml)) : .json(.init(version: Self.version(stored.info), yaml: yaml))))
    }

    func getEvaluation(_ input: Operations.GetEvaluation.Input) async throws -> Operations.GetEvaluation.Output {
        let asOf = try input.query.asOf.map { try Self.day($0, "asOf") } ?? PlanService.today
        // Kept by `CachedReads`, encoded, while the store is unchanged.
        let stored = try await visiblePlan(input.path.kommune, input.path.year)
        let results = try await PlanService(environment).evaluate(stored.plan, asOf: asOf)
        let evaluation = Components.Schemas.Evaluation(
            kommune: stored.info.kommune.rawValue, year: stored.info.year, version: stored.info.version, asOf: asOf.description,
            targets: results.map {
                .init(
                    goal: $0.goal, target: $0.target, follows: $0.follows, status: $0.status.rawValue, statusText: $0.status.label,
                    value: $0.value, benchmark: $0.benchmark, explanation: $0.explanation, missing: $0.missing)
            })
        return .ok(.init(body: .json(evaluation)))
    }

    func listPlanVersions(_ input: Operations.ListPlanVersions.Input) async throws -> Operations.ListPlanVersions.Output {
        let area = try environment.kommune(input.path.kommune)
        let versions = try await environment.store.planVersions(kommune: area.code, year: input.path.year)
        guard !versions.isEmpty else { throw Problem.notFound("\(area.name) har ingen plan for \(input.path.year).") }
        return .ok(.init(body: .json(versions.map(Self.version))))
    }

    func diffPlan(_ input: Operations.DiffPlan.Input) async throws -> Operations.DiffPlan.Output {
        let area = try environment.kommune(input.path.kommune)
        let year = input.path.year
        let store = environment.store
        let old: StoredPlan
        let new: StoredPlan
        if let otherYear = input.query.fromYear {
            guard let before = try await store.currentPlan(kommune: area.code, year: otherYear) else {
                throw Problem.notFound("\(area.name) har ingen plan for \(otherYear).")
            }
            (old, new) = (before, try await currentPlan(input.path.kommune, year))
        } else {
            let current = try await currentPlan(input.path.kommune, year).info.version
            let to = input.query.to ?? current
            let from = input.query.from ?? max(to - 1, 1)
            guard let before = try await store.plan(kommune: area.code, year: year, version: from),
                let after = try await store.plan(kommune: area.code, year: year, version: to)
            else { throw Problem.notFound("Planen for \(year) har versionerne 1 til \(current).") }
            (old, new) = (before, after)
        }
        return .ok(.init(body: .json(.init(
            from: "\(old.info.year) v\(old.info.version)", to: "\(new.info.year) v\(new.info.version)",
            changes: PlanDiff.changes(from: old.plan, to: new.plan)))))
    }

    /// A save is a new version. Once a plan exists, the save must say which version it started
    /// from (`If-Match`), and is refused if another was saved meanwhile.
    func savePlan(_ input: Operations.SavePlan.Input) async throws -> Operations.SavePlan.Output {
        let area = try environment.kommune(input.path.kommune)
        let year = input.path.year
        guard case .yaml(let body) = input.body else { throw Problem.badRequest("Send planen som application/yaml.") }
        let text = try await String(collecting: body, upTo: 4 << 20)
        let info = try await PlanSaving(environment: environment).save(
            text, area: area, year: year, expecting: try input.headers.ifMatch.map(Self.version(ifMatch:)), author: actor)
        addHeader(.eTag, "\"\(info.version)\"")
        return .created(.init(body: .json(Self.version(info))))
    }

    // MARK: Assessments

    func listAssessments(_ input: Operations.ListAssessments.Input) async throws -> Operations.ListAssessments.Output {
        let stored = try await currentPlan(input.path.kommune, input.path.year)
        let assessments = try await environment.store.assessments(kommune: stored.info.kommune, year: stored.info.year)
        return .ok(.init(body: .json(assessments.map(Self.assessment))))
    }

    func addAssessment(_ input: Operations.AddAssessment.Input) async throws -> Operations.AddAssessment.Output {
        let stored = try await currentPlan(input.path.kommune, input.path.year)
        guard case .json(let new) = input.body else { throw Problem.badRequest("Send vurderingen som JSON.") }
        let targets = stored.plan.goals.flatMap(\.targets).map(\.id)
        guard targets.contains(new.target) else {
            throw Problem(.unprocessableContent, "unknown-target", title: "Målet findes ikke i planen",
                          detail: "Planen har målene \(targets.joined(separator: ", ")).")
        }
        let note = new.note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= 4000 else {
            throw Problem(.unprocessableContent, "note-required", title: "En vurdering skal have en note", detail: "Højst 4000 tegn.")
        }
        let date = try new.date.map { try Self.day($0, "date") } ?? PlanService.today
        let assessment = Assessment(
            kommune: stored.info.kommune, year: stored.info.year, target: new.target,
            status: EvaluationStatus(rawValue: new.status.rawValue) ?? .vurderet, note: note, date: date.description,
            author: caller?.account.username ?? "-")
        try await environment.store.saveAssessment(assessment)
        return .created(.init(body: .json(Self.assessment(assessment))))
    }

    private static func assessment(_ a: Assessment) -> Components.Schemas.Assessment {
        .init(target: a.target, status: a.status.rawValue, note: a.note, date: a.date, author: a.author)
    }

    // MARK: Reports

    func getReport(_ input: Operations.GetReport.Input) async throws -> Operations.GetReport.Output {
        let area = try environment.kommune(input.path.kommune)
        let asOf = try input.query.asOf.map { try Self.day($0, "asOf") } ?? PlanService.today
        let kind: ReportKind = input.path.kind == .plan ? .plan : .followup
        let format = ReportService.Format(rawValue: (input.query.format ?? .html).rawValue) ?? .html
        // Kept by `CachedReads`, rendered, while the store is unchanged.
        let stored = try await visiblePlan(input.path.kommune, input.path.year)
        let document = try await ReportService(environment).document(kind, kommune: area, plan: stored, asOf: asOf)
        let data: Data
        do {
            data = try ReportService.render(document, as: format)
        } catch {
            throw Problem(.serviceUnavailable, "render-failed", title: "Rapporten kunne ikke laves i \(format.rawValue)",
                          detail: format == .pdf ? "PDF kræver LibreOffice eller Chromium på serveren." : nil)
        }
        addHeader(.contentDisposition, "attachment; filename=\"\(area.slug)-\(input.path.year)-\(kind.rawValue).\(format.fileExtension)\"")
        let body = HTTPBody(data)
        let content: Operations.GetReport.Output.Ok.Body = switch format {
        case .html: .html(body)
        case .md: .textMarkdown(body)
        case .docx: .applicationVnd_openxmlformatsOfficedocument_wordprocessingml_document(body)
        case .pdf: .pdf(body)
        }
        return .ok(.init(body: content))
    }

    /// A date parameter: ISO 8601, in the years a plan can concern.
    static func day(_ text: String, _ name: String) throws -> Day {
        guard let day = Day(iso: text), (1900...2200).contains(day.components.year) else {
            throw Problem.badRequest("\(name) skal være en dato som 2025-03-01, ikke '\(text.prefix(40))'.")
        }
        return day
    }

    func currentPlan(_ kommune: String, _ year: Int) async throws -> StoredPlan {
        let area = try environment.kommune(kommune)
        guard let stored = try await environment.store.currentPlan(kommune: area.code, year: year) else {
            throw Problem.notFound("\(area.name) har ingen plan for \(year).")
        }
        return stored
    }

    static func version(_ info: PlanVersionInfo) -> Components.Schemas.PlanVersion {
        .init(
            kommune: info.kommune.rawValue, year: info.year, version: info.version, title: info.title, status: info.status.rawValue,
            author: info.author, savedAt: info.savedAt)
    }
}
