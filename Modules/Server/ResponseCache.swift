/// Rendered answers (an evaluation's JSON, a report) kept while the store's revision is the one
/// they were made at. The revision comes from the store on each request, so an import, a plan
/// version or an assessment saved through any process makes every process render anew.
actor ResponseCache<Value: Sendable> {
    private struct Entry {
        let revision: String
        let value: Value
        var used: UInt64
    }

    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0
    let capacity: Int

    init(capacity: Int = 256) { self.capacity = capacity }

    /// The value for `key` made at `revision`, or made now by `make` and kept.
    func value(for key: String, revision: String, make: @Sendable () async throws -> Value) async throws -> Value {
        clock += 1
        if var entry = entries[key], entry.revision == revision {
            entry.used = clock
            entries[key] = entry
            return entry.value
        }
        let value = try await make()
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
        entries[key] = Entry(revision: revision, value: value, used: clock)
        return value
    }
}
