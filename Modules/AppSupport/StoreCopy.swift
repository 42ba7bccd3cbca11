import Foundation
import Storage

/// `beskplan db copy`: everything one store holds into another, empty one (SQLite ⇄ PostgreSQL),
/// checked afterwards by reading the target back.
public enum StoreCopy {
    public struct Summary: Sendable {
        public let snapshot: StoreSnapshot
        public let observations: Int

        public var description: String { snapshot.summary(observations: observations) }
    }

    /// Copies `source` into `target` (migrated, empty) and checks that the target now holds
    /// exactly what the source did.
    public static func copy(from source: AppEnvironment, to target: AppEnvironment) async throws -> Summary {
        try await copy(from: source.store, to: target.store)
    }

    static func copy(from source: any Store, to target: any Store) async throws -> Summary {
        let snapshot = try await source.snapshot()
        try await target.restore(snapshot)
        guard try await target.snapshot() == snapshot else {
            throw StoreError("the copy does not read back as the original; the target holds an incomplete copy")
        }
        let observations = snapshot.blocks.reduce(0) { total, row in
            total + (row.data.withUnsafeBytes { ObservationBlock(bytes: $0, block: row.block) }?.entries.count ?? 0)
        }
        return Summary(snapshot: snapshot, observations: observations)
    }
}
