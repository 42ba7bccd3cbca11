import AppSupport
import Foundation
import Storage
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
    /// Evaluations and reports already made, by what the handler decoded.
    let reads: CachedReads
    var signIn: SignIn { SignIn(accounts: accounts, sessions: sessions) }
    var plans: PlanService { PlanService(environment) }

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
        RequestScope.context?.notes.withLockedValue { $0.responseHeaders.append(HTTPField(name: name, value: value)) }
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
        .ok(.init(body: .json(try await plans.list(scope).map { Self.version($0) })))
    }

    func getPlan(_ input: Operations.GetPlan.Input) async throws -> Operations.GetPlan.Output {
        let stored = try await visiblePlan(input.path.year)
        let yaml = try PlanFile.yaml(stored.plan)
        let wantsYAML = input.headers.accept.sortedByQuality().first?.contentType == .yaml
        // The public never reads who saved a version.
        let version = Self.version(stored.info, author: audience == .members)
        return .ok(.init(body: wantsYAML ? .yaml(HTTPBody(yaml)) : .json(.init(version: version, yaml: yaml))))
    }

    func getEvaluation(_ input: Operations.GetEvaluation.Input) async throws -> Operations.GetEvaluation.Output {
        let asOf = try day(input.query.asOf, "asOf")
        let year = input.path.year
        let key = CachedReads.Key(read: .evaluation, kommune: try scope.code, year: year, asOf: asOf, audience: audience)
        let evaluation = try await reads.evaluation(key) {
            let stored = try await visiblePlan(year).forYear(year)
            // The one shape of an evaluation, which `beskplan evaluate --format json` writes too.
            return Components.Schemas.Evaluation(
                EvaluationDocument(stored.info, year: year, asOf: asOf, try await plans.evaluate(stored.plan, asOf: asOf, for: audience)))
        }
        return .ok(.init(body: .json(evaluation)))
    }

    func listPlanVersions(_ input: Operations.ListPlanVersions.Input) async throws -> Operations.ListPlanVersions.Output {
        .ok(.init(body: .json(try await plans.versions(scope, year: input.path.year).map { Self.version($0) })))
    }

    func diffPlan(_ input: Operations.DiffPlan.Input) async throws -> Operations.DiffPlan.Output {
        let scope = try scope
        let year = input.path.year
        let old: StoredPlan
        let new: StoredPlan
        if let otherYear = input.query.fromYear {
            (old, new) = (try await plans.require(scope, year: otherYear), try await plans.require(scope, year: year))
        } else {
            let current = try await plans.require(scope, year: year).info.version
            let to = input.query.to ?? current
            let from = input.query.from ?? max(to - 1, 1)
            guard let before = try await plans.version(scope, year: year, version: from),
                let after = try await plans.version(scope, year: year, version: to)
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
        guard case .yaml(let body) = input.body else { throw Problem.badRequest("Send planen som application/yaml.") }
        let text = try await String(collecting: body, upTo: 4 << 20)
        let info: PlanVersionInfo
        do {
            info = try await plans.save(
                text, scope: try scope, year: input.path.year, expecting: try input.headers.ifMatch.map(Self.version(ifMatch:)), author: actor)
        } catch let refusal as Refusal where refusal.kind == .versionRequired {
            // Over HTTP the version is the plan's ETag.
            throw Problem(.preconditionRequired, refusal.kind.rawValue, title: refusal.title,
                          detail: refusal.detail + " Send dens ETag som If-Match.")
        }
        addHeader(.eTag, "\"\(info.version)\"")
        return .created(.init(body: .json(Self.version(info))))
    }

    // MARK: Assessments

    func listAssessments(_ input: Operations.ListAssessments.Input) async throws -> Operations.ListAssessments.Output {
        let scope = try scope
        _ = try await plans.require(scope, year: input.path.year)
        let assessments = try await AssessmentService(environment).latest(scope, year: input.path.year)
        return .ok(.init(body: .json(assessments.map(Self.assessment))))
    }

    func addAssessment(_ input: Operations.AddAssessment.Input) async throws -> Operations.AddAssessment.Output {
        guard case .json(let new) = input.body else { throw Problem.badRequest("Send vurderingen som JSON.") }
        let assessment = try await AssessmentService(environment).record(
            .init(target: new.target, status: new.status.rawValue, note: new.note, date: new.date), scope: try scope,
            year: input.path.year, author: actor)
        return .created(.init(body: .json(Self.assessment(assessment))))
    }

    private static func assessment(_ a: Assessment) -> Components.Schemas.Assessment {
        .init(target: a.target, status: .init(a.status), note: a.note, date: a.date, author: a.author)
    }

    // MARK: Reports

    func getReport(_ input: Operations.GetReport.Input) async throws -> Operations.GetReport.Output {
        let area = try scope.area
        let asOf = try day(input.query.asOf, "asOf")
        let kind: ReportKind = input.path.kind == .plan ? .plan : .followup
        let format = ReportService.Format(rawValue: (input.query.format ?? .html).rawValue) ?? .html
        let year = input.path.year
        let today = environment.clock.today
        addHeader(.contentDisposition, "attachment; filename=\"\(area.slug)-\(input.path.year)-\(kind.rawValue).\(format.fileExtension)\"")
        // The public reads the HTML as it was kept when approved or made final, while it is of
        // the version the public sees; a day of its own (`asOf`) is a new render.
        if audience == .public, format == .html, input.query.asOf == nil,
            let kept = try await ApprovedReportService(environment).kept(try scope, year: year, kind: kind)
        {
            let approved = try await visiblePlan(year).info.version
            if kind == .followup || kept.planVersion == approved { return .ok(.init(body: .html(HTTPBody(kept.content)))) }
        }
        let key = CachedReads.Key(
            read: .report(kind, format, generated: today), kommune: area.code, year: year, asOf: asOf, audience: audience)
        let data = try await reads.report(key) {
            let stored = try await visiblePlan(year).forYear(year)
            let document = try await ReportService(environment).document(
                kind, kommune: area, plan: stored, asOf: asOf, generated: today, for: audience)
            do {
                return try ReportService.render(document, as: format)
            } catch {
                throw Problem(.serviceUnavailable, "render-failed", title: "Rapporten kunne ikke laves i \(format.rawValue)",
                              detail: format == .pdf ? "PDF kræver LibreOffice eller Chromium på serveren." : nil)
            }
        }
        let body = HTTPBody(data)
        let content: Operations.GetReport.Output.Ok.Body = switch format {
        case .html: .html(body)
        case .md: .textMarkdown(body)
        case .docx: .applicationVnd_openxmlformatsOfficedocument_wordprocessingml_document(body)
        case .pdf: .pdf(body)
        case .xlsx: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(body)
        }
        return .ok(.init(body: content))
    }

    /// A date parameter (ISO 8601, in the years a plan can concern); today, in Denmark, when none is given.
    func day(_ text: String?, _ name: String) throws -> Day {
        try text.map { try DateInput.day($0, name: name) } ?? environment.clock.today
    }

    /// The kommune the gate resolved from the path.
    var scope: KommuneScope {
        get throws {
            guard let scope = RequestScope.context?.scope else { throw Problem.notFound("Forespørgslen nævner ingen kommune.") }
            return scope
        }
    }

    static func version(_ info: PlanVersionInfo, author: Bool = true) -> Components.Schemas.PlanVersion {
        .init(
            kommune: info.kommune.rawValue, year: info.year, version: info.version, title: info.title, status: .init(info.status),
            author: author ? info.author : nil, savedAt: info.savedAt)
    }
}

