import Fetch
import Foundation
import Reports
import Testing
import TestSupport
@testable import AppSupport
import Storage

/// `beskplan fetch` against a local stand-in for Statistikbanken and Jobindsats (127.0.0.1):
/// what a plan asks for, what lands, and what a failure leaves behind — nothing.
@Suite("Fetching from the sources")
struct FetchTests {
    static let key = "nøgle-HEMMELIG-4711"
    /// Retries without waiting long.
    static let quick = Fetcher.Settings(attempts: 3, backoff: .milliseconds(20), timeout: .seconds(10))

    static func norddjurs(_ env: AppEnvironment) async throws -> Plan { try await plan(env, "norddjurs", 2024) }

    static func plan(_ env: AppEnvironment, _ kommune: String, _ year: Int) async throws -> Plan {
        let found = try await PlanService(env).currentOrBundled(try env.kommune(kommune), year: year)
        return try #require(found).plan
    }

    /// Every measure stored, with its areas.
    static func stored(_ env: AppEnvironment) async throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for measure in env.measures.all {
            let rows = try await env.store.observations(ObservationQuery(measure: measure.id))
            if !rows.isEmpty { result[measure.id] = Set(rows.map(\.series.area.rawValue)) }
        }
        return result
    }

    @Test("A plan's fetch asks each table once and brings exactly the series its rules read, for the kommune, region and country",
          arguments: [("norddjurs", 2024), ("vesthimmerland", 2020), ("samsoe", 2024)])
    func planFetch(kommune: String, year: Int) async throws {
        let env = try await AppEnvironment.open(database: .memory)
        let plan = try await Self.plan(env, kommune, year)
        let server = SourceServer(key: Self.key)
        let (outcomes, planned) = try await server.run { base in
            let service = FetchService(env, baseURLs: [.dst: base, .jobindsats: base])
            let planned = service.requests(for: plan).planned
            return (await service.run(planned, key: APIKey(Self.key), settings: Self.quick), planned)
        }
        #expect(outcomes.allSatisfy { $0.error == nil }, "\(outcomes.compactMap(\.error))")
        // One data request per table, and one description per Jobindsats table (names to ids, once a run).
        let received = await server.received
        #expect(received.filter { $0.path.hasPrefix("/v3/data/") || $0.path == "/v1/data" }.count == planned.count, "one request per table")
        #expect(received.filter { $0.path.hasPrefix("/v3/table/") }.count == Set(planned.compactMap(\.query?.table)).count)
        #expect(received.allSatisfy { !$0.path.contains("/v2/") })
        #expect(Set(planned.map(\.request.table)).count == planned.count)
        // What the rules read with a source, and nothing else, for the areas they compare.
        let needs = env.registry.evaluator.requirements(plan, areas: env.areas, measures: env.measures)
            .filter { need in env.measures[need.measure]?.origins?.contains { $0.covers(need.dimensions) } == true }
            .filter { need in
                // A measure that lies beyond what its tables publish yet (2026 and later) stays missing.
                need.periods.contains { p in env.measures[need.measure]?.origins?.contains { $0.publishes(p) && p.lastDay <= Day(year: 2026, month: 9, day: 30) } == true }
            }
        #expect(!needs.isEmpty)
        let stored = try await Self.stored(env)
        #expect(Set(needs.map(\.measure)).isSubset(of: Set(stored.keys)), "\(stored.keys.sorted()) vs \(needs.map(\.measure).sorted())")
        // Nothing is stored that no rule reads (the measures a table gives beside, such as a count's share, are not asked for).
        let read = Set(env.registry.evaluator.requirements(plan, areas: env.areas, measures: env.measures).map(\.measure))
        #expect(Set(stored.keys).isSubset(of: read), "\(Set(stored.keys).subtracting(read))")
        // A measure read in two selections (Vesthimmerland: i alt against the region, uddannelseshjælp alone) has the areas of both.
        let areas = Dictionary(needs.map { ($0.measure, Set($0.areas.map(\.rawValue))) }, uniquingKeysWith: { $0.union($1) })
        for (measure, wanted) in areas {
            #expect(stored[measure] == wanted, "\(measure): \(stored[measure] ?? [])")
        }
        // Norddjurs' resultatmål 1.1 reads the rolling year; the request asks for it by Jobindsats' name.
        if kommune == "norddjurs" {
            #expect(planned.contains { $0.request.table == "y30r21" })
            let sent = try #require(received.first { $0.path == "/v3/data/y30r21" })
            #expect(sent.query.contains("period.QMAT=2024QMAT04") && sent.query.contains("format=json"), "\(sent.query)")
        }
        let imports = try await env.store.auditLog(limit: 50, kommune: nil).filter { $0.action == "observations.import" }
        #expect(imports.count == planned.count, "one import, one transaction, per answer")
        // The follow-up report says when the figures were fetched and when the source updated them.
        #expect(try await env.store.fetchStamps().map(\.source).contains("fetch:jobindsats"))
        _ = try await env.store.savePlan(plan, author: "test")
        let report = try await ReportService(env).document(
            .followup, kommune: try env.kommune(kommune), year: year, asOf: Day(year: 2025, month: 3, day: 1))
        #expect("\(report.blocks)".contains("Tal hentet fra Jobindsats \(AppClock.system.today.danishText) (opdateret af kilden 11. februar 2025)."))
    }

    @Test("With every kommune (the comparison's rank), two plans reading one table ask it in the same request")
    func allKommuner() async throws {
        let env = try await AppEnvironment.open(database: .memory)
        let service = FetchService(env)
        let samsoe = service.requests(for: try await Self.plan(env, "samsoe", 2024), allKommuner: true).planned
        let y07a02 = try #require(samsoe.first { $0.request.table == "y07a02" })
        let areas = try #require(y07a02.query?.areas)
        #expect(areas.count == 98 + 5 + 1 && areas.contains("Vesthimmerlands") && areas.contains("Hele landet"))
        var other = try await Self.plan(env, "samsoe", 2024)
        other.kommune = "707"
        let norddjurs = service.requests(for: other, allKommuner: true).planned.first { $0.request.table == "y07a02" }
        #expect(norddjurs?.request == y07a02.request)
        #expect(service.requests(for: other).planned.first { $0.request.table == "y07a02" }?.request != y07a02.request)
    }

    @Test("The key travels in the Authorization header only: never in the address, an error, the audit log or the database")
    func keyStaysSecret() async throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-fetch-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        let env = try await AppEnvironment.open(database: .file(db))
        let plan = try await Self.norddjurs(env)
        let server = SourceServer(key: Self.key)
        let (good, bad) = try await server.run { base in
            let service = FetchService(env, baseURLs: [.dst: base, .jobindsats: base])
            let planned = service.requests(for: plan).planned.filter { $0.request.source == .jobindsats }
            let good = await service.run(planned, key: APIKey(Self.key), settings: Self.quick)
            let bad = await service.run(Array(planned.prefix(1)), key: APIKey(Self.key + "x"), settings: Self.quick)
            return (good, bad)
        }
        #expect(good.allSatisfy { $0.error == nil })
        let received = await server.received
        #expect(received.first?.authorization == "Bearer \(Self.key)", "the key reached the server as a Bearer token")
        #expect(received.allSatisfy { !$0.path.contains("HEMMELIG") && !$0.query.contains("HEMMELIG") && !$0.body.contains("HEMMELIG") })
        let refusal = try #require(bad.first?.error)
        #expect(refusal.contains("afviste API-nøglen (401)") && refusal.contains("BESKPLAN_JOBINDSATS_KEY"), "\(refusal)")
        #expect(refusal.contains("request id req-") && !refusal.contains("HEMMELIG"), "\(refusal)")
        let apiKey = try #require(APIKey(Self.key))
        var dumped = ""
        dump(apiKey, to: &dumped)
        #expect(!"\(apiKey)".contains("HEMMELIG") && !String(reflecting: apiKey).contains("HEMMELIG") && !dumped.contains("HEMMELIG"), "\(dumped)")
        let audit = try await env.store.auditLog(limit: 100, kommune: nil)
        #expect(!audit.isEmpty && audit.allSatisfy { !"\($0)".contains("HEMMELIG") })
        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: db + suffix))) ?? Data()
            #expect(bytes.range(of: Data("HEMMELIG".utf8)) == nil, "the key is in \(db + suffix)")
        }
    }

    @Test("A 429 is tried again and lands; three 503s, a cut-off answer or an HTML page land nothing, and say why")
    func failures() async throws {
        let env = try await AppEnvironment.open(database: .memory)
        let server = SourceServer(key: Self.key)
        let results = try await server.run { base in
            let service = FetchService(env, baseURLs: [.dst: base, .jobindsats: base])
            let one = [service.jobindsats(
                table: "ptv_a02", measurements: ["Antal fuldtidspersoner"], areas: ["Norddjurs", "Hele landet"], periods: [.month(2024, 1), .month(2024, 2)],
                hierarchies: ["_ygrpa02": ["Ydelsesgrupper i alt"]], mapping: "jobindsats-ptva02")]
            var results: [String: FetchService.Outcome] = [:]
            for (name, failures) in [("503", [SourceServer.Failure.status(503), .status(503), .status(503)]), ("truncated", [.truncated]), ("html", [.html])] {
                for f in failures { await server.fail(f) }
                results[name] = await service.run(one, key: APIKey(Self.key), settings: Self.quick).first
                let untouched = try await Self.stored(env).isEmpty
                #expect(untouched, "\(name) left the database as it was")
            }
            await server.fail(.status(429))
            results["429"] = await service.run(one, key: APIKey(Self.key), settings: Self.quick).first
            return results
        }
        #expect(results["503"]?.error?.contains("failed 3 times (last: 503") == true, "\(results["503"]?.error ?? "-")")
        #expect(results["truncated"]?.error?.contains("not JSON") == true, "\(results["truncated"]?.error ?? "-")")
        #expect(results["html"]?.error != nil && results["html"]?.summary == nil)
        #expect(results["429"]?.error == nil && results["429"]?.attempts == 2)
        #expect(try await Self.stored(env) == ["ydelse.fuldtidspersoner": ["707", "000"]])
        // Nothing listening: said at once, after the attempts, not after a long wait.
        let started = Date()
        let nowhere = FetchService(env, baseURLs: [.jobindsats: "http://127.0.0.1:9"])
        let refused = await nowhere.run(
            [nowhere.jobindsats(table: "ptv_a02", measurements: ["Antal fuldtidspersoner"], areas: ["Norddjurs"], periods: [.month(2024, 1)], mapping: "jobindsats-ptva02")],
            key: APIKey(Self.key), settings: Self.quick)
        #expect(refused.first?.error?.contains("failed 3 times (last: the connection was refused)") == true, "\(refused.first?.error ?? "-")")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("Jobindsats v3: names resolved once per run; a renamed value names the table, the dimension and the nearest names")
    func renamedValue() async throws {
        let env = try await AppEnvironment.open(database: .memory)
        let plan = try await Self.norddjurs(env)
        let server = SourceServer(key: Self.key)
        await server.rename(area: "Norddjurs", to: "Norddjurs Kommune")
        let outcomes = try await server.run { base in
            let service = FetchService(env, baseURLs: [.dst: base, .jobindsats: base])
            return await service.run(service.requests(for: plan).planned.filter { $0.query != nil }, key: APIKey(Self.key), settings: Self.quick)
        }
        let error = try #require(outcomes.first?.error)
        #expect(error.contains("tabel") && error.contains("har ikke 'Norddjurs' i dimensionen _omrade"), "\(error)")
        #expect(error.contains("nærmeste navne: 'Norddjurs Kommune'"), "\(error)")
        #expect(await server.received.allSatisfy { !$0.path.hasPrefix("/v3/data/") }, "nothing is asked by a name the table does not have")
        #expect(try await Self.stored(env).isEmpty)
    }

    @Test("Jobindsats v3: periods not published yet are left out; a request with none published is neither sent nor a failure")
    func notYetPublished() async throws {
        let env = try await AppEnvironment.open(database: .memory)
        let server = SourceServer(key: Self.key)
        let outcomes = try await server.run { base in
            let service = FetchService(env, baseURLs: [.jobindsats: base])
            // The stand-in publishes months to 2026M10.
            func asking(_ periods: [Period]) -> FetchService.Planned {
                service.jobindsats(
                    table: "ptv_a02", measurements: ["Antal fuldtidspersoner"], areas: ["Norddjurs"], periods: periods,
                    hierarchies: ["_ygrpa02": ["Ydelsesgrupper i alt"]], mapping: "jobindsats-ptva02")
            }
            return await service.run(
                [asking([.month(2026, 10), .month(2026, 11)]), asking([.month(2027, 1), .month(2027, 2)])],
                key: APIKey(Self.key), settings: Self.quick)
        }
        #expect(outcomes[0].summary != nil && outcomes[0].unpublished == [.month(2026, 11)] && !outcomes[0].notYetPublished)
        #expect(outcomes[1].summary == nil && outcomes[1].error == nil && outcomes[1].notYetPublished)
        let tally = FetchService.Tally(outcomes)
        #expect(tally.requests == 1 && tally.failed == 0 && tally.failures.isEmpty && tally.notYetPublished == ["ptv_a02"])
        #expect(await server.received.filter { $0.path.hasPrefix("/v3/data/") }.count == 1, "nothing is asked for what is not published")
        #expect(try await Self.stored(env) == ["ydelse.fuldtidspersoner": ["707"]])
    }

    @Test("Jobindsats v3: a suppressed cell (null) is counted, not stored as 0; a 422 is said in Danish with its request id; a v2 address is refused unsent")
    func v3Answers() async throws {
        let env = try await AppEnvironment.open(database: .memory)
        let server = SourceServer(key: Self.key)
        await server.suppress(area: "Norddjurs")
        let (suppressed, refused, old) = try await server.run { base in
            let service = FetchService(env, baseURLs: [.jobindsats: base])
            let one = [service.jobindsats(
                table: "ptv_a02", measurements: ["Antal fuldtidspersoner"], areas: ["Norddjurs", "Hele landet"], periods: [.month(2024, 1)],
                hierarchies: ["_ygrpa02": ["Ydelsesgrupper i alt"]], mapping: "jobindsats-ptva02")]
            let suppressed = await service.run(one, key: APIKey(Self.key), settings: Self.quick)
            await server.fail(.status(422))
            let refused = await service.run(one, key: APIKey(Self.key), settings: Self.quick)
            let v2 = FetchService(env, baseURLs: [.jobindsats: base + "/v2"])
            let old = await v2.run([v2.jobindsats(table: "ptv_a02", measurements: ["Antal fuldtidspersoner"], areas: ["Norddjurs"], periods: [.month(2024, 1)], mapping: "jobindsats-ptva02")], key: APIKey(Self.key), settings: Self.quick)
            return (suppressed, refused, old)
        }
        let summary = try #require(suppressed.first?.summary, "\(suppressed.first?.error ?? "-")")
        #expect("\(summary.result.skipped)".contains("suppressed by the source") && summary.result.skipped.total == 1, "\(summary.result.skipped)")
        #expect(try await Self.stored(env) == ["ydelse.fuldtidspersoner": ["000"]], "Norddjurs' suppressed figure is not a 0")
        let error = try #require(refused.first?.error)
        #expect(error.contains("Jobindsats afviste") && error.contains("(422)") && error.contains("Unknown period type") && error.contains("request id req-"), "\(error)")
        #expect(old.first?.error?.contains("version 2 blev lukket") == true && old.first?.error?.contains("version 3") == true, "\(old.first?.error ?? "-")")
        #expect(await server.received.allSatisfy { !$0.path.contains("/v2/") }, "a v2 address is never sent")
    }

    @Test("Statistikbanken: a request over the cell limit is split, each part imported; the CSV reads through the shipped mapping")
    func statistikbanken() async throws {
        let env = try await AppEnvironment.open(database: .memory)
        let server = SourceServer(key: Self.key)
        let variables: [(code: String, values: [String])] = [
            ("OMRÅDE", ["707", "082", "000"]), ("YDELSESTYPE", ["*"]), ("KØN", ["TOT"]), ("ALDER", ["TOT"]),
            ("TID", ["2024K1", "2024K2", "2024K3", "2024K4"]),
        ]
        let requests = Statistikbanken.dataRequests(table: "AUK01", variables: variables, limit: 6)
        #expect(requests.count == 2 && requests.allSatisfy { $0.summary.contains("(6 cells)") })
        let outcomes = try await server.run { base in
            let service = FetchService(env, baseURLs: [.dst: base])
            let planned = Statistikbanken.dataRequests(table: "AUK01", variables: variables, baseURL: base, limit: 6).map {
                FetchService.Planned(request: $0, mapping: "dst-auk01", measurements: nil, query: nil)
            }
            return await service.run(planned, key: nil, settings: Self.quick)
        }
        #expect(outcomes.allSatisfy { $0.error == nil }, "\(outcomes.compactMap(\.error))")
        let rows = try await env.store.observations(ObservationQuery(measure: "kontanthjaelp.nettoledige_fuldtidspersoner"))
        #expect(rows.count == 12 && Set(rows.map(\.series.area.rawValue)) == ["707", "082", "000"])
        #expect(await server.received.allSatisfy { $0.authorization == nil }, "Statistikbanken gets no key")
        #expect(await server.received.filter { $0.path == "/v1/tableinfo/AUK01" }.count == 1, "the table's description, asked once")
        #expect(try await env.store.fetchStamps().first?.published == "2025-02-11T08:00:00")
    }
}
