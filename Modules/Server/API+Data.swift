import AppSupport
import Foundation
import OpenAPIRuntime
import Spreadsheet
import Storage

/// Observations and imports.
extension API {
    func listObservations(_ input: Operations.ListObservations.Input) async throws -> Operations.ListObservations.Output {
        let q = input.query
        let query: ObservationQuery
        do {
            query = try ObservationRequest.query(
                environment, measure: q.measure, areas: q.area ?? [], dimensions: q.dim ?? [], from: q.from, to: q.to)
        } catch {
            throw Problem.badRequest(String(describing: error).clippedForMessage(300))
        }
        try Self.mayRead(query, caller: caller?.account, measures: environment.measures)
        let observations = try await ObservationService(environment).read(query)
        if q.format == .csv {
            let dimensions = environment.measures[query.measure]?.dimensions ?? []
            return .ok(.init(body: .csv(HTTPBody(ObservationRequest.csv(observations, dimensions: dimensions) + "\n"))))
        }
        if q.format == .xlsx {
            let table = FigureTables.observations(
                observations, measure: query.measure, definition: environment.measures[query.measure], areas: environment.areas,
                asOf: environment.clock.today)
            addHeader(.contentDisposition, "attachment; filename=\"\(query.measure).xlsx\"")
            return .ok(.init(body: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(HTTPBody(try Workbook.data([table])))))
        }
        return .ok(.init(body: .json(observations.map {
            .init(
                measure: $0.series.measure, area: $0.series.area.rawValue,
                dimensions: .init(additionalProperties: $0.series.dimensions), period: $0.period.description, value: $0.value)
        })))
    }

    /// Published figures are for every signed-in user; a kommune's own figures (typed in, uploaded,
    /// or computed from them) only for that kommune's users and the operator, one kommune named at a time.
    static func mayRead(_ query: ObservationQuery, caller: Account?, measures: MeasureCatalog) throws {
        guard measures.sourceKinds([query.measure]) != [.published] else { return }
        guard !query.areas.isEmpty else {
            throw Problem.forbidden("En kommunes egne tal læses for den kommune: angiv area.")
        }
        for area in query.areas {
            if case .forbidden(let why) = Access.decide(.kommune(.viewer), caller: caller, kommune: area) { throw Problem.forbidden(why) }
        }
    }

    func importNational(_ input: Operations.ImportNational.Input) async throws -> Operations.ImportNational.Output {
        let q = input.query
        return .ok(.init(body: .json(try await importUpload(
            input.body, filename: q.filename, format: q.format?.rawValue, mapping: q.mapping, dryRun: q.dryRun, onlyArea: nil))))
    }

    func importLocal(_ input: Operations.ImportLocal.Input) async throws -> Operations.ImportLocal.Output {
        let q = input.query
        return .ok(.init(body: .json(try await importUpload(
            input.body, filename: q.filename, format: q.format?.rawValue, mapping: q.mapping, dryRun: q.dryRun, onlyArea: try scope.area))))
    }

    /// An upload received to a temporary file, imported, and the file removed.
    private func importUpload(
        _ body: Components.RequestBodies.Upload, filename: String?, format: String?, mapping: String?, dryRun: Bool?, onlyArea: Area?
    ) async throws -> Components.Schemas.ImportSummary {
        let upload = try await Upload.receive(body, limit: limits.importSize, filename: filename)
        defer { upload.remove() }
        let summary = try await upload.importFile(
            environment, actor: caller?.account.username ?? "-", format: format, mappingName: mapping, dryRun: dryRun ?? false,
            onlyArea: onlyArea)
        let r = summary.result
        return .init(
            file: upload.name, kind: summary.kind, importId: r.importID, series: r.series, observations: r.observations,
            replaced: r.replaced, dryRun: r.dryRun,
            skipped: r.skipped.sorted.map { .init(reason: $0.reason, count: $0.count, firstLine: $0.firstLine) })
    }
}
