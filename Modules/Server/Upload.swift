import AppSupport
import Foundation
import Hummingbird
import MappingFormat
import MultipartKit
import OpenAPIRuntime

/// An uploaded file, streamed to a temporary file as it arrives (never whole in memory), with
/// the mapping sent beside it in a multipart upload.
struct Upload: Sendable {
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


extension Upload {
    /// The CLI's import of the uploaded file: all or nothing, the same summary. Errors are
    /// problems that name the upload's file name and line, never the server's temporary path.
    /// The mapping is the uploaded one, else a shipped one by `mappingName`.
    func importFile(
        _ environment: AppEnvironment, actor: String, format: String? = nil, mappingName: String?, dryRun: Bool, onlyArea: Area?
    ) async throws -> FileImporter.Summary {
        let importer = FileImporter(environment, actor: actor, onlyArea: onlyArea)
        let start = DispatchTime.now().uptimeNanoseconds
        var outcome = ServerMetrics.Outcome.refused
        defer { ServerMetrics.recordImport(outcome, since: start) }
        do {
            var chosen: ImportMapping?
            if let mapping {
                chosen = try MappingFile.parse(mapping, file: "mapping.yaml")
            } else if let mappingName {
                chosen = try FileImporter.namedMapping(mappingName, environment: environment)
            }
            let summary = try await importer.importFile(
                path, format: FileImporter.Format(rawValue: format ?? "auto") ?? .auto, mapping: chosen, dryRun: dryRun)
            outcome = dryRun ? .dryRun : .imported
            return summary
        } catch let error as ImportError {
            throw problem(error)
        } catch let error as MappingError {
            throw Problem(.unprocessableContent, "invalid-mapping", title: "Mappingen kan ikke bruges", detail: error.description)
        }
    }

    /// What the file holds, as `beskplan import --inspect` reads it.
    func inspect(_ environment: AppEnvironment) throws -> FileInspection {
        do {
            return try FileInspection.inspect(path, displayName: name, environment: environment)
        } catch let error as ImportError {
            throw problem(error)
        }
    }

    private func problem(_ error: ImportError) -> Problem {
        let file = error.file == path ? name : (error.file.hasPrefix("/") ? "mapping" : error.file)
        var problem = Problem(
            .unprocessableContent, "import-failed", title: "Filen kan ikke importeres; intet er gemt",
            detail: "\(file)\(error.line > 0 ? ", linje \(error.line)" : ""): \(error.message.replacingOccurrences(of: path, with: name))")
        problem.errors = [.init(line: error.line, column: error.column, message: error.message)]
        return problem
    }
}

// MARK: - A web form's upload

extension Upload {
    /// The most a form may send beside its file and mapping (fields, part headers, boundaries),
    /// and the most parts it may have: the upload forms have a handful of short fields.
    static let formTextLimit: Int64 = 64 << 10
    static let formPartLimit = 16

