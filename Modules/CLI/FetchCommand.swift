import AppSupport
import ArgumentParser
import Fetch
import Foundation

/// `beskplan fetch`: figures from Statistikbanken's and Jobindsats' APIs, each answer imported
/// like a file, all or nothing.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch figures from Statistikbanken and Jobindsats and import them.",
        discussion: """
            beskplan fetch --plan KOMMUNE YEAR fetches every series the plan's targets read, for the kommune, its \
            region and the country, over the periods its rules read. beskplan fetch dst TABLE --var CODE=V1,V2 … \
            --mapping M and beskplan fetch jobindsats TABLE --measurement … --area … --period … --mapping M fetch one \
            table. Jobindsats needs a key: BESKPLAN_JOBINDSATS_KEY, or the key file docs/fetch.md describes. Each answer \
            is imported in one transaction; --dry-run lists the requests without sending them.
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "dst or jobindsats, then the table (or nothing, with --plan).")
    var words: [String] = []

    @Option(help: "A plan: KOMMUNE YEAR (code, slug or name, then the year).", transform: { $0 })
    var plan: String?

    @Option(name: .customLong("var"), help: "Statistikbanken: a variable's values, CODE=V1,V2 (repeatable; * for all).")
    var variables: [String] = []

    @Option(help: "Jobindsats: a measurement, as the table labels it (repeatable).")
    var measurement: [String] = []

    @Option(help: "Jobindsats: an area, as Jobindsats names it (repeatable).")
    var area: [String] = []

    @Option(help: "Jobindsats: a period, such as 2024M03, 2024Q04, 2024Y01 or 2024QMAT04 (repeatable).")
    var period: [String] = []

    @Option(help: "The mapping that reads the answer: a shipped name such as dst-auk01 or jobindsats-ptva02.")
    var mapping: String?

    @Option(help: "Statistikbanken's address (tests, mirrors, proxies).")
    var dstBaseURL: String?

    @Option(help: "Jobindsats' address, without the version (tests, mirrors, proxies); API version 3 is used.")
    var jobindsatsBaseURL: String?

    @Option(help: "Attempts per request before giving up (429, 5xx and dropped connections are tried again).")
    var attempts = 3

    @Option(help: "Seconds to wait before the first retry; each next wait is twice as long.")
    var backoff = 1.0

    @Flag(help: "With --plan: every kommune and region too, for the comparison page's ranking (not only the kommune, its region and the country).")
    var allKommuner = false

    @Flag(help: "List the requests, send nothing.")
    var dryRun = false

    mutating func validate() throws {
        guard backoff.isFinite, (0...60).contains(backoff) else { throw ValidationError("--backoff: expected seconds from 0 to 60") }
        guard (1...10).contains(attempts) else { throw ValidationError("--attempts: expected 1 to 10") }
        // `--plan KOMMUNE YEAR`: the year comes as the first free word.
        if plan != nil {
            guard words.count == 1, Int(words[0]) != nil else { throw ValidationError("--plan takes a kommune and a year: --plan norddjurs 2024") }
        } else {
            guard let source = words.first, ["dst", "jobindsats"].contains(source) else {
                throw ValidationError("say what to fetch: dst TABLE, jobindsats TABLE, or --plan KOMMUNE YEAR")
            }
            guard words.count == 2 else { throw ValidationError("name one table: beskplan fetch \(source) TABLE") }
            guard mapping != nil else { throw ValidationError("--mapping names how the answer is read (such as dst-auk01)") }
        }
    }

    func run() async throws {
        let env: AppEnvironment
        var cleanup: @Sendable () -> Void = {}
        if dryRun {
            (env, cleanup) = try await AppEnvironment.openScratchCopy(of: database.location)
        } else {
            env = try await database.environment()
        }
        defer { cleanup() }
        var baseURLs: [MeasureOrigin.Source: String] = [:]
        baseURLs[.dst] = dstBaseURL
        baseURLs[.jobindsats] = jobindsatsBaseURL
        let service = FetchService(env, baseURLs: baseURLs)
        let (planned, local) = try await requests(service, env)
        if dryRun || planned.isEmpty {
            // The kommune's own figures are no request: say who delivers each.
            for item in local {
                let name = env.measures[item.measure]?.name ?? item.measure
                let selection = item.dimensions.isEmpty ? "" : " (" + item.dimensions.sorted { $0.key < $1.key }.map(\.value).joined(separator: ", ") + ")"
                print("kommunens egne tal (\(item.office)): \(name)\(selection)")
            }
        }
        guard !planned.isEmpty else {
            if !local.isEmpty { return print("nothing to fetch: every figure the plan reads is the kommune's own (beskplan template makes the file to fill in)") }
            if plan != nil { return print("nothing to fetch: the plan's targets read no figures (each is assessed by a person)") }
            throw UserError("nothing to fetch: no series with a source that has an API")
        }
        if dryRun {
            print("\(planned.count) request\(planned.count == 1 ? "" : "s") (dry run: nothing sent)")
            for (i, item) in planned.enumerated() {
                print("\(i + 1). \(item.request.line)\n   read with \(item.mapping)")
                if let body = item.request.body { print("   body: \(String(decoding: body, as: UTF8.self))") }
            }
            return
        }
        let needsKey = planned.contains { $0.request.source == .jobindsats }
        let key = needsKey ? try APIKey.jobindsats() : nil
        let started = env.clock.now
        let outcomes = await service.run(
            planned, key: key, settings: .init(attempts: attempts, backoff: .milliseconds(Int(backoff * 1000)))
        ) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        for outcome in outcomes {
            if let summary = outcome.summary { print(ImportCommand.describe(summary)) }
            if !outcome.unpublished.isEmpty {
                let codes = outcome.unpublished.map(Jobindsats.periodCode)
                let which = codes.count == 1 ? codes[0] : "\(outcome.notYetPublished ? "any" : "\(codes.count)") of the periods asked for (\(codes.first!)–\(codes.last!))"
                let left = outcome.notYetPublished ? ": nothing to fetch from it" : ""
                FileHandle.standardError.write(Data("note: \(outcome.planned.request.table) does not publish \(which) yet\(left)\n".utf8))
            }
        }
        // Counted as the server's scheduled fetch counts a run.
        let tally = FetchService.Tally(outcomes)
        for failure in tally.failures { FileHandle.standardError.write(Data("error: \(failure.table): \(failure.message)\n".utf8)) }
        let seconds = env.clock.now.timeIntervalSince(started)
        let waiting = tally.notYetPublished.isEmpty ? "" : " (\(tally.notYetPublished.count) not sent: nothing they ask for is published yet)"
        print("\(tally.imported) of \(tally.requests) requests imported in \(String(format: "%.1f", seconds)) s\(waiting)")
        if tally.failed > 0 { throw ExitCode(1) }
    }

    private func requests(_ service: FetchService, _ env: AppEnvironment) async throws -> ([FetchService.Planned], [FetchService.Local]) {
        if let plan {
            let kommune = try env.kommune(plan)
            let year = Int(words[0])!
            guard let (found, stored) = try await PlanService(env).currentOrBundled(kommune, year: year) else {
                throw UserError("no plan for \(kommune.name) \(year): import one first (beskplan plan import FILE)")
            }
            if !stored { FileHandle.standardError.write(Data("note: no stored plan for \(kommune.name) \(year); using the one its plugin ships\n".utf8)) }
            let needs = service.requests(for: found, allKommuner: allKommuner)
            for u in needs.unsourced {
                let name = env.measures[u.measure]?.name ?? u.measure
                let selection = u.dimensions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                FileHandle.standardError.write(Data("note: no table in the catalogue publishes \(name) for \(selection); import it from a file\n".utf8))
            }
            return (needs.planned, needs.local)
        }
        let table = words[1]
        if words[0] == "dst" {
            let parsed = try variables.map { text -> (code: String, values: [String]) in
                let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw ValidationError("--var \(text): expected CODE=V1,V2") }
                return (parts[0], parts[1].split(separator: ",").map(String.init))
            }
            guard !parsed.isEmpty else { throw ValidationError("name the table's variables: --var OMRÅDE=707 --var TID=2024K1,2024K2") }
            return (service.dst(table: table, variables: parsed, mapping: mapping!), [])
        }
        guard !measurement.isEmpty, !area.isEmpty, !period.isEmpty else {
            throw ValidationError("Jobindsats needs --measurement, --area and --period")
        }
        let periods = try period.map { text -> Period in
            do { return try Period(parsing: text) } catch { throw ValidationError("--period \(text): \(error)") }
        }
        return ([service.jobindsats(table: table, measurements: measurement, areas: area, periods: periods, mapping: mapping!)], [])
    }
}
