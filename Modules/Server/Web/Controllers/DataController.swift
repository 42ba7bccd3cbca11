import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import Reports
import Storage

/// The data page: the series a plan needs (there or missing, up to when, from where), the
/// scheduled fetch, the kommune's own figures typed in or downloaded as a template, and a file
/// uploaded, previewed and imported (`DataController+Upload`).
struct DataController: Sendable {
    let pages: PageSupport
    /// The most an upload may hold (`--max-import-mb`).
    let importSize: Int64
    /// How often the sources are fetched (`--fetch-every`); `nil`: not scheduled.
    let fetchInterval: Duration?
    let uploads: PendingUploads

    init(pages: PageSupport, importSize: Int64, fetchInterval: Duration?, uploadDirectory: URL) throws {
        self.pages = pages
        self.importSize = importSize
        self.fetchInterval = fetchInterval
        uploads = try PendingUploads(directory: uploadDirectory, clock: pages.environment.clock)
    }

    func addRoutes(to routes: PageRoutes) {
        routes.get("/kommuner/{kommune}/{year}/data", .data, use: data)
        routes.get("/kommuner/{kommune}/{year}/data/skabelon.csv", .template, use: template)
        routes.post("/kommuner/{kommune}/{year}/data/egne-tal", .localFigures, use: saveLocalFigures)
        routes.post("/kommuner/{kommune}/{year}/data/upload", .upload, use: upload)
        routes.get("/kommuner/{kommune}/{year}/data/upload/{upload}", .upload, use: uploadPage)
        routes.post("/kommuner/{kommune}/{year}/data/upload/{upload}", .upload, use: changeUpload)
        routes.get("/kommuner/{kommune}/{year}/sammenlign", .compare, use: compare)
        routes.get("/kommuner/{kommune}/{year}/sammenlign.xlsx", .compare, use: compareWorkbook)
    }

    var environment: AppEnvironment { pages.environment }

    @Sendable func data(_ request: Request, context: ServerContext) async throws -> Response {
        // After a save of typed-in figures: how many, and how many replaced earlier ones.
        let query = request.uri.queryParameters
        let saved = query["gemt"].flatMap { Int(String($0)) }.map { count in
            let replaced = query["erstattet"].flatMap { Int(String($0)) } ?? 0
            return "Gemt: \(count) tal" + (replaced > 0 ? ", heraf \(replaced) erstattet (de tidligere tal er afløst)" : "") + "."
        }
        return try await dataPage(context, saved: saved)
    }

