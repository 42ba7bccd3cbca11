import AppSupport
import Fetch
import Foundation
import Logging
import ServiceLifecycle

/// The scheduled refresh: when the last run is `interval` old, the one process that takes the
/// store's lease fetches every series each kommune's latest plan reads — for all kommuner, which
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
    /// Jobindsats' key, read when a run starts (so a key set while the server runs is used).
    var key: @Sendable () -> APIKey? = { try? APIKey.jobindsats() }
    static let lease = "fetch"

    /// Looks every `check` (the first time one `check` after start), until the server stops.
    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: check) }
            } catch {
                return
            }
            do {
                if let run = try await runIfDue() {
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
        var seen: Set<SourceRequest> = []
        let latest = Dictionary(try await environment.store.plans().map { ($0.kommune, $0.year) }, uniquingKeysWith: max)
        for (kommune, year) in latest.sorted(by: { $0.key < $1.key }) {
            guard let stored = try await environment.store.currentPlan(kommune: kommune, year: year) else { continue }
            for item in service.requests(for: stored.plan, allKommuner: true).planned where seen.insert(item.request).inserted {
                planned.append(item)
            }
        }
        var errors: [String] = []
        let key = key()
        if key == nil, planned.contains(where: { $0.request.source == .jobindsats }) {
            planned.removeAll { $0.request.source == .jobindsats }
            errors.append("Jobindsats: no key (set BESKPLAN_JOBINDSATS_KEY for the server; docs/fetch.md)")
        }
        let outcomes = await service.run(planned, key: key, settings: settings)
        errors += outcomes.compactMap { o in o.error.map { "\(o.planned.request.table): \($0)" } }
        return FetchRun(
            startedAt: ISO8601DateFormatter.withFractions.string(from: started),
            finishedAt: ISO8601DateFormatter.withFractions.string(from: Date()), holder: holder,
            requests: planned.count, failures: errors.count, errors: errors)
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
