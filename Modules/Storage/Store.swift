import BeskplanCore

/// Where beskplan keeps observations, plans and the audit log: one protocol per concern, and
/// `Store` for all of them.
///
/// Two implementations pass one contract suite: `SQLiteStore` (the embedded default) and a
/// PostgreSQL store for servers. Async because PostgresNIO is; speaks in domain types. Only
/// AppSupport's services call a store; the front doors call the services.
public protocol Store: ObservationStore, PlanStore, AccountStore, AuditStore, JobStore {
    /// Applies the migrations the database lacks, in order; returns their ids.
    @discardableResult
    func migrate() async throws -> [String]

    /// The migrations this binary knows, in order: its schema is the last.
    var knownMigrations: [String] { get }

    /// Copies the whole database, while it is in use, into a new file at `path`: one consistent
    /// snapshot. SQLite only; PostgreSQL is backed up with `pg_dump` (docs/operations.md).
    func backup(to path: String) async throws

    /// The ids of the migrations applied so far, in order.
    func appliedMigrations() async throws -> [String]

    /// Everything the store holds, row for row (`beskplan db copy`).
    func snapshot() async throws -> StoreSnapshot

    /// Writes a snapshot into this store, in one transaction, keeping every id; the store must
    /// hold nothing yet (a migrated, empty database).
    func restore(_ snapshot: StoreSnapshot) async throws
}

/// Figures: what is imported, and read back by measure.
public protocol ObservationStore: Sendable {
    /// Writes every observation the source yields in one transaction: all or nothing.
    /// A key that exists is replaced and marked with this import. With `dryRun`, everything is
    /// checked and counted, then rolled back.
    @discardableResult
    func importObservations(
        _ origin: ImportOrigin, from source: sending some ObservationSource, dryRun: Bool
    ) async throws -> ImportResult

    /// Observations of one measure, ordered by area, dimensions and period.
    func observations(_ query: ObservationQuery) async throws -> [Observation]

    /// Per source fetched from (`fetch:jobindsats`): the newest fetch and the newest update the
    /// source stated, for "data pr. …".
    func fetchStamps() async throws -> [FetchStamp]
}

/// Plans, their versions, the notes on their targets and the kommune's decisions about them.
public protocol PlanStore: Sendable {
    /// Saves the plan as a new version (the latest version is the current plan). With
    /// `expecting`, only if the current version is that one (0: no version yet), checked in the
    /// same transaction as the save, else `PlanVersionConflict`: two editors cannot overwrite
    /// each other.
    @discardableResult
    func savePlan(_ plan: Plan, author: String, expecting: Int?) async throws -> PlanVersionInfo

    /// The current version of a kommune's plan for a year, if any.
    func currentPlan(kommune: AreaCode, year: Int) async throws -> StoredPlan?

    /// One version of a plan.
    func plan(kommune: AreaCode, year: Int, version: Int) async throws -> StoredPlan?

    /// Every version of a plan, oldest first.
    func planVersions(kommune: AreaCode, year: Int) async throws -> [PlanVersionInfo]

    /// The current version of every stored plan, by kommune and year.
    func plans() async throws -> [PlanVersionInfo]

    /// Records a hand assessment of a target (the latest per target counts).
    func saveAssessment(_ assessment: Assessment) async throws

    /// The latest assessment of each target of a kommune's plan for a year.
    func assessments(kommune: AreaCode, year: Int) async throws -> [Assessment]

    /// Every assessment of one target, newest first: its notes over the year.
    func assessmentHistory(kommune: AreaCode, year: Int, target: String) async throws -> [Assessment]

    /// Records a kommune's decision (publishing, a follow-up made final), append only, with its audit row.
    func recordEvent(_ event: KommuneEvent) async throws

    /// A kommune's decisions, oldest first.
    func events(kommune: AreaCode) async throws -> [KommuneEvent]

    /// Keeps a report as it was approved or made final, append only, with its audit row.
    func saveApprovedReport(_ report: ApprovedReport) async throws

    /// The newest approved report of a kind for a kommune's plan year, if any.
    func approvedReport(kommune: AreaCode, year: Int, kind: String) async throws -> ApprovedReport?
}

