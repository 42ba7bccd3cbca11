import Evaluation
import Foundation
import PluginKit
import Reports
import Spreadsheet
import Storage

/// Builds reports from the store: the plan, its evaluations, last year's, and the figures shown.
public struct ReportService: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case html, md, docx, pdf
        /// The report's tables as an Excel workbook, one sheet each.
        case xlsx

        public var fileExtension: String { rawValue }
    }

    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    /// The report of the kommune's current plan, for its members, as a document ready for any renderer.
    public func document(
        _ kind: ReportKind, kommune: Area, year: Int, asOf: Day, generated: Day? = nil
    ) async throws -> ReportDocument {
        try document(kind, context: try await context(kommune: kommune, year: year, asOf: asOf, generated: generated))
    }

    /// The report of one stored version of the plan, as `audience` may read it (the public sees the approved one).
    public func document(
        _ kind: ReportKind, kommune: Area, plan: StoredPlan, asOf: Day, generated: Day? = nil, for audience: Audience
    ) async throws -> ReportDocument {
        try document(kind, context: try await context(kommune: kommune, plan: plan, asOf: asOf, generated: generated, for: audience))
    }

    /// The report built from a context already loaded (one load serves both kinds).
    public func document(_ kind: ReportKind, context: ReportContext) throws -> ReportDocument {
        let plugin = environment.registry.plugin(for: context.kommune.code)
        let sections = plugin?.sections(context, kind: kind) ?? []
        switch kind {
        case .plan: return try PlanReport.build(context, plugin: sections)
        case .followup: return try FollowUpReport.build(context, plugin: sections)
        }
    }

    /// A kommune's scope; a report is a kommune's.
    static func scope(_ area: Area) throws -> KommuneScope {
        guard let scope = KommuneScope(area) else { throw LookupError(kind: "kommune", name: area.name, suggestion: nil) }
        return scope
    }

    /// Renders a document in a format.
    public static func render(_ document: ReportDocument, as format: Format) throws -> Data {
        switch format {
        case .html: return Data(HTMLRenderer.render(document).utf8)
        case .md: return Data(MarkdownRenderer.render(document).utf8)
        case .docx: return try DOCXRenderer.render(document)
        case .xlsx: return try Workbook.data(ReportTables.sheets(document))
        case .pdf:
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-\(UUID().uuidString).pdf")
            defer { try? FileManager.default.removeItem(at: out) }
            try PDFConverter.convert(docx: try DOCXRenderer.render(document), html: HTMLRenderer.render(document), to: out)
            return try Data(contentsOf: out)
        }
    }

    /// The current plan, its evaluation, last year's, and the figures a report shows, for the kommune's members.
    public func context(kommune: Area, year: Int, asOf: Day, generated: Day? = nil) async throws -> ReportContext {
        try await context(
            kommune: kommune, plan: try await PlanService(environment).require(try Self.scope(kommune), year: year).forYear(year), asOf: asOf,
            generated: generated, for: .members)
    }

    /// The context of one stored version of the plan, as `audience` may read it: for the public,
    /// last year's plan is its approved version too, and assessments are as `AssessmentService.shown` lets them be.
    public func context(
        kommune: Area, plan stored: StoredPlan, asOf: Day, generated: Day? = nil, for audience: Audience
    ) async throws -> ReportContext {
        let plans = PlanService(environment)
        let year = stored.plan.year
        let evaluations = try await plans.evaluate(stored.plan, asOf: asOf, for: audience)
        var lastYear: (plan: Plan, evaluations: [TargetEvaluation])?
        let scope = try Self.scope(kommune)
        if let previous = audience == .public
            ? try await plans.latestApproved(scope, year: year - 1) : try await plans.current(scope, year: year - 1)
        {
            let previous = previous.plan.forYear(year - 1)
            lastYear = (previous, try await plans.evaluate(previous, asOf: asOf, for: audience))
        }
        let plugin = environment.registry.plugin(for: kommune.code)
        let data = try await load(stored.plan, lastYear?.plan, plugin: plugin)
        let branding = plugin?.branding
        return ReportContext(
            plan: stored.plan, version: stored.info.version, evaluations: evaluations, lastYear: lastYear, data: data,
            measures: environment.measures, ruleKinds: environment.registry.ruleKinds,
            branding: ReportBranding(
                kommuneName: branding?.kommuneName ?? "\(kommune.name) Kommune",
                jobcenterName: branding?.jobcenterName ?? "Jobcenter \(kommune.name)", slogan: branding?.slogan,
                primaryColor: branding?.primaryColor ?? "#1F4E79", accentColor: branding?.accentColor ?? "#C55A11"),
            asOf: asOf, generated: generated ?? environment.clock.today, localGoalLabel: plugin?.localGoalLabel, ministermaal: environment.ministermaal,
            fetched: try await fetched())
    }

    /// The sources fetched from, newest stamps first by source name, for "data pr. …".
    private func fetched() async throws -> [FetchedData] {
        try await environment.store.fetchStamps().compactMap { stamp in
            // The day in Denmark: a fetch at 23:30 UTC on the 6th was on the 7th there.
            guard let fetched = Timestamp.date(stamp.fetchedAt).map({ Day($0) }) ?? Day(iso: String(stamp.fetchedAt.prefix(10))) else {
                return nil
            }
            let name = stamp.source == "fetch:dst" ? "Danmarks Statistik" : stamp.source == "fetch:jobindsats" ? "Jobindsats" : stamp.source
            return FetchedData(source: name, fetched: fetched, published: stamp.published.flatMap { Day(iso: String($0.prefix(10))) })
        }
    }

    /// The figures a report shows: every series the plans' rules read, in the kommune, its region
    /// and the country (for trend charts), the labour-market measures, and the plugin's own.
    private func load(_ plan: Plan, _ previous: Plan?, plugin: (any KommunePlugin)?) async throws -> ObservationIndex {
        let areas = [plan.kommune, environment.areas.region(of: plan.kommune, in: plan.year)?.code, .country].compactMap { $0 }
        var requests: [SeriesRequest.Shape] = []  // measure and dimensions; the areas are the report's
        for p in [plan, previous].compactMap({ $0 }) {
            requests += environment.registry.evaluator.requirements(p, measures: environment.measures)
                .map { SeriesRequest.Shape(measure: $0.measure, dimensions: $0.dimensions) }
        }
        let labour = ["ydelse.fuldtidspersoner", "ydelse.fuldtidspersoner.udvikling", "ydelse.andel_arbejdsstyrke",
                      "ydelse.andel_befolkning", "ydelse.andel_befolkning.udvikling",
                      "kontanthjaelp.nettoledige_fuldtidspersoner", "beskaeftigelse.loenmodtagere", "befolkning.i_alt"]
        requests += (labour + (plugin?.reportMeasures ?? []) + (plugin?.measures.map(\.id) ?? []))
            .map { SeriesRequest.Shape(measure: $0, dimensions: [:]) }
        var index = ObservationIndex()
        var seen = Set<SeriesRequest.Shape>()
        for request in requests where seen.insert(request).inserted {
            index.add(try await environment.store.observations(
                ObservationQuery(measure: request.measure, areas: areas, dimensions: request.dimensions)))
        }
        return index.derived(environment.measures)
    }
}