extension Components.Schemas.Evaluation {
    /// The evaluation's one shape (`EvaluationDocument`), as the contract types it.
    init(_ document: EvaluationDocument) {
        self.init(
            kommune: document.kommune, year: document.year, version: document.version, asOf: document.asOf,
            targets: document.targets.map { t in
                .init(
                    goal: t.goal, target: t.target, follows: t.follows, rule: t.rule, status: .init(t.status), statusText: t.statusText,
                    value: t.value, benchmark: t.benchmark,
                    unit: t.unit.map(Components.Schemas.TargetEvaluation.UnitPayload.init),
                    explanation: t.explanation, missing: t.missing,
                    figures: t.figures.map {
                        .init(
                            measure: $0.measure, area: $0.area, dimensions: .init(additionalProperties: $0.dimensions), period: $0.period,
                            value: $0.value, observations: $0.observations, complete: $0.complete)
                    })
            })
    }
}

extension Components.Schemas.PlanVersion.StatusPayload {
    init(_ status: Plan.Status) {
        self = switch status {
        case .udkast: .udkast
        case .godkendt: .godkendt
        }
    }
}

extension Components.Schemas.TargetEvaluation.UnitPayload {
    init(_ unit: MeasureUnit) {
        self = switch unit {
        case .fuldtidspersoner: .fuldtidspersoner
        case .helaarspersoner: .helaarspersoner
        case .antal: .antal
        case .procent: .procent
        case .procentpoint: .procentpoint
        case .placering: .placering
        }
    }
}

extension Components.Schemas.EvaluationStatus {
    /// The contract's status for the domain's: a switch, so that a status the contract lacks does not compile.
    init(_ status: EvaluationStatus) {
        self = switch status {
        case .opfyldt: .opfyldt
        case .paaVej: .paaVej
        case .iRisiko: .iRisiko
        case .ikkeOpfyldt: .ikkeOpfyldt
        case .manglerData: .manglerData
        case .afventerVurdering: .afventerVurdering
        case .vurderet: .vurderet
        }
    }
}
