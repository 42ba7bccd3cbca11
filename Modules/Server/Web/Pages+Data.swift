import AppSupport
import CSVImport
import Foundation
import HTTPTypes
import Hummingbird
import XMLImport

/// The data page: the series a plan needs, and a kommune's own file uploaded, previewed and
/// imported — without JavaScript (a multipart form), with a progress bar where script runs.
extension Pages {

    /// Every series the plan's rules read, for the kommune, its region and the country: there or missing, up to when, from where.
    func data(_ request: Request, context: ServerContext) async throws -> Response {
        // After a save of typed-in figures: how many, and how many replaced earlier ones.
        let query = request.uri.queryParameters
        let saved = query["gemt"].flatMap { Int(String($0)) }.map { count in
            let replaced = query["erstattet"].flatMap { Int(String($0)) } ?? 0
            return "Gemt: \(count) tal" + (replaced > 0 ? ", heraf \(replaced) erstattet (de tidligere tal er afløst)" : "") + "."
        }
        return try await dataPage(context, saved: saved)
    }

    private func dataPage(
        _ context: ServerContext, problem: String? = nil, saved: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let area = try kommune(context)
        guard let (year, stored) = try await currentPlan(context, area) else { return missingPlan(context, area) }
        let requests = environment.registry.evaluator.requirements(stored.plan, areas: environment.areas, measures: environment.measures)
        let lastRun = try await environment.store.fetchRuns(limit: 1).first
        var rows: [[String: Any]] = []
        for need in requests {
            let definition = environment.measures[need.measure]
            // Where the scheduled fetch gets the series, and whether its last try of that table failed.
            let tables = (definition?.origins ?? []).filter { $0.covers(need.dimensions) }.map(\.table)
            let failed = tables.contains { table in lastRun?.errors.contains { $0.hasPrefix(table + ":") } == true }
            for code in need.areas.sorted() {
                let found = try await environment.store.observations(
                    ObservationQuery(measure: need.measure, areas: [code], dimensions: need.dimensions))
                rows.append([
                    "measure": definition?.name ?? need.measure,
                    "selection": Self.selectionLabel(need.dimensions, year: year),
                    "kind": definition.map { $0.kindDescription(environment.measures).capitalizedFirst() } ?? "–",
                    "area": environment.areas[code].map { LabourMarket.areaName($0) } ?? code.rawValue,
                    // A derived measure is computed from its inputs (listed too), never stored: not missing.
                    "present": !found.isEmpty, "computed": definition?.kind == .derived && found.isEmpty, "count": found.count,
                    "latest": found.map(\.period).max()?.danishLabel ?? "–", "source": definition?.source ?? "–",
                    "fetched": tables.isEmpty ? "" : "hentes: " + tables.joined(separator: ", "), "fetchFailed": failed,
                ])
            }
        }
        let fetch = try await fetchStatus()
        let local = try await localSeries(stored.plan, area: area)
        let values = PageModels.present([
            "localSeries": local, "hasLocal": !local.isEmpty, "saved": saved,
            "localAddress": "/kommuner/\(area.slug)/\(year)/data/egne-tal",
            "templateAddress": "/kommuner/\(area.slug)/\(year)/data/skabelon.csv",
            "fetch": fetch,
            "rows": rows, "total": rows.count, "missingCount": rows.filter { $0["present"] as? Bool == false && $0["computed"] as? Bool != true }.count, "slug": area.slug,
            "canUpload": Self.may(.editor, context),
            "uploadAddress": "/kommuner/\(area.slug)/\(year)/data/upload", "mappings": mappingOptions(selected: nil),
            "maxSize": Self.megabytes(importSize), "problem": problem,
        ])
        return renderer.render("data", values, page: frame(context, area, year, current: "data"), status: status)
    }

