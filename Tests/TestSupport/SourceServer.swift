import Foundation
import Hummingbird
import Logging
import NIOCore

/// A local stand-in for Statistikbanken and Jobindsats on 127.0.0.1, answering like the real
/// services (DESIGN §13): `POST /v1/data` with Statistikbanken's CSV (`;`, Danish texts, BOM,
/// CRLF), `GET /v1/tableinfo/{table}`, and `POST /v2/data/{table}/json` with Jobindsats' JSON,
/// which needs the key in `Authorization`. The figures are made up from the request (SYNTHETIC).
/// A test can script failures for the next requests and read every request it got.
public final class SourceServer: Sendable {
    /// What the next request gets instead of its answer.
    public enum Failure: Sendable {
        case status(Int)
        /// The answer cut in half (its length says so: the connection is whole).
        case truncated
        /// An HTML page instead of the data.
        case html
    }

    /// One request as it arrived.
    public struct Received: Sendable {
        public let method: String
        public let path: String
        public let authorization: String?
        public let body: String
    }

    private actor State {
        var failures: [Failure] = []
        var received: [Received] = []

        func next() -> Failure? { failures.isEmpty ? nil : failures.removeFirst() }
        func add(_ failures: [Failure]) { self.failures += failures }
        func record(_ r: Received) { received.append(r) }
    }

    private let state = State()
    public let key: String
    /// Names of the areas it knows, by DST code (the rest are answered by their code).
    static let names = ["707": "Norddjurs", "082": "Region Midtjylland", "000": "Hele landet", "820": "Vesthimmerlands", "081": "Region Nordjylland"]

    public init(key: String) { self.key = key }

    /// Fails the next requests, in order.
    public func fail(_ failures: Failure...) async { await state.add(failures) }

    public var received: [Received] { get async { await state.received } }

    /// Runs the server on a free port of 127.0.0.1 while `body` runs.
    public func run<T: Sendable>(_ body: @Sendable (_ baseURL: String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/v1/data") { request, context in try await self.answer(request, context) { try await self.statistikbanken($0.body) } }
        router.get("/v1/tableinfo/{table}") { request, context in
            try await self.answer(request, context) { _ in
                (200, "application/json", #"{"id":"\#(context.parameters.get("table") ?? "")","updated":"2025-02-11T08:00:00"}"#)
            }
        }
        router.post("/v2/data/{table}/json") { request, context in
            try await self.answer(request, context) { received in
                // A wrong key is refused the way Jobindsats refuses it: in the body.
                guard received.authorization == self.key else { return (200, "application/json", #"{"Forkert nøgle eller nøglen er udløbet.":""}"#) }
                return try await self.jobindsats(received.body, table: context.parameters.get("table") ?? "")
            }
        }
        let port = PortBox()
        var logger = Logger(label: "source-server")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await port.set($0.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService() }
        defer { task.cancel() }
        let bound = await port.wait()
        return try await body("http://127.0.0.1:\(bound)")
    }

    private func answer(
        _ request: Request, _ context: some RequestContext, _ make: (Received) async throws -> (Int, String, String)
    ) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
        let received = Received(method: request.method.rawValue, path: request.uri.path, authorization: request.headers[.authorization], body: body)
        await state.record(received)
        var (status, type, text) = try await make(received)
        switch await state.next() {
        case .status(let code)?: (status, type, text) = (code, "text/plain", "scripted failure")
        case .truncated?: text = String(text.prefix(text.count / 2))
        case .html?: (type, text) = ("text/html", "<html><body><h1>Vedligeholdelse</h1></body></html>")
        case nil: break
        }
        // Jobindsats' answers say when the table was updated (the stand-in: always the same day).
        let headers: HTTPFields = received.path.hasPrefix("/v2/")
            ? [.contentType: type, .lastModified: "Tue, 11 Feb 2025 08:00:00 GMT"] : [.contentType: type]
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `{"table": …, "variables": [{"code", "values"}]}` → CSV with a row per combination.
    private func statistikbanken(_ body: String) async throws -> (Int, String, String) {
        guard let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let variables = json["variables"] as? [[String: Any]]
        else { return (400, "text/plain", "bad request") }
        let values = Dictionary(uniqueKeysWithValues: variables.compactMap { v in
            (v["code"] as? String).map { ($0, v["values"] as? [String] ?? []) }
        })
        var csv = "\u{FEFF}OMRÅDE;YDELSESTYPE;KØN;ALDER;TID;INDHOLD\r\n"
        for area in values["OMRÅDE"] ?? [] {
            for (i, time) in (values["TID"] ?? []).enumerated() {
                let value = 100 + (Int(area) ?? 0) % 50 + i
                csv += "\(Self.names[area] ?? area);Nettoledige kontanthjælpsmodtagere;I alt;Alder i alt;\(time);\(value)\r\n"
            }
        }
        return (200, "text/csv; charset=utf-8", csv)
    }

    /// `{"area", "period", "measurement"}` → Jobindsats' JSON; a wrong key gets its refusal.
    private func jobindsats(_ body: String, table: String) async throws -> (Int, String, String) {
        guard let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: [String]] else {
            return (400, "text/plain", "bad request")
        }
        let measurements = json["measurement"] ?? []
        var variables: [[String: String]] = [["Name": "Area", "Label": "Område"], ["Name": "Period", "Label": "Periode"]]
        if table == "y30r21" { variables.append(["Name": "Ydelsesgruppe", "Label": "Ydelsesgruppe"]) }
        variables += measurements.enumerated().map { ["Name": "\(table)_\($0.offset)", "Label": $0.element] }
        var rows: [[Any]] = []
        for area in json["area"] ?? [] {
            for (i, period) in (json["period"] ?? []).enumerated() {
                var row: [Any] = [area, period]
                if table == "y30r21" { row.append("Offentlig forsørgelse i alt") }
                row += measurements.enumerated().map { m in "\(1000 + i * 10 + m.offset),5" }
                rows.append(row)
            }
        }
        let answer: [[String: Any]] = [["Variables": variables, "Data": rows]]
        return (200, "application/json", String(decoding: try JSONSerialization.data(withJSONObject: answer), as: UTF8.self))
    }
}

/// The port the server bound, once it is bound.
private actor PortBox {
    private var port: Int?
    private var waiting: [CheckedContinuation<Int, Never>] = []

    func set(_ value: Int) {
        port = value
        for w in waiting { w.resume(returning: value) }
        waiting = []
    }

    func wait() async -> Int {
        if let port { return port }
        return await withCheckedContinuation { waiting.append($0) }
    }
}
