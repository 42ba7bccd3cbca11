import Evaluation
import Fetch
import Foundation
import MappingFormat
import Storage

/// Brings figures in from the sources' APIs: works out the requests (for one table, or every
/// series a plan reads), sends them, and imports each answer through the importer and mapping its
/// measures' origins name — one transaction per answer, all or nothing.
public struct FetchService: Sendable {
    /// One request and how its answer is read.
    public struct Planned: Sendable {
        /// The request as it will be sent (Jobindsats: before its names are resolved to ids).
        public let request: SourceRequest
        /// The shipped mapping that reads the answer.
        public let mapping: String
        /// Jobindsats: the measurements asked for (the mapping's other columns are not in the answer).
        public let measurements: [String]?
        /// Jobindsats: what is asked for by name, resolved through `/v3/table/{id}` when sent.
        public let query: Jobindsats.Query?
    }

    /// What became of one request.
    public struct Outcome: Sendable {
        public let planned: Planned
        public let summary: FileImporter.Summary?
        public let error: String?
        public let attempts: Int
        /// Jobindsats: periods asked for that the table does not publish (yet), left out.
        public var unpublished: [Period] = []

        /// The table publishes none of the periods asked for yet (a plan for the running year asks
        /// for its own): nothing was sent, and nothing failed.
        public var notYetPublished: Bool { summary == nil && error == nil && !unpublished.isEmpty }
    }

    /// A measure a plan needs that no public source publishes: the kommune's own figure, and
    /// who delivers it.
    public struct Local: Sendable, Hashable {
        public let measure: MeasureID
        public let dimensions: [String: String]
        public let office: String
    }

    /// What a plan needs that no source with an API publishes and no office is named for
    /// (the catalogue refuses such a measure; a plan's dimension values may still fall outside
    /// every origin's selection).
    public struct Unsourced: Sendable, Hashable {
        public let measure: MeasureID
        public let dimensions: [String: String]
    }

    /// Every request a plan needs, the kommune's own figures it reads, and what has no source.
    public struct PlanRequests: Sendable {
        public let planned: [Planned]
        public let local: [Local]
        public let unsourced: [Unsourced]
    }

    let environment: AppEnvironment
    let baseURLs: [MeasureOrigin.Source: String]
    let actor: String

    public init(_ environment: AppEnvironment, baseURLs: [MeasureOrigin.Source: String] = [:], actor: String = ImportOrigin.defaultActor) {
        self.environment = environment
        self.baseURLs = baseURLs
        self.actor = actor
    }

    func baseURL(_ source: MeasureOrigin.Source) -> String {
        baseURLs[source] ?? (source == .dst ? Statistikbanken.defaultBaseURL : Jobindsats.defaultBaseURL)
    }

    // MARK: What to ask for

    /// A Statistikbanken table's selection, read by `mapping`.
    public func dst(table: String, variables: [(code: String, values: [String])], mapping: String) -> [Planned] {
        Statistikbanken.dataRequests(table: table, variables: variables, baseURL: baseURL(.dst)).map {
            Planned(request: $0, mapping: mapping, measurements: nil, query: nil)
        }
    }

    /// A Jobindsats table's measurements for areas and periods, read by `mapping`; other
    /// hierarchies' values by name (`_ygrpa02: [Ydelsesgrupper i alt]`).
    public func jobindsats(
        table: String, measurements: [String], areas: [String], periods: [Period], hierarchies: [String: [String]] = [:], mapping: String
    ) -> Planned {
        let query = Jobindsats.Query(table: table, measurements: measurements, areas: areas, periods: periods, hierarchies: hierarchies)
        return Planned(
            request: Jobindsats.dataRequest(query, selectors: nil, baseURL: baseURL(.jobindsats)), mapping: mapping,
            measurements: measurements, query: query)
    }

