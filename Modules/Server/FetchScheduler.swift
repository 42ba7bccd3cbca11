import AppSupport
import Fetch
import Foundation
import Logging
import ServiceLifecycle

/// The scheduled refresh: when the last run is `interval` old, the one process that takes the
/// store's lease fetches every series each kommune's two newest plans read — for all kommuner, which
/// the comparison page ranks, so that plans reading the same table share one request — imports
/// each answer, and records the run. Every process checks; one fetches.
struct FetchScheduler: Service {
    let environment: AppEnvironment
    let interval: Duration
    /// How often a process looks whether a run is due.
    let check: Duration
    let baseURLs: [MeasureOrigin.Source: String]
    let settings: Fetcher.Settings
    let logger: Logger
    /// This process, as the lease names it.
    var holder = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    /// Jobindsats' key, read when a run starts (so a key set while the server runs is used), or
    /// why there is none.
    var key: @Sendable () -> Result<APIKey, FetchError> = { Result { () throws(FetchError) in try APIKey.jobindsats() } }
    static let lease = "fetch"

    /// Looks every `check` (the first time one `check` after start), until the server stops; a
    /// run under way is cancelled when it stops (what it imported stays: each answer is whole).
    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: check) }
            } catch {
                return
            }
            do {
                if let run = try await cancelWhenGracefulShutdown({ try await runIfDue() }) {
                    logger.info("scheduled fetch: \(run.requests - run.failures) of \(run.requests) requests imported")
                }
            } catch {
                logger.error("scheduled fetch: \(error)")
            }
        }
    }

    /// Runs the fetch if it is due and this process gets the lease; the run, or `nil`.
    func runIfDue(now: Date = Date()) async throws -> FetchRun? {
        let store = environment.store
        guard try await isDue(now) else { return nil }
        // Long enough for a slow run; a process that dies leaves a lease that expires.
        guard try await store.acquireLease(Self.lease, holder: holder, seconds: 3 * 3600) else { return nil }
        do {
            // Another process may have finished a run between the look and the lease.
            guard try await isDue(now) else {
                try await store.releaseLease(Self.lease, holder: holder)
                return nil
            }
            let run = try await fetch(started: now)
            // A run cut short by the server stopping is not recorded: the next process runs it again.
            try Task.checkCancellation()
            try await store.recordFetchRun(run)
            try await store.releaseLease(Self.lease, holder: holder)
            return run
        } catch {
            try? await store.releaseLease(Self.lease, holder: holder)
            throw error
        }
    }

    private func isDue(_ now: Date) async throws -> Bool {
        guard let last = try await environment.store.fetchRuns(limit: 1).first,
            let started = ISO8601DateFormatter.withFractions.date(from: last.startedAt)
        else { return true }
        return now.timeIntervalSince(started) >= Double(interval.components.seconds)
    }

    /// The next run, for the data page: `interval` after the last, or now.
    static func next(after last: FetchRun?, interval: Duration) -> Date? {
        guard let last, let started = ISO8601DateFormatter.withFractions.date(from: last.startedAt) else { return nil }
        return started.addingTimeInterval(Double(interval.components.seconds))
    }

    private func fetch(started: Date) async throws -> FetchRun {
        let service = FetchService(environment, baseURLs: baseURLs, actor: "beskplan-server")
        var planned: [FetchService.Planned] = []
        // One request per table and selection: a Jobindsats request is told apart by what it asks
        // for by name and the mapping that reads it, before its names are resolved to ids.
        struct Key: Hashable {
            let request: SourceRequest
            let mapping: String
            let query: Jobindsats.Query?
        }
        var seen: Set<Key> = []
        // Each kommune's newest plan and the one before it (whose follow-up may still be running).
        let plans = try await environment.store.plans()
        let newest = Dictionary(plans.map { ($0.kommune, $0.year) }, uniquingKeysWith: max)
        for info in plans where info.year >= (newest[info.kommune] ?? 0) - 1 {
            guard let stored = try await environment.store.currentPlan(kommune: info.kommune, year: info.year) else { continue }
            for item in service.requests(for: stored.plan, allKommuner: true).planned
            where seen.insert(Key(request: item.request, mapping: item.mapping, query: item.query)).inserted {
                planned.append(item)
            }
        }
        let total = planned.count
        var failures = 0
        var errors: [String] = []
        var apiKey: APIKey?
        switch key() {
        case .success(let found): apiKey = found
        case .failure(let why):
            // Without a key, Statistikbanken's tables are still fetched; Jobindsats' count as failed.
            let skipped = planned.filter { $0.request.source == .jobindsats }
            if !skipped.isEmpty {
                planned.removeAll { $0.request.source == .jobindsats }
                failures += skipped.count
                errors.append("Jobindsats (\(skipped.count) requests): \(why)")
            }
        }
        let outcomes = await service.run(planned, key: apiKey, settings: settings)
        for outcome in outcomes {
            guard let error = outcome.error else { continue }
            failures += 1
            // One line each: the store keeps the lines apart by their line breaks.
            errors.append("\(outcome.planned.request.table): \(error)".replacingOccurrences(of: "\n", with: " "))
        }
        return FetchRun(
            startedAt: ISO8601DateFormatter.withFractions.string(from: started),
            finishedAt: ISO8601DateFormatter.withFractions.string(from: Date()), holder: holder,
            requests: total, failures: failures, errors: errors)
    }
}

extension ISO8601DateFormatter {
    /// The store's timestamps (`2026-12-02T01:14:11.123Z`).
    static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
