import Dispatch
import Hummingbird
import Metrics
import Prometheus

/// The process's metrics in Prometheus' text format (`GET /metrics`, docs/operations.md):
/// requests by route template, method and status with their durations (Hummingbird's
/// `MetricsMiddleware`), imports and scheduled fetch runs with theirs, and the answers the
/// read cache gave. swift-metrics is the API, swift-prometheus its backend, installed once per
/// process (tests build many applications in one).
enum ServerMetrics {
    static let registry = PrometheusCollectorRegistry()
    private static let installed: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Hummingbird's names, as Prometheus names its kinds: counters end in _total, durations in _seconds.
        factory.nameAndLabelSanitizer = { name, labels in (renamed[name] ?? name, labels) }
        MetricsSystem.bootstrap(factory)
    }()
    private static let renamed = [
        "hb.requests": "beskplan_http_requests_total", "hb.request.errors": "beskplan_http_request_errors_total",
        "http.server.request.duration": "beskplan_http_request_duration_seconds",
        "http.server.active_requests": "beskplan_http_active_requests",
    ]

    /// Installs the backend, if this process has not yet.
    static func install() { installed }

    /// The text a scraper reads.
    static func exposition() -> [UInt8] { registry.emitToBuffer() }

    /// An import of a file (over the API or the data page): how it ended, and how long it took.
    static func recordImport(_ outcome: Outcome, since start: UInt64) {
        imports[outcome]?.increment()
        importDuration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
    }

    /// A scheduled fetch run: its requests, the failed ones, and how long it took.
    static func recordFetch(requests: Int, failures: Int, since start: UInt64) {
        fetchRuns.increment()
        fetchRequests.increment(by: requests)
        fetchFailures.increment(by: failures)
        fetchDuration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
    }

    /// An evaluation or report answered from the bytes kept (`hit`) or made anew (`miss`).
    static func recordCache(hit: Bool) { (hit ? cacheHits : cacheMisses).increment() }

    enum Outcome: String, CaseIterable {
        case imported, dryRun = "dry_run", refused
    }

    private static let imports = Dictionary(uniqueKeysWithValues: Outcome.allCases.map {
        ($0, Counter(label: "beskplan_imports_total", dimensions: [("result", $0.rawValue)]))
    })
    private static let importDuration = Timer(label: "beskplan_import_duration_seconds", preferredDisplayUnit: .seconds)
    private static let fetchRuns = Counter(label: "beskplan_fetch_runs_total")
    private static let fetchRequests = Counter(label: "beskplan_fetch_requests_total")
    private static let fetchFailures = Counter(label: "beskplan_fetch_failed_requests_total")
    private static let fetchDuration = Timer(label: "beskplan_fetch_duration_seconds", preferredDisplayUnit: .seconds)
    private static let cacheHits = Counter(label: "beskplan_read_cache_total", dimensions: [("result", "hit")])
    private static let cacheMisses = Counter(label: "beskplan_read_cache_total", dimensions: [("result", "miss")])
}
