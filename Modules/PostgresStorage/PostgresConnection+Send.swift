import Logging
import PostgresNIO

/// The connection closed under a transaction (the server went away or restarted).
struct ConnectionClosed: Error {}

extension PostgresConnection {
    /// Runs `query`, failing at once on a connection that has closed. PostgresNIO 1.33 drops the
    /// failed write of a query to a closed channel and never answers it, so an import whose
    /// server restarted between two statements would wait forever.
    @discardableResult
    func send(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        guard !isClosed else { throw ConnectionClosed() }
        return try await self.query(query, logger: logger)
    }
}