/// The audit log, and the revision stamp every audited write raises.
public protocol AuditStore: Sendable {
    /// What the store holds, as a stamp that changes with every write (import, plan version,
    /// assessment, decision, user, token, sign-in): a cached evaluation, report or caller is good
    /// while it is the same, in every process on the database.
    func revision() async throws -> String

    /// The newest entries of the audit log, newest first; with `kommune`, that kommune's only.
    func auditLog(limit: Int, kommune: AreaCode?) async throws -> [AuditEntry]
}

/// Scheduled work shared by every process on the database: leases and fetch runs.
public protocol JobStore: Sendable {
    /// Takes the named lease for `seconds` if it is free, expired or already `holder`'s, and
    /// says whether `holder` has it: one process of many runs a scheduled fetch at a time.
    func acquireLease(_ name: String, holder: String, seconds: Int) async throws -> Bool

    /// Gives the lease back (if `holder` has it).
    func releaseLease(_ name: String, holder: String) async throws

    /// Records a scheduled fetch, with its audit row.
    func recordFetchRun(_ run: FetchRun) async throws

    /// The latest scheduled fetches, newest first.
    func fetchRuns(limit: Int) async throws -> [FetchRun]
}

/// Who imports what.
public struct ImportOrigin: Sendable, Hashable {
    /// The kind of input: `feed`, `sdmx`, `csv`, `demo`, …
    public var source: String
    /// The file imported, if any.
    public var file: String?
    public var actor: String
    /// Where the import was asked from; taken from the task that makes the origin.
    public var scope: AuditScope
    /// When the source last updated what was imported (a fetched table's `updated`), as it says.
    public var published: String?

    public init(
        source: String, file: String? = nil, actor: String = ImportOrigin.defaultActor, scope: AuditScope = .current,
        published: String? = nil
    ) {
        self.source = source
        self.file = file
        self.actor = actor
        self.scope = scope
        self.published = published
    }

    /// The user running the process, for the audit log.
    public static var defaultActor: String {
        ProcessEnvironment.value("USER") ?? "beskplan"
    }
}

/// What an import wrote.
public struct ImportResult: Sendable, Hashable, Codable {
    /// The import's id (observations point to it); `nil` for a dry run.
    public var importID: Int64?
    public var series: Int
    public var observations: Int
    /// Observations whose key existed and whose value was replaced.
    public var replaced: Int
    /// What the source read and left out.
    public var skipped: SkipReport
    public var dryRun: Bool

    public init(
        importID: Int64?, series: Int, observations: Int, replaced: Int, skipped: SkipReport = SkipReport(),
        dryRun: Bool
    ) {
        self.importID = importID
        self.series = series
        self.observations = observations
        self.replaced = replaced
        self.skipped = skipped
        self.dryRun = dryRun
    }
}

/// Which observations to read.
public struct ObservationQuery: Sendable, Hashable {
    public var measure: MeasureID
    /// Empty means every area.
    public var areas: [AreaCode]
    /// Series must carry these dimension values (other dimensions may take any value).
    public var dimensions: [String: String]
    /// Periods starting on or after this period's first day.
    public var from: Period?
    /// Periods ending on or before this period's last day.
    public var to: Period?

    public init(
        measure: MeasureID, areas: [AreaCode] = [], dimensions: [String: String] = [:],
        from: Period? = nil, to: Period? = nil
    ) {
        self.measure = measure
        self.areas = areas
        self.dimensions = dimensions
        self.from = from
        self.to = to
    }
}

/// One saved version of a plan.
public struct PlanVersionInfo: Sendable, Hashable {
    public var kommune: AreaCode
    public var year: Int
    public var version: Int
    public var author: String
    /// ISO 8601 time of the save.
    public var savedAt: String
    public var title: String
    public var status: Plan.Status

    package init(
        kommune: AreaCode, year: Int, version: Int, author: String, savedAt: String, title: String, status: Plan.Status
    ) {
        self.kommune = kommune
        self.year = year
        self.version = version
        self.author = author
        self.savedAt = savedAt
        self.title = title
        self.status = status
    }
}

/// A plan as stored, with its version.
public struct StoredPlan: Sendable, Hashable {
    public var info: PlanVersionInfo
    public var plan: Plan

