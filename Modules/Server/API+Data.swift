import AppSupport
import Foundation
import MappingFormat
import OpenAPIRuntime

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
        let observations = try await environment.store.observations(query)
        if q.format == .csv {
            let dimensions = environment.measures[query.measure]?.dimensions ?? []
            return .ok(.init(body: .csv(HTTPBody(ObservationRequest.csv(observations, dimensions: dimensions) + "\n"))))
        }
        return .ok(.init(body: .json(observations.map {
            .init(
                measure: $0.series.measure, area: $0.series.area.rawValue,
                dimensions: .init(additionalProperties: $0.series.dimensions), period: $0.period.description, value: $0.value)
        })))
    }

    func importNational(_ input: Operations.ImportNational.Input) async throws -> Operations.ImportNational.Output {
        let q = input.query
        return .ok(.init(body: .json(try await importUpload(
            input.body, filename: q.filename, format: q.format?.rawValue, mapping: q.mapping, dryRun: q.dryRun, onlyArea: nil))))
    }

    func importLocal(_ input: Operations.ImportLocal.Input) async throws -> Operations.ImportLocal.Output {
        let q = input.query
        let area = try environment.kommune(input.path.kommune)
        return .ok(.init(body: .json(try await importUpload(
            input.body, filename: q.filename, format: q.format?.rawValue, mapping: q.mapping, dryRun: q.dryRun, onlyArea: area))))
    }

    /// An upload received to a temporary file, imported, and the file removed.
    private func importUpload(
        _ body: Components.RequestBodies.Upload, filename: String?, format: String?, mapping: String?, dryRun: Bool?, onlyArea: Area?
    ) async throws -> Components.Schemas.ImportSummary {
        let upload = try await Upload.receive(body, limit: limits.importSize, filename: filename)
        defer { upload.remove() }
        return try await runImport(upload, format: format, mapping: mapping, dryRun: dryRun ?? false, onlyArea: onlyArea)
    }

    /// The CLI's import of the uploaded file: all or nothing, the same summary; errors name the
    /// upload's file name and line, never the server's temporary path.
    private func runImport(
        _ upload: Upload, format: String?, mapping name: String?, dryRun: Bool, onlyArea: Area?
    ) async throws -> Components.Schemas.ImportSummary {
        let importer = FileImporter(environment, actor: caller?.account.username ?? "-", onlyArea: onlyArea)
        do {
            var mapping: ImportMapping?
            if let text = upload.mapping {
                mapping = try MappingFile.parse(text, file: "mapping.yaml")
            } else if let name {
                mapping = try FileImporter.namedMapping(name, environment: environment)
            }
            let summary = try await importer.importFile(
                upload.path, format: FileImporter.Format(rawValue: format ?? "auto") ?? .auto, mapping: mapping, dryRun: dryRun)
            let r = summary.result
            return .init(
                file: upload.name, kind: summary.kind, importId: r.importID, series: r.series, observations: r.observations,
                replaced: r.replaced, dryRun: r.dryRun,
                skipped: r.skipped.sorted.map { .init(reason: $0.reason, count: $0.count, firstLine: $0.firstLine) })
        } catch let error as ImportError {
            let file = error.file == upload.path ? upload.name : (error.file.hasPrefix("/") ? "mapping" : error.file)
            var problem = Problem(
                .unprocessableContent, "import-failed", title: "Filen kan ikke importeres; intet er gemt",
                detail: "\(file)\(error.line > 0 ? ", linje \(error.line)" : ""): \(error.message.replacingOccurrences(of: upload.path, with: upload.name))")
            problem.errors = [.init(line: error.line, column: error.column, message: error.message)]
            throw problem
        } catch let error as MappingError {
            throw Problem(.unprocessableContent, "invalid-mapping", title: "Mappingen kan ikke bruges", detail: error.description)
        }
    }
}

/// An uploaded file, streamed to a temporary file as it arrives (never whole in memory), with
/// the mapping sent beside it in a multipart upload.
struct Upload {
    let path: String
    let name: String
    var mapping: String?

    /// Removes the temporary file.
    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The file arrives as the whole body, or as the `file` part beside a `mapping` part.
    static func receive(_ body: Components.RequestBodies.Upload, limit: Int64, filename: String?) async throws -> Upload {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-upload-\(UUID().uuidString)").path
        var upload = Upload(path: path, name: cleanName(filename))
        do {
            switch body {
            case .binary(let binary):
                try await write(binary, to: path, limit: limit)
            case .multipartForm(let multipart):
                var sawFile = false
                for try await part in multipart {
                    switch part {
                    case .file(let file):
                        try await write(file.payload.body, to: path, limit: limit)
                        if filename == nil, let name = file.filename { upload = Upload(path: path, name: cleanName(name), mapping: upload.mapping) }
                        sawFile = true
                    case .mapping(let mapping):
                        upload.mapping = try await String(collecting: mapping.payload.body, upTo: 1 << 20)
                    case .undocumented:
                        break
                    }
                }
                guard sawFile else { throw Problem.badRequest("Uploaden mangler delen 'file' med statistikfilen.") }
            }
        } catch let problem as Problem {
            upload.remove()
            throw problem
        } catch {
            // The multipart body itself could not be read (a missing part, a broken boundary).
            upload.remove()
            throw Problem.badRequest("Uploaden kan ikke læses: send filen som hele indholdet, eller som multipart/form-data med delen 'file'.")
        }
        return upload
    }

    /// The last path component of what the client calls the file, for messages only.
    static func cleanName(_ name: String?) -> String {
        let last = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.prefix(100).map(Character.init))
        return clean.isEmpty ? "upload" : clean
    }

    /// Writes chunk by chunk; past `limit` bytes the upload stops with a 413.
    private static func write(_ body: HTTPBody, to path: String, limit: Int64) async throws {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw Problem(.serviceUnavailable, "upload-failed", title: "Uploaden kunne ikke gemmes på serveren") }
        defer { try? handle.close() }
        var written: Int64 = 0
        for try await chunk in body {
            written += Int64(chunk.count)
            guard written <= limit else { throw Problem.tooLarge(limit: Int(clamping: limit)) }
            do {
                try handle.write(contentsOf: chunk)
            } catch {
                throw Problem(.serviceUnavailable, "upload-failed", title: "Uploaden kunne ikke gemmes på serveren", detail: "Serverens disk er måske fuld.")
            }
        }
        guard written > 0 else { throw Problem.badRequest("Den uploadede fil er tom.") }
    }
}

