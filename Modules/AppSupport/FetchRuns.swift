import Fetch
import Foundation
import Storage

/// The scheduled fetch's work, for every process on the database: which requests the stored
/// plans need, how a run's outcomes count, the lease that lets one process run at a time, and
/// the runs recorded. `beskplan fetch` counts its outcomes the same way.
extension FetchService {
    /// What a run came to: requests sent, and what failed (one per failed request, or one for a
    /// whole source without its key).
    public struct Tally: Sendable, Hashable {
        /// Requests planned, sent or not, but for those with nothing published to ask for.
        public var requests: Int
        /// Requests that brought nothing into the store.
        public var failed: Int
        /// Why: one per failed request, and one for requests not sent at all.
        public var failures: [FetchFailure]
        /// The tables of requests left out because their tables publish none of the periods asked
        /// for yet: no request and no failure (a plan for the running year always has some).
        public var notYetPublished: [String]

        public var imported: Int { requests - failed }

        /// The outcomes of `run`, with the requests that were not sent at all (`unsent`, and why).
        public init(_ outcomes: [Outcome], unsent: (count: Int, why: String)? = nil) {
            notYetPublished = outcomes.filter(\.notYetPublished).map(\.planned.request.table)
            requests = outcomes.count - notYetPublished.count
            failed = 0
            failures = []
            if let unsent, unsent.count > 0 {
                requests += unsent.count
                failed += unsent.count
                failures.append(FetchFailure(table: "", message: "Jobindsats (\(unsent.count) requests): \(unsent.why)"))
            }
            for outcome in outcomes where outcome.summary == nil && !outcome.notYetPublished {
                failed += 1
                // One line each: the data page shows them in a list.
                failures.append(FetchFailure(
                    table: outcome.planned.request.table,
                    message: (outcome.error ?? "intet svar").replacingOccurrences(of: "\n", with: " ")))
            }
        }
    }

    /// One request per table and selection for every kommune's two newest plans (the one before
    /// the newest may still be followed up), for all kommuner, which the comparison ranks: plans
    /// reading the same table share a request.
    public func scheduledRequests() async throws -> [Planned] {
        struct Key: Hashable {
            let request: SourceRequest
            let mapping: String
            let query: Jobindsats.Query?
        }
        var seen: Set<Key> = []
        var planned: [Planned] = []
        let plans = try await environment.store.plans()
        let newest = Dictionary(plans.map { ($0.kommune, $0.year) }, uniquingKeysWith: max)
        for info in plans where info.year >= (newest[info.kommune] ?? 0) - 1 {
            guard let stored = try await environment.store.currentPlan(kommune: info.kommune, year: info.year) else { continue }
            for item in requests(for: stored.plan, allKommuner: true).planned
            where seen.insert(Key(request: item.request, mapping: item.mapping, query: item.query)).inserted {
                planned.append(item)
            }
        }
        return planned
    }

    /// The newest recorded run.
    public func lastRun() async throws -> FetchRun? {
        try await environment.store.fetchRuns(limit: 1).first
    }

    /// Records a run, with its audit row.
    public func record(_ run: FetchRun) async throws {
        try await environment.store.recordFetchRun(run)
    }

    /// The scheduled fetch's lease: taken for `seconds` if free, expired or already `holder`'s.
    public func takeLease(holder: String, seconds: Int) async throws -> Bool {
        try await environment.store.acquireLease(Self.lease, holder: holder, seconds: seconds)
    }

    public func releaseLease(holder: String) async throws {
        try await environment.store.releaseLease(Self.lease, holder: holder)
    }

    static let lease = "fetch"
}