    func dataPage(
        _ context: ServerContext, problem: String? = nil, saved: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, stored) = try await pages.currentPlan(context, scope) else { return pages.missingPlan(context, scope) }
        let lastRun = try await FetchService(environment).lastRun()
        let base = "/kommuner/\(scope.area.slug)/\(year)"
        let rows = try await seriesRows(stored.plan.forYear(year), year: year, lastRun: lastRun)
        let view = DataView(
            localSeries: try await localSeries(stored.plan, scope: scope), saved: saved, localAddress: base + "/data/egne-tal",
            templateAddress: base + "/data/skabelon.csv", fetch: fetchStatus(lastRun), rows: rows,
            missingCount: rows.filter { !$0.present && !$0.computed }.count, slug: scope.area.slug,
            canUpload: PageSupport.may(.editor, context), uploadAddress: base + "/data/upload", mappings: mappingOptions(selected: nil),
            maxSize: Self.megabytes(importSize), problem: problem)
        return pages.renderer.render("data", view, page: pages.frame(context, scope, year, current: .data), status: status)
    }

    /// Every series the plan's rules read, for the kommune, its region and the country.
    private func seriesRows(_ plan: Plan, year: Int, lastRun: FetchRun?) async throws -> [DataView.Row] {
        let requests = environment.registry.evaluator.requirements(plan, areas: environment.areas, measures: environment.measures)
        let observations = ObservationService(environment)
        let failedTables = Set((lastRun?.errors ?? []).map(\.table))
        var rows: [DataView.Row] = []
        for need in requests {
            let definition = environment.measures[need.measure]
            // Where the scheduled fetch gets the series, and whether its last try of that table failed.
            let tables = (definition?.origins ?? []).filter { $0.covers(need.dimensions) }.map(\.table)
            for code in need.areas.sorted() {
                let found = try await observations.read(ObservationQuery(measure: need.measure, areas: [code], dimensions: need.dimensions))
                rows.append(DataView.Row(
                    measure: definition?.name ?? need.measure, selection: DimensionCatalog.standard.selectionLabel(need.dimensions, year: year),
                    kind: definition.map { $0.kindDescription(environment.measures).capitalizedFirst() } ?? "–",
                    area: environment.areas[code].map { LabourMarket.areaName($0) } ?? code.rawValue,
                    // A derived measure is computed from its inputs (listed too), never stored: not missing.
                    present: !found.isEmpty, computed: definition?.kind == .derived && found.isEmpty, count: found.count,
                    latest: found.map(\.period).max()?.danishLabel ?? "–", source: definition?.source ?? "–",
                    fetched: tables.isEmpty ? nil : "hentes: " + tables.joined(separator: ", "),
                    fetchFailed: tables.contains(where: failedTables.contains),
                    excel: found.isEmpty ? nil : Self.workbookAddress(need.measure, area: code, dimensions: need.dimensions)))
            }
        }
        return rows
    }

    /// The kommune's own series the plan reads, each with a field per period (the stored value in
    /// Danish notation, if there is one), for the form that types them in.
    private func localSeries(_ plan: Plan, scope: KommuneScope) async throws -> [DataView.LocalSeries] {
        var result: [DataView.LocalSeries] = []
        let figures = LocalFigures(environment)
        for (i, series) in figures.series(plan).enumerated() {
            let stored = try await figures.stored(series, kommune: scope.code)
            let unit = environment.measures[series.measure]?.unit
            result.append(DataView.LocalSeries(
                name: series.name, office: series.office, selection: DimensionCatalog.standard.selectionLabel(series.dimensions, year: plan.year),
                periods: series.periods.enumerated().map { j, period in
                    DataView.LocalSeries.Field(
                        label: period.danishLabel, field: "v|\(series.id)|\(period)", id: "egne-\(i)-\(j)",
                        value: stored[period].map { DanishNumber.format($0, decimals: LocalFigures.decimals($0)) } ?? "",
                        unit: unit?.label)
                }))
        }
        return result
    }

    /// `GET /api/v1/observations?…&format=xlsx` for one series.
    static func workbookAddress(_ measure: MeasureID, area: AreaCode, dimensions: [String: String]) -> String {
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "measure", value: measure), URLQueryItem(name: "area", value: area.rawValue)]
            + dimensions.sorted { $0.key < $1.key }.map { URLQueryItem(name: "dim", value: "\($0.key)=\($0.value)") }
            + [URLQueryItem(name: "format", value: "xlsx")]
        return "/api/v1/observations?" + (query.percentEncodedQuery ?? "")
    }

    /// `GET …/data/skabelon.csv`: the template of the kommune's own figures, as Danish Excel reads it.
    @Sendable func template(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, stored) = try await pages.currentPlan(context, scope) else { return pages.missingPlan(context, scope) }
        let text = LocalFigures(environment).template(stored.plan)
        var headers = PageRenderer.securityHeaders
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"egne-tal-\(scope.area.slug)-\(year).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `POST …/data/egne-tal`: the typed-in figures (Danish notation) saved as one import; a figure
    /// that does not read as a number saves nothing and says which.
    @Sendable func saveLocalFigures(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let (year, stored) = try await pages.currentPlan(context, scope) else { return pages.missingPlan(context, scope) }
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: context.maxUploadSize))
        let fields = (try? URLEncodedFormDecoder().decode([String: String].self, from: body)) ?? [:]
        let figures = LocalFigures(environment)
        let series = Dictionary(figures.series(stored.plan).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var values: [String: [Period: Double]] = [:]
        for (name, raw) in fields.sorted(by: { $0.key < $1.key }) where name.hasPrefix("v|") {
            let text = raw.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            let parts = name.split(separator: "|").map(String.init)
            guard parts.count >= 3, let period = Period(parts[parts.count - 1]),
                let s = series[parts[1..<(parts.count - 1)].joined(separator: "|")], s.periods.contains(period)
            else { continue }
            guard let value = DanishNumber.parse(text) else {
                return try await dataPage(
                    context, problem: "'\(text.prefix(40))' for \(s.name), \(period.danishLabel) er ikke et tal: skriv fx 4.720 eller 12,5. Intet blev gemt.",
                    status: .unprocessableContent)
            }
            values[s.id, default: [:]][period] = value
        }
        values = try await figures.changed(values, plan: stored.plan)
        guard !values.isEmpty else {
            return try await dataPage(context, problem: "Ingen tal er ændret; intet blev gemt.", status: .unprocessableContent)
        }
        let summary = try await figures.save(
            values, plan: stored.plan, comment: String((fields["kilde"] ?? "").prefix(200)), actor: PageSupport.actor(context))
        // Post, then redirect: a reload shows the page, it does not save again.
        return PageRenderer.redirect(
            "/kommuner/\(scope.area.slug)/\(year)/data?gemt=\(summary.result.observations)&erstattet=\(summary.result.replaced)#egne-tal")
    }

    /// The scheduled fetch, for the data page: the last run (when, how it went, what failed) and
    /// the next; `nil` when none is scheduled and none has run.
    private func fetchStatus(_ last: FetchRun?) -> DataView.Fetch? {
        guard last != nil || fetchInterval != nil else { return nil }
        var status = DataView.Fetch(scheduled: fetchInterval != nil)
        if let fetchInterval {
            let hours = Double(fetchInterval.components.seconds) / 3600
            status.every = hours == 24 ? "dagligt" : "hver \(DanishNumber.format(hours, decimals: hours == hours.rounded() ? 0 : 1)). time"
            status.next = FetchScheduler.next(after: last, interval: fetchInterval).map(Self.danishTime) ?? "snart"
        }
        if let last, let started = Timestamp.date(last.startedAt) {
            status.last = .init(
                when: Self.danishTime(started), imported: last.requests - last.failures, requests: last.requests,
                errors: last.errors.map { $0.table.isEmpty ? $0.message : "\($0.table): \($0.message)" }, failed: last.failures > 0)
        }
        return status
    }

    /// `2. december 2026 kl. 01.14`, Danish time.
    static func danishTime(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: .denmark, from: date)
        return Day(date).danishText + String(format: " kl. %02d.%02d", c.hour ?? 0, c.minute ?? 0)
    }

    /// The shipped and plugin mappings to choose from.
    func mappingOptions(selected: String?) -> [MappingOption] {
        FileImporter.shippedMappingNames(environment).map { MappingOption(name: $0, selected: $0 == selected) }
    }

    static func megabytes(_ bytes: Int64) -> String {
        bytes < 1_048_576 ? "\(DanishNumber.format(Double(bytes) / 1024, decimals: 1)) kB" : "\(DanishNumber.format(Double(bytes) / 1_048_576, decimals: 1)) MB"
    }
}