    package init(info: PlanVersionInfo, plan: Plan) {
        self.info = info
        self.plan = plan
    }

    /// The stored plan as one of its years reads it (`Plan.forYear`): what a year's evaluation,
    /// follow-up and report are made from. Editing reads the whole plan.
    public func forYear(_ year: Int) -> StoredPlan {
        StoredPlan(info: info, plan: plan.forYear(year))
    }
}

/// One line of the audit log.
public struct AuditEntry: Sendable, Hashable {
    public var id: Int64
    /// ISO 8601 time.
    public var at: String
    public var actor: String
    /// `observations.import`, `plan.save`, `db.migrate`, …
    public var action: String
    /// What was written (`import 12`, `plan 741/2024 v3`).
    public var subject: String
    public var detail: String
    /// The kommune whose data the entry concerns; `nil` for the installation's own (national imports, migrations).
    public var kommune: AreaCode?
    /// Where the request came from (the client's IP address); `nil` for the command line.
    public var address: String?

    package init(
        id: Int64, at: String, actor: String, action: String, subject: String, detail: String, kommune: AreaCode? = nil,
        address: String? = nil
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
        self.kommune = kommune
        self.address = address
    }
}

/// What the audit rows written in a task carry besides their own facts: the address the request
/// came from, and the kommune the server scoped it to. Set once by the server's gate for a whole
/// request, so that no store method needs them as parameters; the command line leaves it empty.
public struct AuditScope: Sendable, Hashable {
    public var address: String?
    public var kommune: AreaCode?

    public init(address: String? = nil, kommune: AreaCode? = nil) {
        self.address = address
        self.kommune = kommune
    }

    @TaskLocal public static var current = AuditScope()
}

/// A report as rendered when its plan was approved or its follow-up made final: what the public
/// page and the API serve from then on, and what `beskplan report verify` re-renders.
public struct ApprovedReport: Sendable, Hashable {
    public var id: Int64
    public var kommune: AreaCode
    public var year: Int
    /// `plan` or `followup`.
    public var kind: String
    public var planVersion: Int
    /// The data-as-of day the report was evaluated at.
    public var asOf: String
    /// The day the report says it was made.
    public var generated: String
    /// `html`.
    public var format: String
    /// SHA-256 of `content`, hex.
    public var sha256: String
    public var content: String
    public var author: String
    /// ISO 8601 time; set by the store.
    public var at: String

    public init(
        id: Int64 = 0, kommune: AreaCode, year: Int, kind: String, planVersion: Int, asOf: String, generated: String,
        format: String, sha256: String, content: String, author: String, at: String = ""
    ) {
        self.id = id
        self.kommune = kommune
        self.year = year
        self.kind = kind
        self.planVersion = planVersion
        self.asOf = asOf
        self.generated = generated
        self.format = format
        self.sha256 = sha256
        self.content = content
        self.author = author
        self.at = at
    }
}

/// A kommune's recorded decision, append only: the latest of a kind counts.
public struct KommuneEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The kommune shows its approved plan and follow-up to the public (where the installation allows it).
        case published
        case unpublished
        /// The follow-up of `year` as of `asOf` is final: every red target has its note.
        case followUpFinal = "followup.final"
    }

    public var id: Int64
    public var kommune: AreaCode
    public var kind: Kind
    /// The plan year, for a follow-up.
    public var year: Int?
    /// The day a follow-up was made as of.
    public var asOf: String?
    public var author: String
    /// ISO 8601 time; set by the store.
    public var at: String

    public init(
        id: Int64 = 0, kommune: AreaCode, kind: Kind, year: Int? = nil, asOf: String? = nil, author: String, at: String = ""
    ) {
        self.id = id
        self.kommune = kommune
        self.kind = kind
        self.year = year
        self.asOf = asOf
        self.author = author
        self.at = at
    }
}

extension KommuneEvent {
    /// What the event concerns, for the audit log.
    package var subject: String {
        year.map { "followup \(kommune)/\($0)\(asOf.map { " as of \($0)" } ?? "")" } ?? "kommune \(kommune)"
    }
}

extension [KommuneEvent] {
    /// Whether the kommune publishes: its latest say.
    public var isPublished: Bool {
        last { $0.kind == .published || $0.kind == .unpublished }?.kind == .published
    }

