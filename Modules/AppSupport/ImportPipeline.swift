import Foundation

/// Runs a source's parsing on a thread of its own, a bounded queue of chunks ahead of the store,
/// so that parsing and writing use both cores. The store still reads everything inside its one
/// transaction: an error from the parser reaches it through `nextChunk()` and rolls back.
final class ImportPipeline<Source: ObservationSource & ReadProgress & SendableMetatype>: ObservationSource {
    private let channel: Channel
    private let progress: (@Sendable (Int64, Int64) -> Void)?
    private var finished = false

    /// Starts reading `source` on a new thread; at most `capacity` chunks wait for the store.
    init(_ source: sending Source, capacity: Int = 32, progress: (@Sendable (Int64, Int64) -> Void)? = nil) {
        channel = Channel(capacity: capacity, total: source.totalBytes)
        self.progress = progress
        // The source was handed over (`sending`); from here only the producer thread touches it.
        nonisolated(unsafe) let owned = source
        let channel = self.channel
        let thread = Thread {
            var reader = owned
            do {
                while let chunk = try reader.nextChunk() {
                    guard channel.put(.chunk(chunk), bytesRead: reader.bytesRead) else { return }
                }
                _ = channel.put(.end(reader.skipped), bytesRead: reader.totalBytes)
            } catch {
                _ = channel.put(.failure(error), bytesRead: reader.bytesRead)
            }
        }
        thread.stackSize = 1 << 22
        thread.start()
    }

    deinit { channel.cancel() }

    private(set) var skipped = SkipReport()

    func nextChunk() throws -> ObservationChunk? {
        guard !finished else { return nil }
        let (item, bytes) = channel.take()
        progress?(bytes, channel.total)
        switch item {
        case .chunk(let chunk):
            return chunk
        case .end(let report):
            skipped = report
            finished = true
            return nil
        case .failure(let error):
            finished = true
            throw error
        }
    }

    private enum Item: @unchecked Sendable {
        // Unchecked: an `any Error` from the parser crosses to the store's thread once.
        case chunk(ObservationChunk)
        case end(SkipReport)
        case failure(any Error)
    }

    /// A bounded queue between the two threads.
    private final class Channel: @unchecked Sendable {
        // Unchecked: all state is read and written under `condition`.
        let total: Int64
        private let capacity: Int
        private let condition = NSCondition()
        private var items: [(Item, Int64)] = []
        private var head = 0
        private var cancelled = false

        init(capacity: Int, total: Int64) {
            self.capacity = capacity
            self.total = total
        }

        /// Waits for room; `false` once the consumer has gone away.
        func put(_ item: Item, bytesRead: Int64) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while items.count - head >= capacity && !cancelled { condition.wait() }
            guard !cancelled else { return false }
            items.append((item, bytesRead))
            condition.broadcast()
            return true
        }

        func take() -> (Item, Int64) {
            condition.lock()
            defer { condition.unlock() }
            while items.count == head { condition.wait() }
            let next = items[head]
            head += 1
            if head > 1024 {
                items.removeFirst(head)
                head = 0
            }
            condition.broadcast()
            return next
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