    /// The kommune's own series the plan reads, each with a field per period (the stored value in
    /// Danish notation, if there is one), for the form that types them in.
    private func localSeries(_ plan: Plan, area: Area) async throws -> [[String: Any]] {
        var result: [[String: Any]] = []
        let figures = LocalFigures(environment)
        for (i, series) in figures.series(plan).enumerated() {
            let stored = try await figures.stored(series, kommune: area.code)
            let unit = environment.measures[series.measure]?.unit
            result.append([
                "name": series.name, "office": series.office, "selection": Self.selectionLabel(series.dimensions, year: plan.year),
                "periods": series.periods.enumerated().map { j, period in
                    [
                        "label": period.danishLabel, "field": "v|\(series.id)|\(period)", "id": "egne-\(i)-\(j)",
                        "value": stored[period].map { DanishNumber.format($0, decimals: LocalFigures.decimals($0)) } ?? "",
                        "unit": unit?.label ?? "",
                    ] as [String: Any]
                },
            ])
        }
        return result
    }

    /// A series' dimension values in Danish words (`kontanthjælp`), never `key=value`.
    static func selectionLabel(_ dimensions: [String: String], year: Int) -> String {
        let catalog = DimensionCatalog.standard
        return dimensions.sorted { $0.key < $1.key }.map { key, value in
            (key == "ydelse" ? catalog.ydelsesgruppe(value)?.label(in: year) : nil)
                ?? catalog.values(of: key)?.first { $0.id == value }?.label ?? value
        }.joined(separator: ", ")
    }

    /// `GET …/data/skabelon.csv`: the template of the kommune's own figures, as Danish Excel reads it.
    func template(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let (year, stored) = try await currentPlan(context, area) else { return missingPlan(context, area) }
        let text = LocalFigures(environment).template(stored.plan)
        var headers = PageRenderer.securityHeaders
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"egne-tal-\(area.slug)-\(year).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `POST …/data/egne-tal`: the typed-in figures (Danish notation) saved as one import; a figure
    /// that does not read as a number saves nothing and says which.
    func saveLocalFigures(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let (_, stored) = try await currentPlan(context, area) else { return missingPlan(context, area) }
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: context.maxUploadSize))
        let fields = (try? URLEncodedFormDecoder().decode([String: String].self, from: body)) ?? [:]
        let series = Dictionary(LocalFigures(environment).series(stored.plan).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
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
        values = try await LocalFigures(environment).changed(values, plan: stored.plan)
        guard !values.isEmpty else {
            return try await dataPage(context, problem: "Ingen tal er ændret; intet blev gemt.", status: .unprocessableContent)
        }
        let summary = try await LocalFigures(environment).save(
            values, plan: stored.plan, comment: String((fields["kilde"] ?? "").prefix(200)),
            actor: context.caller?.account.username ?? "-")
        // Post, then redirect: a reload shows the page, it does not save again.
        return PageRenderer.redirect(
            "/kommuner/\(area.slug)/\(stored.plan.year)/data?gemt=\(summary.result.observations)&erstattet=\(summary.result.replaced)#egne-tal")
    }

    /// The scheduled fetch, for the data page:    /// The scheduled fetch, for the data page: the last run (when, how it went, what failed) and
    /// the next; `nil` when none is scheduled and none has run.
    private func fetchStatus() async throws -> [String: Any]? {
        let last = try await environment.store.fetchRuns(limit: 1).first
        guard last != nil || fetchInterval != nil else { return nil }
        var status: [String: Any] = ["scheduled": fetchInterval != nil]
        if let fetchInterval {
            let hours = Double(fetchInterval.components.seconds) / 3600
            status["every"] = hours == 24 ? "dagligt" : "hver \(DanishNumber.format(hours, decimals: hours == hours.rounded() ? 0 : 1)). time"
            status["next"] = FetchScheduler.next(after: last, interval: fetchInterval).map(Self.danishTime) ?? "snart"
        }
        if let last, let started = ISO8601DateFormatter.withFractions.date(from: last.startedAt) {
            status["last"] = [
                "when": Self.danishTime(started), "imported": last.requests - last.failures, "requests": last.requests,
                "errors": last.errors, "failed": last.failures > 0,
            ] as [String: Any]
        }
        return status
    }

    /// `2. december 2026 kl. 01.14` (the server's time zone).
    static func danishTime(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: .current, from: date)
        let day = Day(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
        return day.danishText + String(format: " kl. %02d.%02d", c.hour ?? 0, c.minute ?? 0)
    }

    // MARK: Uploading a file