    /// Every request a plan's targets need: each series they read, for the kommune and its
    /// region and the country where a rule compares with them (with `allKommuner`, for every
    /// kommune and region: the comparison page ranks the kommune among all 98), over the periods
    /// the rules read, in each table's own periods. One request per table; the measures no API
    /// publishes are listed apart.
    public func requests(for plan: Plan, allKommuner: Bool = false) -> PlanRequests {
        let needs = environment.registry.evaluator.requirements(plan, areas: environment.areas, measures: environment.measures)
        struct Table: Hashable {
            let source: MeasureOrigin.Source
            let table: String
            let mapping: String
            let frequency: MeasureOrigin.Frequency
            let variables: [String: [String]]?
            let areaVariable: String?
        }
        var tables: [Table: (measurements: Set<String>, areas: Set<AreaCode>, periods: Set<Period>)] = [:]
        var unsourced: [Unsourced] = []
        var local: Set<Local> = []
        for need in needs {
            let definition = environment.measures[need.measure]
            // A derived measure is computed from its inputs, which are needs of their own.
            if definition?.kind == .derived { continue }
            if definition?.kind == .local, let office = definition?.office {
                local.insert(Local(measure: need.measure, dimensions: need.dimensions, office: office))
                continue
            }
            let origins = (definition?.origins ?? []).filter { $0.covers(need.dimensions) }
            guard !origins.isEmpty else {
                unsourced.append(Unsourced(measure: need.measure, dimensions: need.dimensions))
                continue
            }
            for origin in origins {
                let key = Table(
                    source: origin.source, table: origin.table, mapping: origin.mapping, frequency: origin.frequency,
                    variables: origin.variables, areaVariable: origin.areaVariable)
                var entry = tables[key] ?? ([], [], [])
                if let m = origin.measurement { entry.measurements.insert(m) }
                entry.areas.formUnion(allKommuner ? environment.areas.all.map(\.code) : Array(need.areas))
                // A table that ended (or began) serves only the periods it publishes: the series break.
                entry.periods.formUnion(need.periods.flatMap { Self.periods($0, in: origin.frequency.granularity) }.filter(origin.publishes))
                tables[key] = entry
            }
        }
        let planned = tables.filter { !$0.value.periods.isEmpty }
            .sorted { ($0.key.source.rawValue, $0.key.table) < ($1.key.source.rawValue, $1.key.table) }.flatMap { table, wanted in
            let areas = wanted.areas.sorted()
            let periods = wanted.periods.sorted()
            switch table.source {
            case .dst:
                let others = (table.variables ?? [:]).sorted { $0.key < $1.key }.map { (code: $0.key, values: $0.value) }
                return dst(
                    table: table.table,
                    variables: [(table.areaVariable ?? "OMRÅDE", areas.map(\.rawValue))] + others + [("TID", periods.map(Statistikbanken.periodCode))],
                    mapping: table.mapping)
            case .jobindsats:
                return [jobindsats(
                    table: table.table, measurements: wanted.measurements.sorted(), areas: areas.map(jobindsatsName),
                    periods: periods, hierarchies: table.variables ?? [:], mapping: table.mapping)]
            }
        }
        func order<T>(_ items: [T], _ key: (T) -> (String, String)) -> [T] { items.sorted { key($0) < key($1) } }
        return PlanRequests(
            planned: planned,
            local: order(Array(local)) { ($0.measure, $0.dimensions.description) },
            unsourced: order(unsourced) { ($0.measure, $0.dimensions.description) })
    }

    /// The periods of a table's granularity that make up a period a rule reads: a year's
    /// quarters, or the period itself. A table of rolling years serves only rules that read a
    /// rolling year (its figures are never summed into calendar periods).
    static func periods(_ period: Period, in granularity: Period.Granularity) -> [Period] {
        if period.granularity == granularity { return [period] }
        if granularity == .rollingYear { return [] }
        let parts = period.subperiods(granularity)
        return parts.isEmpty ? [Period.starting(at: period.firstDay, granularity: granularity)] : parts
    }

    /// Jobindsats names areas as Danmarks Statistik's texts do, which differ from beskplan's
    /// names for one kommune (DESIGN §13); the country is "Hele landet".
    func jobindsatsName(_ code: AreaCode) -> String {
        if code == .country { return "Hele landet" }
        return code == "820" ? "Vesthimmerlands" : environment.areas[code]?.name ?? code.rawValue
    }

    // MARK: Fetching

