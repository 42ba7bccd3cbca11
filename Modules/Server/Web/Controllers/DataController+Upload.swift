import AppSupport
import CSVImport
import Foundation
import HTTPTypes
import Hummingbird
import XMLImport

/// A kommune's own file uploaded, previewed and imported — without JavaScript (a multipart
/// form), with a progress bar where script runs.
extension DataController {
    /// `POST …/data/upload`: the file arrives, is read once for its preview (and tried without
    /// writing, when it can be), and waits on its own page for the user to import it.
    @Sendable func upload(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard let year = context.parameters.get("year", as: Int.self), let owner = context.caller?.account.username else {
            return pages.missingPlan(context, scope)
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
        let preview = await Self.preview(upload, mappingName: mappingName, environment, area: scope.area)
        let created = environment.clock.now
        let id: String
        do {
            id = try await uploads.add { id in
                PendingUploads.Entry(
                    id: id, upload: upload, mappingName: mappingName, owner: owner, kommune: scope.code, year: year, size: size,
                    created: created, preview: preview)
            }
        } catch {
            upload.remove()
            return try await dataPage(context, problem: "Filen kunne ikke gemmes på serveren; prøv igen.", status: .serviceUnavailable)
        }
        return PageRenderer.redirect("/kommuner/\(scope.area.slug)/\(year)/data/upload/\(id)")
    }

    /// `GET …/data/upload/{id}`: the preview, or what the import wrote.
    @Sendable func uploadPage(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard var entry = await pendingUpload(context, scope) else { return uploadGone(context, scope) }
        if entry.preview == nil, entry.imported == nil {
            // Uploaded through another process: this one reads the shared file for its own preview.
            entry.preview = await Self.preview(entry.upload, mappingName: entry.mappingName, environment, area: scope.area)
            await uploads.remember(entry)
        }
        return pages.renderer.render("upload", uploadView(entry, scope), page: pages.frame(context, scope, entry.year, current: .data))
    }

    /// `POST …/data/upload/{id}`: another mapping (chosen or uploaded) and a new preview, or the import.
    @Sendable func changeUpload(_ request: Request, context: ServerContext) async throws -> Response {
        let scope = try pages.scope(context)
        guard var entry = await pendingUpload(context, scope), entry.imported == nil else { return uploadGone(context, scope) }
        let address = "/kommuner/\(scope.area.slug)/\(entry.year)/data/upload/\(entry.id)"
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
            var view = uploadView(entry, scope)
            view.problem = problem.detail ?? problem.title
            return pages.renderer.render(
                "upload", view, page: pages.frame(context, scope, entry.year, current: .data), status: .init(code: problem.status))
        }
        if fields["action"] == "import" {
            guard await uploads.claimForImport(entry.id, owner: entry.owner) != nil else { return PageRenderer.redirect(address) }
            do {
                entry.imported = try await entry.upload.importFile(
                    environment, actor: PageSupport.actor(context), mappingName: entry.mappingName, dryRun: false, onlyArea: scope.area)
                entry.upload.remove()
            } catch let problem as Problem {
                entry.importFailure = problem
            } catch {
                entry.importFailure = Problem(
                    .unprocessableContent, "import-failed", title: "Filen kan ikke importeres", detail: String(describing: error))
            }
            try await uploads.finishImport(entry)
        } else {
            entry.preview = await Self.preview(entry.upload, mappingName: entry.mappingName, environment, area: scope.area)
            try await uploads.replace(entry)
        }
        return PageRenderer.redirect(address)
    }

    private func pendingUpload(_ context: ServerContext, _ scope: KommuneScope) async -> PendingUploads.Entry? {
        guard let id = context.parameters.get("upload"), let owner = context.caller?.account.username,
            let entry = await uploads.entry(id, owner: owner), entry.kommune == scope.code
        else { return nil }
        return entry
    }

    private func uploadGone(_ context: ServerContext, _ scope: KommuneScope) -> Response {
        pages.renderer.error(
            .notFound, heading: "Filen er her ikke længere",
            message: "En uploadet fil gemmes i en time, og kun for den, der uploadede den. Upload den igen fra datasiden.",
            page: pages.frame(context, scope))
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
            preview.dryRun = .success(try await upload.importFile(environment, actor: "-", mappingName: mappingName, dryRun: true, onlyArea: area))
        } catch let problem as Problem {
            preview.dryRun = .failure(problem)
        } catch {
            preview.dryRun = .failure(Problem(.unprocessableContent, "import-failed", title: "Filen kan ikke importeres", detail: String(describing: error)))
        }
        return preview
    }

    private func uploadView(_ entry: PendingUploads.Entry, _ scope: KommuneScope) -> UploadView {
        var view = UploadView(
            name: entry.upload.name, size: Self.megabytes(entry.size),
            address: "/kommuner/\(scope.area.slug)/\(entry.year)/data/upload/\(entry.id)",
            dataAddress: "/kommuner/\(scope.area.slug)/\(entry.year)/data", mappings: mappingOptions(selected: entry.mappingName),
            mappingLabel: entry.upload.mapping != nil ? "den uploadede mapping" : entry.mappingName ?? "ingen")
        if let imported = entry.imported {
            view.imported = ImportSummaryView(imported)
            return view
        }
        view.importing = entry.importing
        switch entry.preview?.inspection {
        case .success(let inspection)?: view.inspection = InspectionView(inspection)
        case .failure(let problem)?: view.problem = problem.detail ?? problem.title
        case nil: break
        }
        if let failure = entry.importFailure {
            view.dryRunProblem = ProblemView(failure, locatedOnly: true)
            return view
        }
        switch entry.preview?.dryRun {
        case .success(let summary)?:
            view.dryRun = ImportSummaryView(summary)
            view.canImport = true
        case .failure(let problem)?:
            view.dryRunProblem = ProblemView(problem, locatedOnly: true)
        case nil:
            if case .success? = entry.preview?.inspection { view.needsMapping = true }
        }
        return view
    }
}

