import BeskplanCore

/// Everything a store holds, row for row with its ids, to copy one store into another
/// (`beskplan db copy`): imports, series, the packed observation blocks as they are, every plan
/// version, every assessment, the audit log, the kommuner's decisions, the approved reports, and the users with their
/// API tokens (hashes, as stored). Sessions and failed logins are not copied: they belong to a running server, and a
/// user signs in again. Held in memory: a kommune's or a region's database is some megabytes of blocks.
public struct StoreSnapshot: Sendable, Equatable {
    public struct ImportRow: Sendable, Equatable {
        public var id: Int64
        public var source: String
        public var file: String?
        public var actor: String
        public var startedAt: String
        public var series: Int
        public var observations: Int
        public var replaced: Int
        public var published: String?

        public init(
            id: Int64, source: String, file: String?, actor: String, startedAt: String, series: Int, observations: Int,
            replaced: Int, published: String? = nil
        ) {
            self.published = published
            self.id = id
            self.source = source
            self.file = file
            self.actor = actor
            self.startedAt = startedAt
            self.series = series
            self.observations = observations
            self.replaced = replaced
        }
    }

    public struct SeriesRow: Sendable, Equatable {
        public var id: Int64
        public var measure: String
        public var area: String
        public var dims: String

        public init(id: Int64, measure: String, area: String, dims: String) {
            self.id = id
            self.measure = measure
            self.area = area
            self.dims = dims
        }
    }

    public struct BlockRow: Sendable, Equatable {
        public var id: Int64
        public var series: Int64
        public var block: Int64
        public var data: [UInt8]

        public init(id: Int64, series: Int64, block: Int64, data: [UInt8]) {
            self.id = id
            self.series = series
            self.block = block
            self.data = data
        }
    }

    public struct PlanRow: Sendable, Equatable {
        public var info: PlanVersionInfo
        /// The stored JSON document, as it is.
        public var document: String

        public init(info: PlanVersionInfo, document: String) {
            self.info = info
            self.document = document
        }
    }

    public struct AssessmentRow: Sendable, Equatable {
        public var id: Int64
        public var assessment: Assessment

        public init(id: Int64, assessment: Assessment) {
            self.id = id
            self.assessment = assessment
        }
    }

    public struct TokenRow: Sendable, Equatable {
        public var id: Int64
        public var accountID: Int64
        public var secretHash: String
        public var label: String
        public var createdAt: String
        public var revoked: Bool

        public init(id: Int64, accountID: Int64, secretHash: String, label: String, createdAt: String, revoked: Bool) {
            self.id = id
            self.accountID = accountID
            self.secretHash = secretHash
            self.label = label
            self.createdAt = createdAt
            self.revoked = revoked
        }
    }

    public var imports: [ImportRow] = []
    public var series: [SeriesRow] = []
    public var blocks: [BlockRow] = []
    public var plans: [PlanRow] = []
    public var assessments: [AssessmentRow] = []
    public var audit: [AuditEntry] = []
    public var accounts: [Account] = []
    public var tokens: [TokenRow] = []
    public var events: [KommuneEvent] = []
    public var reports: [ApprovedReport] = []

    public init() {}

    /// The SQL (SQLite and PostgreSQL alike) that tells whether a store holds anything but its
    /// own migration entries: a copy goes into an empty store only.
    package static let holdsDataSQL = """
        SELECT EXISTS (SELECT 1 FROM import) OR EXISTS (SELECT 1 FROM series) OR EXISTS (SELECT 1 FROM plan_version)
            OR EXISTS (SELECT 1 FROM assessment) OR EXISTS (SELECT 1 FROM audit WHERE action <> 'db.migrate')
            OR EXISTS (SELECT 1 FROM account) OR EXISTS (SELECT 1 FROM kommune_event) OR EXISTS (SELECT 1 FROM approved_report)
        """

    /// `7.904 observations in 104 series, 12 imports, 6 plans (7 versions), …` for messages.
    public func summary(observations: Int) -> String {
        let plansCount = Set(plans.map { "\($0.info.kommune)/\($0.info.year)" }).count
        return "\(observations) observations in \(series.count) series (\(blocks.count) blocks), \(imports.count) imports, "
            + "\(plansCount) plans (\(plans.count) versions), \(assessments.count) assessments, \(audit.count) audit entries, "
            + "\(accounts.count) users, \(tokens.count) API tokens, \(events.count) kommune decisions, \(reports.count) approved reports"
    }
}
