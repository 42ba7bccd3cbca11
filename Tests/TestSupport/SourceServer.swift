import BeskplanCore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// A local stand-in for Statistikbanken and Jobindsats on 127.0.0.1, answering in the shapes the
/// real services use (DESIGN §13, SOURCES.md): `POST /v1/data` with Statistikbanken's CSV (`;`,
/// Danish texts, BOM, CRLF) and `GET /v1/tableinfo/{table}`; Jobindsats API version 3 with a
/// `Bearer` key: `/v3/tables`, `/v3/table/{id}` (periods, dimensions with id paths, measure
/// groups) and `/v3/data/{id}` (`{columns, rows}`, `null` for a suppressed cell), and errors as
/// `{code, cause, request_id}` (401, 422, 429). Its tables are the catalogue's; the figures are
/// made up from the request (SYNTHETIC). A test can script failures, rename or suppress an area,
/// and read every request it got.
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
        public let query: String
        public let authorization: String?
        public let body: String
    }

    private actor State {
        var failures: [Failure] = []
        var received: [Received] = []
        var renamed: [String: String] = [:]
        var suppressed: Set<String> = []
        var requestCount = 0

        func next() -> Failure? { failures.isEmpty ? nil : failures.removeFirst() }
        func add(_ failures: [Failure]) { self.failures += failures }
        func record(_ r: Received) { received.append(r) }
        func rename(_ name: String, to other: String) { renamed[name] = other }
        func suppress(_ name: String) { suppressed.insert(name) }
        func requestID() -> String {
            requestCount += 1
            return "req-\(requestCount)"
        }
    }

    private let state = State()
    public let key: String
    /// Names of the areas Statistikbanken's CSV prints, by DST code (the rest are answered by their code).
    static let names = ["707": "Norddjurs", "082": "Region Midtjylland", "000": "Hele landet", "820": "Vesthimmerlands", "081": "Region Nordjylland"]

    public init(key: String) { self.key = key }

    /// Fails the next requests, in order.
    public func fail(_ failures: Failure...) async { await state.add(failures) }

    /// Jobindsats names an area otherwise from now on (a source renaming a value).
    public func rename(area: String, to other: String) async { await state.rename(area, to: other) }

    /// Jobindsats suppresses every figure of an area (too few persons): `null` cells.
    public func suppress(area: String) async { await state.suppress(area) }

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
        router.get("/v3/tables") { request, context in try await self.jobindsats(request, context) { _ in (200, try Self.catalogue()) } }
        router.get("/v3/table/{table}") { request, context in
            try await self.jobindsats(request, context) { _ in try await self.tableInfo(context.parameters.get("table") ?? "") }
        }
        router.get("/v3/data/{table}") { request, context in
            try await self.jobindsats(request, context) { received in try await self.data(context.parameters.get("table") ?? "", query: received.query) }
        }
        // Version 2 is gone: a v2-style request gets what v3 gives a request without a Bearer key.
        router.post("/v2/data/{table}/json") { request, context in
            try await self.jobindsats(request, context) { _ in (401, try await self.problem(401, "Unauthorized")) }
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

    private func received(_ request: Request) async throws -> Received {
        let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
        let received = Received(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
            authorization: request.headers[.authorization], body: body)
        await state.record(received)
        return received
    }

    private func answer(
        _ request: Request, _ context: some RequestContext, _ make: (Received) async throws -> (Int, String, String)
    ) async throws -> Response {
        let received = try await received(request)
        var (status, type, text) = try await make(received)
        switch await state.next() {
        case .status(let code)?: (status, type, text) = (code, "text/plain", "scripted failure")
        case .truncated?: text = String(text.prefix(text.count / 2))
        case .html?: (type, text) = ("text/html", "<html><body><h1>Vedligeholdelse</h1></body></html>")
        case nil: break
        }
        return Response(status: .init(code: status), headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A Jobindsats v3 answer: the Bearer key first, then the scripted failures (errors in v3's shape).
    private func jobindsats(
        _ request: Request, _ context: some RequestContext, _ make: (Received) async throws -> (Int, String)
    ) async throws -> Response {
        let received = try await received(request)
        var (status, text): (Int, String)
        if received.authorization != "Bearer \(key)" {
            (status, text) = (401, try await problem(401, "Unauthorized: the API key is invalid or expired"))
        } else {
            (status, text) = try await make(received)
        }
        var type = "application/json"
        // Scripted failures are for the figures: a table's description is answered as it is.
        switch received.path.hasPrefix("/v3/data/") ? await state.next() : nil {
        case .status(let code)?:
            let cause = code == 429 ? "Too many requests" : code == 422 ? "Unknown period type: X" : "Service unavailable"
            (status, text) = (code, try await problem(code, cause))
        case .truncated?: text = String(text.prefix(text.count / 2))
        case .html?: (type, text) = ("text/html", "<html><body><h1>Vedligeholdelse</h1></body></html>")
        case nil: break
        }
        // Jobindsats' answers say when the table was updated (the stand-in: always the same day).
        return Response(
            status: .init(code: status), headers: [.contentType: type, .lastModified: "Tue, 11 Feb 2025 08:00:00 GMT"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func problem(_ code: Int, _ cause: String) async throws -> String {
        try Self.json(["code": code, "cause": cause, "request_id": await state.requestID()])
    }

    private static func json(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
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

    // MARK: Jobindsats' tables, from the catalogue

    /// What the stand-in publishes of one table.
    struct Table {
        let id: String
        /// Measure groups: name → measure names.
        var groups: [(name: String, measures: [String])] = []
        var hierarchies: Set<String> = []
    }

    /// Every Jobindsats table the catalogue names, with its measurements and hierarchies.
    static let tables: [String: Table] = {
        var tables: [String: Table] = [:]
        for measure in MeasureCatalog.standard.all {
            for origin in measure.origins ?? [] where origin.source == .jobindsats {
                var table = tables[origin.table] ?? Table(id: origin.table)
                let label = origin.measurement ?? measure.name
                let parts = label.components(separatedBy: ": ")
                let (group, name) = parts.count == 2 ? (parts[0], parts[1]) : ("Målinger", label)
                if let i = table.groups.firstIndex(where: { $0.name == group }) {
                    if !table.groups[i].measures.contains(name) { table.groups[i].measures.append(name) }
                } else {
                    table.groups.append((group, [name]))
                }
                table.hierarchies.formUnion((origin.variables ?? [:]).keys)
                tables[origin.table] = table
            }
        }
        return tables
    }()

    /// The values of the hierarchies the catalogue selects in, and the column each is answered in.
    static let hierarchyValues: [String: (column: String, values: [String])] = [
        "_ygrpa02": ("Ydelsesgrupper", ["Ydelsesgrupper i alt", "A-dagpenge", "Kontanthjælp", "Sygedagpenge", "Fleksjob"]),
        "_ygrpy30": ("Ydelsesgrupper", ["Ydelsesgrupper i alt", "A-dagpenge mv.", "Sygedagpenge mv.", "Kontanthjælp mv."]),
        "_viskat": ("Visitationskategori", ["Visitationskategori i alt", "Aktivitetsparat", "Uddannelsesparat", "Jobparat"]),
        "_viskat_1int": ("Visitationskategori", ["Visitationskategori i alt", "Aktivitetsparat", "Uddannelsesparat", "Jobparat"]),
        "_amstatus": ("Arbejdsmarkedsstatus", ["Job eller uddannelse", "Uddannelse", "Job"]),
        "_varighed": ("Varighed", ["Under 1 år", "5 år og derover"]),
    ]

    /// Area names as Jobindsats writes them: kommuner (Vesthimmerlands), regions, Hele landet.
    static let areaNames: (kommuner: [String], regions: [String]) = {
        let all = AreaCatalog.standard.all
        return (
            all.filter { $0.kind == .kommune }.map { $0.code == "820" ? "Vesthimmerlands" : $0.name },
            all.filter { $0.kind == .region }.map(\.name))
    }()

    /// The periods every table publishes: months to October 2026, quarters to the 3rd of 2026,
    /// years to 2025, rolling years (QMAT02 and QMAT04) to the 2nd quarter of 2026.
    static let periods: [String: [String]] = {
        let years = 2015...2026
        let months = years.flatMap { y in (1...12).map { String(format: "%dM%02d", y, $0) } }.filter { $0 <= "2026M10" }
        let quarters = years.flatMap { y in (1...4).map { "\(y)Q0\($0)" } }.filter { $0 <= "2026Q03" }
        let rolling = years.flatMap { y in ["\(y)QMAT02", "\(y)QMAT04"] }.filter { $0 <= "2026QMAT02" }
        return ["M": months, "Q": quarters, "Y": years.dropLast().map { "\($0)Y01" }, "QMAT": rolling]
    }()

    private static func catalogue() throws -> String {
        let tables = Self.tables.keys.sorted().map { id in
            [
                "table_id": id, "table_name": id, "update_freq": "Månedlig", "update_latest": "2026-11-15",
                "mgroups": Self.tables[id]!.groups.enumerated().map { ["mgroup_id": "m\($0.offset + 1)", "mgroup_name": $0.element.name] },
            ] as [String: Any]
        }
        return try json([["subject_name": "Alle", "table_groups": [["table_group_name": "Alle", "tables": tables]]]])
    }

    /// `/v3/table/{id}`: the table's periods, areas (with renames), hierarchies and measure groups.
    private func tableInfo(_ id: String) async throws -> (Int, String) {
        guard let table = Self.tables[id] else { return (404, try await problem(404, "Unknown table: \(id)")) }
        let renamed = await state.renamed
        func values(_ names: [String], start: Int) -> [[String: String]] {
            names.enumerated().map { ["value_id": "/\($0.offset + start)/", "value_name": renamed[$0.element] ?? $0.element] }
        }
        let area: [String: Any] = [
            "dimension_id": "_omrade", "dimension_name": "Område",
            "hierarchies": [
                ["hierarchy_id": "_nykom", "levels": [
                    ["level_id": "_land", "values": [["value_id": "/", "value_name": "Hele landet"]]],
                    ["level_id": "_kommune", "values": values(Self.areaNames.kommuner, start: 1)],
                ]],
                ["hierarchy_id": "_region", "levels": [["level_id": "_region", "values": values(Self.areaNames.regions, start: 1)]]],
            ],
        ]
        let others: [[String: Any]] = table.hierarchies.sorted().map { h in
            let (column, names) = Self.hierarchyValues[h] ?? (h, [])
            return ["dimension_id": h, "dimension_name": column, "hierarchies": [["hierarchy_id": h, "levels": [["level_id": h, "values": values(names, start: 1)]]]]]
        }
        let info: [String: Any] = [
            "table_id": id,
            "periods": Self.periods.sorted { $0.key < $1.key }.map { ["periodtype_id": $0.key, "values": $0.value.map { ["period_id": $0] }] },
            "dimensions": [area] + others,
            "mgroups": table.groups.enumerated().map { g in
                ["mgroup_id": "m\(g.offset + 1)", "mgroup_name": g.element.name,
                 "measures": g.element.measures.enumerated().map { ["measure_id": "m\(g.offset + 1)_\($0.offset + 1)", "measure_name": $0.element] }] as [String: Any]
            },
        ]
        return (200, try Self.json(info))
    }

    /// `/v3/data/{id}?hierarchy.…&period.…&mgroup.…`: a row per area, period and selected value.
    private func data(_ id: String, query: String) async throws -> (Int, String) {
        guard let table = Self.tables[id] else { return (404, try await problem(404, "Unknown table: \(id)")) }
        let renamed = await state.renamed
        let suppressed = await state.suppressed
        var areas: [String] = []
        var selected: [(column: String, values: [String])] = []
        var periods: [String] = []
        var measures: [(group: String, name: String)] = []
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            guard pair.count == 2 else { continue }
            let (name, value) = (pair[0], pair[1])
            if name == "hierarchy._nykom" || name == "hierarchy._region" {
                let names = name == "hierarchy._nykom" ? Self.areaNames.kommuner : Self.areaNames.regions
                for path in value.split(separator: ",") {
                    if path == "/" { areas.append("Hele landet"); continue }
                    guard let n = Int(path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))), names.indices.contains(n - 1) else {
                        return (422, try await problem(422, "Unknown value: \(path)"))
                    }
                    areas.append(renamed[names[n - 1]] ?? names[n - 1])
                }
            } else if name.hasPrefix("hierarchy.") {
                let h = String(name.dropFirst("hierarchy.".count))
                guard table.hierarchies.contains(h), let (column, all) = Self.hierarchyValues[h] else {
                    return (422, try await problem(422, "Unknown hierarchies: ['\(h)']"))
                }
                let chosen = value == "*" ? all : value.split(separator: ",").compactMap { path in
                    Int(path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))).flatMap { all.indices.contains($0 - 1) ? all[$0 - 1] : nil }
                }
                selected.append((column, chosen))
            } else if name.hasPrefix("period.") {
                let type = String(name.dropFirst("period.".count))
                guard let published = Self.periods[type] else { return (422, try await problem(422, "Unknown period type: \(type)")) }
                for code in value.split(separator: ",").map(String.init) {
                    guard published.contains(code) else { return (422, try await problem(422, "Unknown period: \(code)")) }
                    periods.append(code)
                }
            } else if name.hasPrefix("mgroup.") {
                let groupID = String(name.dropFirst("mgroup.".count))
                guard let g = Int(groupID.dropFirst()), table.groups.indices.contains(g - 1) else {
                    return (422, try await problem(422, "Unknown measure group: \(groupID)"))
                }
                let group = table.groups[g - 1]
                let ids = value == "*" ? Array(group.measures.indices) : value.split(separator: ",").compactMap { Int($0.split(separator: "_").last ?? "").map { $0 - 1 } }
                measures += ids.filter(group.measures.indices.contains).map { (group.name, group.measures[$0]) }
            }
        }
        guard !areas.isEmpty, !periods.isEmpty, !measures.isEmpty else {
            return (422, try await problem(422, "Select an area, a period and a measure"))
        }
        let columns = ["Periode", "Område"] + selected.map(\.column) + measures.map { "\($0.group): \($0.name)" }
        var combinations: [[String]] = [[]]
        for s in selected { combinations = combinations.flatMap { c in s.values.map { c + [$0] } } }
        var rows: [[Any]] = []
        for area in areas {
            for (i, period) in periods.enumerated() {
                for combination in combinations {
                    let cells: [Any] = measures.indices.map { m in
                        suppressed.contains(area) ? NSNull() : (1000 + Double(i * 10 + m) + 0.5) as Any
                    }
                    rows.append([period, area] + combination.map { $0 as Any } + cells)
                }
            }
        }
        return (200, try Self.json(["columns": columns, "rows": rows]))
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