    /// The latest follow-up of `year` made final.
    public func finalFollowUp(year: Int) -> KommuneEvent? {
        last { $0.kind == .followUpFinal && $0.year == year }
    }
}

/// A store-level failure, worded for the user.
public struct StoreError: Error, CustomStringConvertible {
    public let description: String
    /// The write collided with a concurrent one (PostgreSQL chose it as a deadlock's victim) and
    /// was rolled back whole: running it again can succeed.
    public let isConflict: Bool

    public init(_ description: String, conflict: Bool = false) {
        self.description = description
        isConflict = conflict
    }

    /// The database was migrated by a newer beskplan: an older binary must not read or write it
    /// (it would not keep the newer schema's rules), so it refuses to start, naming both versions.
    public static func newerSchema(_ location: String, found: [String], known: [String]) -> StoreError {
        StoreError(
            "\(location) has schema \(found.sorted().last ?? "?"), newer than this beskplan knows (\(known.last ?? "none")): "
                + "start the newer beskplan, or restore a backup made before it migrated")
    }
}

/// The query behind `Store.revision()`, the same on SQLite and PostgreSQL: a counter that every
/// audited write (every write but a session's bookkeeping) raises in its own transaction, as its
/// last statement, so that it is held only until the commit and counts commits in their order
/// (a `MAX(id)` would not on PostgreSQL, where ids are handed out before commits).
package let revisionSQL = "SELECT CAST(n AS TEXT) FROM store_revision"

/// Raises the revision; run by each store's audit writer.
package let raiseRevisionSQL = "UPDATE store_revision SET n = n + 1"

/// A plan saved over a version other than the one the edit started from.
public struct PlanVersionConflict: Error, CustomStringConvertible {
    public let expected: Int
    public let current: Int

    public init(expected: Int, current: Int) {
        self.expected = expected
        self.current = current
    }

    public var description: String {
        "the plan is at version \(current), not \(expected): someone saved it meanwhile; start from the current version"
    }
}

extension AuditStore {
    /// The newest entries of the whole audit log.
    public func auditLog(limit: Int) async throws -> [AuditEntry] {
        try await auditLog(limit: limit, kommune: nil)
    }
}

extension PlanStore {
    /// Saves the plan as a new version, whatever the current one is: for the store's own tests;
    /// every door saves through `PlanService`, which keeps the rules.
    @discardableResult
    package func savePlan(_ plan: Plan, author: String) async throws -> PlanVersionInfo {
        try await savePlan(plan, author: author, expecting: nil)
    }
}

extension ObservationStore {
    /// Imports what `makeSource` reads, and reads it again from the start when the import
    /// collided with a concurrent one and was rolled back (`StoreError.isConflict`): two imports
    /// that register the same new series in opposite orders deadlock on PostgreSQL, and the
    /// server rolls one of them back. After `attempts` collisions the last error stands.
    @discardableResult
    public func importObservations<Source: ObservationSource>(
        _ origin: ImportOrigin, dryRun: Bool, attempts: Int = 3, source makeSource: () throws -> sending Source
    ) async throws -> ImportResult {
        var attempt = 1
        while true {
            do {
                return try await importObservations(origin, from: try makeSource(), dryRun: dryRun)
            } catch let error as StoreError where error.isConflict && attempt < attempts {
                attempt += 1
                // Apart, so that the two imports that collided do not meet again at once.
                try await Task.sleep(for: .milliseconds(Int.random(in: 20...120)))
            }
        }
    }
}

/// What the newest fetch from one source brought: when it ran, and when the source had last
/// updated its table (when it said).
public struct FetchStamp: Sendable, Hashable {
    /// `fetch:jobindsats`, `fetch:dst`.
    public var source: String
    public var fetchedAt: String
    public var published: String?

    /// The same SQL for both stores: the newest of each, per source fetched from.
    package static let query = """
        SELECT source, MAX(started_at) AS fetched_at, MAX(published) AS published FROM import
        WHERE source LIKE 'fetch:%' GROUP BY source ORDER BY source
        """

    public init(source: String, fetchedAt: String, published: String?) {
        self.source = source
        self.fetchedAt = fetchedAt
        self.published = published
    }
}