    /// Sends each request and imports its answer, one transaction each; a failed request (or an
    /// answer that does not import) leaves the store as it was and the others go on.
    public func run(
        _ planned: [Planned], key: APIKey?, settings: Fetcher.Settings = Fetcher.Settings(),
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async -> [Outcome] {
        let fetcher = Fetcher(settings: settings) { request, attempt, reason in
            progress("  \(request.table): \(reason); attempt \(attempt) of \(settings.attempts)")
        }
        var outcomes: [Outcome] = []
        var updated: [String: String?] = [:]
        var tables: [String: Result<JobindsatsTable, FetchError>] = [:]
        for (i, item) in planned.enumerated() {
            progress("[\(i + 1)/\(planned.count)] \(item.request.line)")
            // Statistikbanken says when a table was updated in its description, asked once a table.
            if item.request.source == .dst, updated[item.request.table] == nil {
                updated[item.request.table] = await tableUpdated(item.request.table, fetcher: fetcher)
            }
            guard let query = item.query else {
                outcomes.append(await fetchAndImport(item, item.request, key: key, fetcher: fetcher, published: updated[item.request.table] ?? nil))
                continue
            }
            // Jobindsats: the table's names and ids, asked once a run; then the request by ids.
            if tables[query.table] == nil { tables[query.table] = await tableInfo(query.table, key: key, fetcher: fetcher) }
            do {
                let (selectors, unpublished) = try tables[query.table]!.get().resolve(query)
                guard unpublished.count < query.periods.count else {
                    var outcome = Outcome(planned: item, summary: nil, error: nil, attempts: 0)
                    outcome.unpublished = unpublished
                    outcomes.append(outcome)
                    continue
                }
                if !unpublished.isEmpty {
                    progress("  \(query.table): \(unpublished.count) of the periods asked for are not published yet and are left out")
                }
                let request = Jobindsats.dataRequest(query, selectors: selectors, baseURL: baseURL(.jobindsats))
                var outcome = await fetchAndImport(item, request, key: key, fetcher: fetcher, published: nil)
                outcome.unpublished = unpublished
                outcomes.append(outcome)
            } catch {
                outcomes.append(Outcome(planned: item, summary: nil, error: "\(error)", attempts: 0))
            }
        }
        await fetcher.shutdown()
        return outcomes
    }

    /// A Jobindsats table's description (`/v3/table/{id}`): its values' names and ids.
    private func tableInfo(_ table: String, key: APIKey?, fetcher: Fetcher) async -> Result<JobindsatsTable, FetchError> {
        let request = Jobindsats.tableRequest(table: table, baseURL: baseURL(.jobindsats))
        do {
            let answer = try await fetcher.fetch(request, key: key)
            defer { try? FileManager.default.removeItem(atPath: answer.path) }
            return .success(try JobindsatsTable.decode(FileManager.default.contents(atPath: answer.path) ?? Data(), table: table, url: request.url))
        } catch {
            return .failure(error)
        }
    }

    /// A Statistikbanken table's `updated` (`2025-02-11T08:00:00`), or `nil` when it cannot be had:
    /// the figures are worth having without it.
    private func tableUpdated(_ table: String, fetcher: Fetcher) async -> String? {
        guard let answer = try? await fetcher.fetch(Statistikbanken.tableInfoRequest(table: table, baseURL: baseURL(.dst))) else { return nil }
        defer { try? FileManager.default.removeItem(atPath: answer.path) }
        guard let data = FileManager.default.contents(atPath: answer.path),
            let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return info["updated"] as? String
    }

    /// An HTTP date (`Tue, 11 Feb 2025 08:00:00 GMT`) as ISO 8601, as the import record keeps dates.
    static func isoDate(http text: String) -> String? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return Timestamp.seconds(date)
    }

    private func fetchAndImport(_ item: Planned, _ request: SourceRequest, key: APIKey?, fetcher: Fetcher, published: String?) async -> Outcome {
        let answer: Fetcher.Answer
        do {
            answer = try await fetcher.fetch(request, key: request.source == .jobindsats ? key : nil)
        } catch {
            return Outcome(planned: item, summary: nil, error: error.description, attempts: 0)
        }
        defer { try? FileManager.default.removeItem(atPath: answer.path) }
        do {
            var mapping = try FileImporter.namedMapping(item.mapping, environment: environment)
            if let wanted = item.measurements, let all = mapping.measures {
                mapping.measures = all.filter { wanted.contains($0.key) }
            }
            let format: FileImporter.Format = item.request.source == .jobindsats ? .jobindsats : .csv
            let importer = FileImporter(
                environment, actor: actor,
                origin: ImportOrigin(
                    source: "fetch:\(request.source.rawValue)", file: request.url, actor: actor,
                    published: published ?? answer.lastModified.flatMap(Self.isoDate(http:))))
            let summary = try await importer.importFile(answer.path, format: format, mapping: mapping)
            return Outcome(planned: item, summary: summary, error: nil, attempts: answer.attempts)
        } catch {
            return Outcome(planned: item, summary: nil, error: "\(error)", attempts: answer.attempts)
        }
    }
}