/// A mapping to read a file with.
struct MappingOption: Sendable {
    let name: String
    let selected: Bool
}

/// The data page.
struct DataView: Sendable {
    struct Row: Sendable {
        let measure: String
        let selection: String
        let kind: String
        let area: String
        let present: Bool
        let computed: Bool
        let count: Int
        let latest: String
        let source: String
        let fetched: String?
        let fetchFailed: Bool
        /// The series' figures as an Excel workbook, where there are any.
        let excel: String?
    }

    struct LocalSeries: Sendable {
        struct Field: Sendable {
            let label: String
            let field: String
            let id: String
            let value: String
            let unit: String?
        }

        let name: String
        let office: String
        let selection: String
        let periods: [Field]
    }

    struct Fetch: Sendable {
        struct Run: Sendable {
            let when: String
            let imported: Int
            let requests: Int
            let errors: [String]
            let failed: Bool
        }

        let scheduled: Bool
        var every: String?
        var next: String?
        var last: Run?
    }

    let localSeries: [LocalSeries]
    let hasLocal: Bool
    let saved: String?
    let localAddress: String
    let templateAddress: String
    let fetch: Fetch?
    let rows: [Row]
    let total: Int
    let missingCount: Int
    let slug: String
    let canUpload: Bool
    let uploadAddress: String
    let mappings: [MappingOption]
    let maxSize: String
    let problem: String?

    init(
        localSeries: [LocalSeries], saved: String?, localAddress: String, templateAddress: String, fetch: Fetch?, rows: [Row],
        missingCount: Int, slug: String, canUpload: Bool, uploadAddress: String, mappings: [MappingOption], maxSize: String, problem: String?
    ) {
        self.localSeries = localSeries
        hasLocal = !localSeries.isEmpty
        self.saved = saved
        self.localAddress = localAddress
        self.templateAddress = templateAddress
        self.fetch = fetch
        self.rows = rows
        total = rows.count
        self.missingCount = missingCount
        self.slug = slug
        self.canUpload = canUpload
        self.uploadAddress = uploadAddress
        self.mappings = mappings
        self.maxSize = maxSize
        self.problem = problem
    }
}