    /// A `multipart/form-data` form from a browser: the `file` part streams to a temporary file
    /// (at most `limit` bytes), a `mappingFile` part is the uploaded mapping (also the upload's),
    /// and every other part is a short text field — at most `formPartLimit` parts and
    /// `formTextLimit` bytes beside the file and mapping. A body that stops before its closing
    /// boundary is refused, as the API refuses it. Without a chosen file, the upload is `nil`.
    static func receiveForm(_ request: Request, limit: Int64) async throws -> (upload: Upload?, mapping: String?, fields: [String: String]) {
        guard let type = request.headers[.contentType], let boundary = boundary(type) else {
            throw Problem.badRequest("Formularen skal sendes som multipart/form-data.")
        }
        // Named apart from the API's uploads: these wait, for an hour at most, to be imported.
        let form = FormParts(path: FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-pending-\(UUID().uuidString)").path, limit: limit)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in form.header(name, value) }
        parser.onBody = { buffer in form.body(&buffer) }
        parser.onPartComplete = { form.complete() }
        let closing = Array("--\(boundary)--".utf8)
        var tail: [UInt8] = []
        var received: Int64 = 0
        do {
            for try await buffer in request.body {
                received += Int64(buffer.readableBytes)
                tail = Array((tail + buffer.readableBytesView).suffix(closing.count + 64))
                try parser.execute(buffer)
                if let failure = form.failure { throw failure }
                guard received - form.contentBytes <= formTextLimit, form.parts <= formPartLimit else {
                    throw Problem(.contentTooLarge, "too-large", title: "Formularen er for stor",
                                  detail: "Formularen har for mange eller for lange felter.")
                }
            }
            // The closing boundary, then at most line breaks: else the body was cut off.
            guard tail.reversed().drop(while: { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }).starts(with: closing.reversed())
            else { throw Problem.badRequest("Formularen blev ikke sendt helt; send den igen.") }
        } catch let problem as Problem {
            form.discard()
            throw problem
        } catch {
            form.discard()
            throw Problem.badRequest("Formularen kunne ikke læses; send den igen.")
        }
        guard let name = form.fileName else {
            form.discard()
            return (nil, form.mapping, form.fields)
        }
        guard form.written > 0 else {
            form.discard()
            throw Problem.badRequest("Den valgte fil er tom.")
        }
        return (Upload(path: form.path, name: cleanName(name), mapping: form.mapping), form.mapping, form.fields)
    }

    /// The boundary of a `multipart/form-data` content type.
    static func boundary(_ contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            let value = part.dropFirst("boundary=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty || value.count > 200 ? nil : value
        }
        return nil
    }
}

/// The parts of one form as they stream past the parser. Hand-written around MultipartKit's
/// streaming parser because its decoder would hold the whole file in memory.
private final class FormParts {
    let path: String
    let limit: Int64
    private(set) var fields: [String: String] = [:]
    private(set) var fileName: String?
    private(set) var mapping: String?
    private(set) var written: Int64 = 0
    /// The bytes of the file and the mapping: what the form's own limit leaves out.
    private(set) var contentBytes: Int64 = 0
    /// The parts read so far.
    private(set) var parts = 0
    private(set) var failure: Problem?

    private var partName: String?
    private var partFileName: String?
    private var text: [UInt8] = []
    private var handle: FileHandle?

    init(path: String, limit: Int64) {
        self.path = path
        self.limit = limit
    }

    func header(_ name: String, _ value: String) {
        guard name.lowercased() == "content-disposition" else { return }
        partName = Self.parameter("name", in: value)
        partFileName = Self.parameter("filename", in: value)
    }

    func body(_ buffer: inout ByteBuffer) {
        guard failure == nil, let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        if partName == "file" || partName == "mappingFile" { contentBytes += Int64(bytes.count) }
        switch partName {
        case "file":
            if handle == nil {
                guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
                    let opened = FileHandle(forWritingAtPath: path)
                else { return fail(Problem(.serviceUnavailable, "upload-failed", title: "Uploaden kunne ikke gemmes på serveren")) }
                handle = opened
                fileName = partFileName ?? "upload"
            }
            written += Int64(bytes.count)
            guard written <= limit else { return fail(Problem.tooLarge(limit: Int(clamping: limit))) }
            do { try handle?.write(contentsOf: bytes) } catch {
                fail(Problem(.serviceUnavailable, "upload-failed", title: "Uploaden kunne ikke gemmes på serveren", detail: "Serverens disk er måske fuld."))
            }
        case "mappingFile":
            text += bytes
            if text.count > 1 << 20 { fail(Problem.badRequest("En mapping må højst fylde 1 MB.")) }
        default:
            text += bytes
            if text.count > 4096 { fail(Problem.badRequest("Et felt i formularen er for langt.")) }
        }
    }

    func complete() {
        parts += 1
        switch partName {
        case "file":
            try? handle?.close()
            handle = nil
            // A form with no file chosen still sends the part, empty and with an empty file name.
            if written == 0, partFileName?.isEmpty ?? true { fileName = nil }
        case "mappingFile":
            if !text.isEmpty { mapping = String(decoding: text, as: UTF8.self) }
        case let name?:
            fields[name] = String(decoding: text, as: UTF8.self)
        case nil:
            break
        }
        partName = nil
        partFileName = nil
        text = []
    }

    func discard() {
        try? handle?.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    private func fail(_ problem: Problem) {
        if failure == nil { failure = problem }
    }

    /// `name="file"` in `form-data; name="file"; filename="x.csv"`.
    static func parameter(_ key: String, in value: String) -> String? {
        for part in value.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