    /// `POST …/data/upload`: the file arrives, is read once for its preview (and tried without
    /// writing, when it can be), and waits on its own page for the user to import it.
    func upload(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let year = context.parameters.get("year", as: Int.self), let owner = context.caller?.account.username else {
            return missingPlan(context, area)
        }
        let received: (upload: Upload?, mapping: String?, fields: [String: String])
        do {
            received = try await Upload.receiveForm(request, limit: importSize)
        } catch let problem as Problem {
            return try await dataPage(context, problem: problem.detail ?? problem.title, status: .init(code: problem.status))
        }
        guard let upload = received.upload else {
            return try await dataPage(context, problem: "Vælg den fil, der skal importeres.", status: .badRequest)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: upload.path)[.size] as? Int64) ?? 0
        let mappingName = received.fields["mapping"].flatMap { $0.isEmpty ? nil : $0 }
        let preview = await Self.preview(upload, mappingName: mappingName, environment, area: area)
        let id = await uploads.add { id in
            PendingUploads.Entry(
                id: id, upload: upload, mappingName: mappingName, owner: owner, kommune: area.code, year: year, size: size,
                created: Date(), preview: preview)
        }
        return PageRenderer.redirect("/kommuner/\(area.slug)/\(year)/data/upload/\(id)")
    }

    /// `GET …/data/upload/{id}`: the preview, or what the import wrote.
    func uploadPage(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard let entry = await pendingUpload(context, area) else { return uploadGone(context, area) }
        return renderer.render("upload", uploadValues(entry, area), page: frame(context, area, entry.year, current: "data"))
    }

    /// `POST …/data/upload/{id}`: another mapping (chosen or uploaded) and a new preview, or the import.
    func changeUpload(_ request: Request, context: ServerContext) async throws -> Response {
        let area = try kommune(context)
        guard var entry = await pendingUpload(context, area), entry.imported == nil else { return uploadGone(context, area) }
        let address = "/kommuner/\(area.slug)/\(entry.year)/data/upload/\(entry.id)"
        // While it is imported, the page shows that; a second click changes nothing.
        guard !entry.importing else { return PageRenderer.redirect(address) }
        let fields: [String: String]
        do {
            // Only the mapping may come as a file here: the statistics file is already on the server.
            let received = try await Upload.receiveForm(request, limit: 1 << 20)
            received.upload?.remove()
            fields = received.fields
            if let mapping = received.mapping {
                entry.upload.mapping = mapping
                entry.mappingName = nil
            } else if let name = fields["mapping"], !name.isEmpty {
                entry.mappingName = name
                entry.upload.mapping = nil
            }
        } catch let problem as Problem {
            var values = uploadValues(entry, area)
            values["problem"] = problem.detail ?? problem.title
            return renderer.render("upload", values, page: frame(context, area, entry.year, current: "data"), status: .init(code: problem.status))
        }
        if fields["action"] == "import" {
            guard await uploads.claimForImport(entry.id, owner: entry.owner) != nil else { return PageRenderer.redirect(address) }
            do {
                entry.imported = try await entry.upload.importFile(
                    environment, actor: context.caller?.account.username ?? "-", mappingName: entry.mappingName, dryRun: false,
                    onlyArea: area)
                entry.upload.remove()
            } catch let problem as Problem {
                entry.preview.dryRun = .failure(problem)
            } catch {
                entry.preview.dryRun = .failure(Problem(.unprocessableContent, "import-failed", title: "Filen kan ikke importeres", detail: String(describing: error)))
            }
            await uploads.finishImport(entry)
        } else {
            entry.preview = await Self.preview(entry.upload, mappingName: entry.mappingName, environment, area: area)
            await uploads.replace(entry)
        }
        return PageRenderer.redirect(address)
    }

    private func pendingUpload(_ context: ServerContext, _ area: Area) async -> PendingUploads.Entry? {
        guard let id = context.parameters.get("upload"), let owner = context.caller?.account.username,
            let entry = await uploads.entry(id, owner: owner), entry.kommune == area.code
        else { return nil }
        return entry
    }

    private func uploadGone(_ context: ServerContext, _ area: Area) -> Response {
        renderer.error(
            .notFound, heading: "Filen er her ikke længere",
            message: "En uploadet fil gemmes i en time, og kun for den, der uploadede den. Upload den igen fra datasiden.",
            page: frame(context, area))
    }

    /// Reads the file for its preview and, when a mapping is at hand or none is needed, imports
    /// it without writing: what an import would do.
    static func preview(_ upload: Upload, mappingName: String?, _ environment: AppEnvironment, area: Area) async -> PendingUploads.Preview {
        let inspection: Result<FileInspection, Problem>
        do {
            inspection = .success(try upload.inspect(environment))
        } catch let problem as Problem {
            inspection = .failure(problem)
        } catch {
            inspection = .failure(Problem(.unprocessableContent, "import-failed", title: "Filen kan ikke læses", detail: String(describing: error)))
        }
        var preview = PendingUploads.Preview(inspection: inspection)
        let needsMapping = (try? inspection.get().needsMapping) ?? true
        guard case .success = inspection, !needsMapping || upload.mapping != nil || mappingName != nil else { return preview }
        do {
            preview.dryRun = .success(try await upload.importFile(
                environment, actor: "-", mappingName: mappingName, dryRun: true, onlyArea: area))
        } catch let problem as Problem {
            preview.dryRun = .failure(problem)
        } catch {
            preview.dryRun = .failure(Problem(.unprocessableContent, "import-failed", title: "Filen kan ikke importeres", detail: String(describing: error)))
        }
        return preview
    }

    private func uploadValues(_ entry: PendingUploads.Entry, _ area: Area) -> [String: Any] {
        var values: [String: Any] = [
            "name": entry.upload.name, "size": Self.megabytes(entry.size),
            "address": "/kommuner/\(area.slug)/\(entry.year)/data/upload/\(entry.id)",
            "dataAddress": "/kommuner/\(area.slug)/\(entry.year)/data",
            "mappings": mappingOptions(selected: entry.mappingName),
            "mappingLabel": entry.upload.mapping != nil ? "den uploadede mapping" : entry.mappingName ?? "ingen",
        ]
        if let imported = entry.imported {
            values["imported"] = Self.summary(imported)
            return values
        }
        values["importing"] = entry.importing
        switch entry.preview.inspection {
        case .success(let inspection): values["inspection"] = Self.inspection(inspection)
        case .failure(let problem): values["problem"] = problem.detail ?? problem.title
        }
        switch entry.preview.dryRun {
        case .success(let summary)?:
            values["dryRun"] = Self.summary(summary)
            values["canImport"] = true
        case .failure(let problem)?:
            let errors = (problem.errors ?? []).filter { $0.line > 0 }
            values["dryRunProblem"] = PageModels.present([
                "title": problem.title, "detail": problem.detail, "hasErrors": !errors.isEmpty,
                "errors": errors.map { ["line": $0.line, "column": $0.column, "message": $0.message] },
            ])
        case nil:
            if case .success = entry.preview.inspection { values["needsMapping"] = true }
        }
        return values
    }

    /// The shipped and plugin mappings to choose from.
    func mappingOptions(selected: String?) -> [[String: Any]] {
        FileImporter.shippedMappingNames(environment).map { ["name": $0, "selected": $0 == selected] }
    }

    static func summary(_ s: FileImporter.Summary) -> [String: Any] {
        let r = s.result
        return PageModels.present([
            "kind": s.kind, "series": DanishNumber.format(Double(r.series)) + (r.series == 1 ? " talrække" : " talrækker"), "observations": DanishNumber.format(Double(r.observations)),
            "replaced": DanishNumber.format(Double(r.replaced)), "importID": r.importID,
            "skippedTotal": r.skipped.total > 0 ? DanishNumber.format(Double(r.skipped.total)) : nil,
            "skipped": r.skipped.sorted.map {
                ["count": DanishNumber.format(Double($0.count)), "reason": $0.reason, "line": $0.firstLine > 0 ? "linje \($0.firstLine)" : ""]
            },
        ])
    }

    /// `--inspect`'s preview, in words for the page.
    static func inspection(_ inspection: FileInspection) -> [String: Any] {
        switch inspection {
        case .feed:
            return ["kind": "beskplan-feed", "feed": true]
        case .sdmx(let i):
            return PageModels.present([
                "kind": i.kind.rawValue,
                "facts": [
                    ["label": "Datasæt", "value": i.datasetID ?? "–"], ["label": "Struktur", "value": i.structureRef ?? "–"],
                    ["label": "Opbygning", "value": i.layout == "flat" ? "flad (hver observation har hele nøglen)" : "serier"],
                    ["label": "Serier", "value": DanishNumber.format(Double(i.seriesCount))],
                    ["label": "Observationer", "value": DanishNumber.format(Double(i.observationCount))],
                    ["label": "Uden tal", "value": DanishNumber.format(Double(i.missingCount))],
                    ["label": "Perioder (\(i.timeComponent))", "value": periods(i.firstPeriod, i.lastPeriod)],
                ],
                "columns": i.components.map { c in
                    ["name": c.id, "values": codes(c.codes.map { ($0.code, $0.count) }, distinct: c.codes.count, more: false)]
                },
            ])
        case .table(let i):
            var facts: [[String: String]] = i.details.map { ["label": Self.detailLabels[$0.label] ?? $0.label, "value": $0.value] }
            facts += [
                ["label": "Talrækker", "value": DanishNumber.format(Double(i.seriesCount))],
                ["label": "Observationer", "value": DanishNumber.format(Double(i.observationCount))],
                ["label": "Uden tal", "value": DanishNumber.format(Double(i.missingCount))],
                ["label": "Perioder (\(i.timeComponent ?? "–"))", "value": periods(i.firstPeriod, i.lastPeriod)],
            ]
            return [
                "kind": i.format, "facts": facts,
                "columns": i.components.map { c in
                    ["name": c.id.clippedForMessage(60), "values": codes(c.values.map { ($0.value, $0.count) }, distinct: c.distinct, more: false)]
                },
            ]
        case .csv(let i):
            var facts = [
                ["label": "Tegnsæt", "value": i.encoding], ["label": "Skilletegn", "value": "'\(i.separator)'"],
                ["label": "Rækker", "value": DanishNumber.format(Double(i.rows))],
                ["label": "Perioder", "value": i.period.map { "\($0.column): \(periods($0.first, $0.last))" } ?? "ingen kolonne har kun perioder"],
            ]
            for column in i.columns {
                guard let areas = column.areas else { continue }
                var text = "\(DanishNumber.format(Double(areas.areas))) kendte områder, \(DanishNumber.format(Double(areas.nonAreas))) uden område (springes over)"
                if !areas.unknown.isEmpty {
                    text += "; ukendte, som afviser filen: " + areas.unknown.prefix(5).map { "'\($0.clippedForMessage(40))'" }.joined(separator: ", ")
                }
                facts.append(["label": "Områder i \(column.name.clippedForMessage(40))", "value": text])
            }
            return [
                "kind": "CSV", "facts": facts,
                "columns": i.columns.map { c in
                    ["name": c.name.clippedForMessage(60), "values": codes(c.values, distinct: c.distinct, more: c.more)]
                },
            ]
        }
    }

    /// The inspection's details in Danish.
    private static let detailLabels = [
        "title": "Titel", "encoding": "Tegnsæt", "languages": "Sprog i filen", "language": "Læst på sprog", "units": "Enheder", "decimals": "Decimaler",
        "variables": "Variable", "dataset": "Datasæt",
    ]

    private static func periods(_ first: Period?, _ last: Period?) -> String {
        guard let first, let last else { return "–" }
        return first == last ? first.danishLabel : "\(first.danishLabel) – \(last.danishLabel)"
    }

    /// The most frequent values of a column, each with how often it occurs.
    private static func codes(_ values: [(String, Int)], distinct: Int, more: Bool) -> String {
        let shown = values.prefix(8).map { "\($0.0.clippedForMessage(40)) (\(DanishNumber.format(Double($0.1))))" }.joined(separator: ", ")
        guard distinct > min(values.count, 8) else { return shown }
        return shown + ", … \(more ? "over " : "")\(DanishNumber.format(Double(distinct))) i alt"
    }

    private static func megabytes(_ bytes: Int64) -> String {
        bytes < 1_048_576 ? "\(DanishNumber.format(Double(bytes) / 1024, decimals: 1)) kB" : "\(DanishNumber.format(Double(bytes) / 1_048_576, decimals: 1)) MB"
    }
}
