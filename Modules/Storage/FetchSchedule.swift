import BeskplanCore

/// One scheduled fetch, as the server that ran it recorded it: when, by which process, how many
/// requests, and what failed. Kept in the store, so that every process and the data page see it.
public struct FetchRun: Sendable, Hashable {
    public var startedAt: String
    public var finishedAt: String
    /// The process that held the lease (`host:pid`).
    public var holder: String
    public var requests: Int
    public var failures: Int
    /// What failed, one per failed request (or one for a whole source without its key).
    public var errors: [FetchFailure]

    public init(startedAt: String, finishedAt: String, holder: String, requests: Int, failures: Int, errors: [FetchFailure]) {
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.holder = holder
        self.requests = requests
        self.failures = failures
        self.errors = errors
    }
}

/// The SQL both stores share for leases and fetch runs.
package enum FetchScheduleSQL {
    /// Takes a lease that is free, expired, or already the holder's (arguments: name, holder,
    /// until, now); the holder has it if the row then names it.
    package static let acquire = """
        INSERT INTO lease (name, holder, until) VALUES ($1, $2, $3)
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
        WHERE lease.until < $4 OR lease.holder = excluded.holder
        """
}