/// An uploaded file's page: what it holds, what an import would write, or what it wrote.
struct UploadView: Sendable {
    let name: String
    let size: String
    let address: String
    let dataAddress: String
    let mappings: [MappingOption]
    let mappingLabel: String
    var imported: ImportSummaryView?
    var importing = false
    var inspection: InspectionView?
    var problem: String?
    var dryRun: ImportSummaryView?
    var canImport = false
    var dryRunProblem: ProblemView?
    var needsMapping = false
}

/// What an import wrote (or a dry run would), in Danish numbers.
struct ImportSummaryView: Sendable {
    struct Skipped: Sendable {
        let count: String
        let reason: String
        let line: String?
    }

    let kind: String
    let series: String
    let observations: String
    let replaced: String
    let importID: Int64?
    let skippedTotal: String?
    let skipped: [Skipped]

    init(_ s: FileImporter.Summary) {
        let r = s.result
        kind = s.kind
        series = DanishNumber.format(Double(r.series)) + (r.series == 1 ? " talrække" : " talrækker")
        observations = DanishNumber.format(Double(r.observations))
        replaced = DanishNumber.format(Double(r.replaced))
        importID = r.importID
        skippedTotal = r.skipped.total > 0 ? DanishNumber.format(Double(r.skipped.total)) : nil
        skipped = r.skipped.sorted.map {
            Skipped(count: DanishNumber.format(Double($0.count)), reason: $0.reason, line: $0.firstLine > 0 ? "linje \($0.firstLine)" : nil)
        }
    }
}

/// `--inspect`'s preview, in words for the page.
struct InspectionView: Sendable {
    struct Fact: Sendable {
        let label: String
        let value: String
    }

    struct Column: Sendable {
        let name: String
        let values: String
    }

    let kind: String
    var feed = false
    var facts: [Fact] = []
    var columns: [Column] = []

    init(_ inspection: FileInspection) {
        switch inspection {
        case .feed:
            kind = "beskplan-feed"
            feed = true
        case .sdmx(let i):
            kind = i.kind.rawValue
            facts = [
                Fact(label: "Datasæt", value: i.datasetID ?? "–"), Fact(label: "Struktur", value: i.structureRef ?? "–"),
                Fact(label: "Opbygning", value: i.layout == "flat" ? "flad (hver observation har hele nøglen)" : "serier"),
                Fact(label: "Serier", value: DanishNumber.format(Double(i.seriesCount))),
                Fact(label: "Observationer", value: DanishNumber.format(Double(i.observationCount))),
                Fact(label: "Uden tal", value: DanishNumber.format(Double(i.missingCount))),
                Fact(label: "Perioder (\(i.timeComponent))", value: Self.periods(i.firstPeriod, i.lastPeriod)),
            ]
            columns = i.components.map { c in
                Column(name: c.id, values: Self.codes(c.codes.map { ($0.code, $0.count) }, distinct: c.codes.count, more: false))
            }
        case .table(let i):
            kind = i.format
            facts = i.details.map { Fact(label: Self.detailLabels[$0.label] ?? $0.label, value: $0.value) } + [
                Fact(label: "Talrækker", value: DanishNumber.format(Double(i.seriesCount))),
                Fact(label: "Observationer", value: DanishNumber.format(Double(i.observationCount))),
                Fact(label: "Uden tal", value: DanishNumber.format(Double(i.missingCount))),
                Fact(label: "Perioder (\(i.timeComponent ?? "–"))", value: Self.periods(i.firstPeriod, i.lastPeriod)),
            ]
            columns = i.components.map { c in
                Column(name: c.id.clippedForMessage(60), values: Self.codes(c.values.map { ($0.value, $0.count) }, distinct: c.distinct, more: false))
            }
        case .csv(let i):
            kind = "CSV"
            facts = [
                Fact(label: "Tegnsæt", value: i.encoding), Fact(label: "Skilletegn", value: "'\(i.separator)'"),
                Fact(label: "Rækker", value: DanishNumber.format(Double(i.rows))),
                Fact(label: "Perioder", value: i.period.map { "\($0.column): \(Self.periods($0.first, $0.last))" } ?? "ingen kolonne har kun perioder"),
            ]
            for column in i.columns {
                guard let areas = column.areas else { continue }
                var text = "\(DanishNumber.format(Double(areas.areas))) kendte områder, \(DanishNumber.format(Double(areas.nonAreas))) uden område (springes over)"
                if !areas.unknown.isEmpty {
                    text += "; ukendte, som afviser filen: " + areas.unknown.prefix(5).map { "'\($0.clippedForMessage(40))'" }.joined(separator: ", ")
                }
                facts.append(Fact(label: "Områder i \(column.name.clippedForMessage(40))", value: text))
            }
            columns = i.columns.map { c in
                Column(name: c.name.clippedForMessage(60), values: Self.codes(c.values, distinct: c.distinct, more: c.more))
            }
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
}
