import AppSupport
import HTTPTypes
import Hummingbird
import Reports
import Storage

/// A kommune's approved plan and its latest final follow-up, for anyone — where the installation
/// serves public pages (`--public`) and the kommune publishes.
struct PublicController: Sendable {
    let pages: PageSupport

    func addRoutes(to routes: PageRoutes) {
        routes.get("/offentlig/{kommune}", .publicPage, use: publicPage)
        routes.get("/offentlig/{kommune}/{year}/{document}", .publicPage, use: keptReport)
    }

    /// `GET /offentlig/{kommune}/{year}/plan.html` and `…/opfoelgning.html`: the report as it was
    /// kept when the plan was approved or the follow-up made final, byte for byte.
    @Sendable func keptReport(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        let kinds: [String: ReportKind] = ["plan.html": .plan, "opfoelgning.html": .followup]
        guard let year = context.parameters.get("year", as: Int.self), let kind = context.parameters.get("document").flatMap({ kinds[$0] }),
            let kept = try await ApprovedReportService(pages.environment).kept(scope, year: year, kind: kind),
            kept.planVersion == (try await pages.plans.latestApproved(scope, year: year))?.info.version
        else {
            return pages.renderer.error(
                .notFound, heading: "Dokumentet findes ikke", message: "\(scope.name) har ikke gemt det dokument.",
                page: PageFrame(kommune: scope.area))
        }
        var headers = PageRenderer.securityHeaders
        // The report is one file with its own inline style and SVG, and no script or request.
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        headers[.eTag] = "\"\(kept.sha256)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: kept.content)))
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
        // The latest year of the plan's period with a final follow-up (a plan over several years
        // is followed up year by year).
        var followUp: PublicView.FollowUp?
        for year in approved.plan.years.reversed() where followUp == nil {
            guard let final = try await PublicationService(pages.environment).finalFollowUp(scope, year: year),
                let asOf = final.asOf.flatMap({ Day(iso: $0) })
            else { continue }
            let c = try await ReportService(pages.environment).context(
                kommune: scope.area, plan: approved.forYear(year), asOf: asOf, for: .public)
            followUp = .init(asOf: asOf.danishText, rows: c.evaluations.map { EvaluationRow($0, target: nil, c) })
        }
        let reports = ApprovedReportService(pages.environment)
        var documents: [PublicView.Document] = []
        for year in approved.plan.years {
            let yearWord = approved.plan.through == nil ? "" : " for \(year)"
            for (kind, file, name) in [(ReportKind.plan, "plan.html", "Planen"), (.followup, "opfoelgning.html", "Opfølgningen")] {
                guard let kept = try await reports.kept(scope, year: year, kind: kind), kept.planVersion == approved.info.version else { continue }
                documents.append(.init(
                    name: name + yearWord, address: "/offentlig/\(scope.area.slug)/\(year)/\(file)",
                    asOf: Day(iso: kept.asOf)?.danishText ?? kept.asOf, version: kept.planVersion, sha256: kept.sha256))
            }
        }
        let view = PublicView(
            approvedBy: approved.plan.approvals.last { $0.date != nil }.map { "\($0.body) \($0.date ?? "")" }, followup: followUp,
            documents: documents, hasDocuments: !documents.isEmpty)
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

    /// A report as it was kept when approved or made final.
    struct Document: Sendable {
        let name: String
        let address: String
        let asOf: String
        let version: Int
        let sha256: String
    }

    let approvedBy: String?
    let followup: FollowUp?
    let documents: [Document]
    let hasDocuments: Bool
}
