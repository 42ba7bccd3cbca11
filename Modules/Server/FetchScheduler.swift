import AppSupport
import Fetch
import Foundation
import Logging
import ServiceLifecycle
import Storage

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
    func runIfDue() async throws -> FetchRun? {
        let service = FetchService(environment, baseURLs: baseURLs, actor: "beskplan-server")
        let now = environment.clock.now
        guard try await isDue(now, service) else { return nil }
        // Long enough for a slow run; a process that dies leaves a lease that expires.
        guard try await service.takeLease(holder: holder, seconds: 3 * 3600) else { return nil }
        do {
            // Another process may have finished a run between the look and the lease.
            guard try await isDue(now, service) else {
                try await service.releaseLease(holder: holder)
                return nil
            }
            let run = try await fetch(service, started: now)
            // A run cut short by the server stopping is not recorded: the next process runs it again.
            try Task.checkCancellation()
            try await service.record(run)
            try await service.releaseLease(holder: holder)
            return run
        } catch {
            try? await service.releaseLease(holder: holder)
            throw error
        }
    }

    private func isDue(_ now: Date, _ service: FetchService) async throws -> Bool {
        guard let last = try await service.lastRun(), let started = Timestamp.date(last.startedAt) else { return true }
        return now.timeIntervalSince(started) >= Double(interval.components.seconds)
    }

    /// The next run, for the data page: `interval` after the last, or now.
    static func next(after last: FetchRun?, interval: Duration) -> Date? {
        guard let last, let started = Timestamp.date(last.startedAt) else { return nil }
        return started.addingTimeInterval(Double(interval.components.seconds))
    }

    private func fetch(_ service: FetchService, started: Date) async throws -> FetchRun {
        var planned = try await service.scheduledRequests()
        var apiKey: APIKey?
        var unsent: (count: Int, why: String)?
        switch key() {
        case .success(let found): apiKey = found
        case .failure(let why):
            // Without a key, Statistikbanken's tables are still fetched; Jobindsats' count as failed.
            let skipped = planned.filter { $0.request.source == .jobindsats }.count
            planned.removeAll { $0.request.source == .jobindsats }
            unsent = (skipped, "\(why)")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let tally = FetchService.Tally(await service.run(planned, key: apiKey, settings: settings), unsent: unsent)
        ServerMetrics.recordFetch(requests: tally.requests, failures: tally.failed, since: start)
        return FetchRun(
            startedAt: Timestamp.string(started), finishedAt: environment.clock.timestamp, holder: holder,
            requests: tally.requests, failures: tally.failed, errors: tally.failures)
    }
}
