import Foundation

/// Runs a source's parsing on a thread of its own, a bounded queue of batches of chunks ahead of
/// the store, so that parsing and writing use both cores. The store still reads everything inside its one
/// transaction: an error from the parser reaches it through `nextChunk()` and rolls back.
///
/// Given several sources (the segments of one file, in file order), each gets its own thread.
/// Chunks then arrive interleaved, and the order of the file decides which value of a key wins;
/// so a series that a later segment has already delivered may not come again from an earlier
/// one: that is an `ImportPipeline.OrderConflict`, and the caller reads the file whole instead.
/// For tables (CSV, SDMX) a series may come from one segment only (`oneSegmentPerSeries`), so
/// that one reader sees every cell of it and a cell given twice cannot pass unseen.
final class ImportPipeline<Source: ObservationSource & ReadProgress & SendableMetatype>: ObservationSource {
    /// A series came from an earlier segment after a later segment had delivered it.
    struct OrderConflict: Error {}

    private let channel: Channel
    private let progress: (@Sendable (Int64, Int64) -> Void)?
    private var running: Int
    private var bytesRead: [Int64]
    /// For several segments: the latest segment that delivered each series.
    private var latestSegment: [SeriesKey: Int] = [:]
    /// The batch being handed to the store.
    private var pending: (chunks: [ObservationChunk], index: Int, segment: Int) = ([], 0, 0)
    /// Runs once every source has ended, with what they skipped and how many points they gave:
    /// a throw rolls the import back (an import that would store nothing, a `select:` that
    /// matches nothing).
    private var finish: ((SkipReport, Int) throws -> Void)?
    private var pointsYielded = 0
    /// Tables (CSV, SDMX): a series may come from one segment only, so that every cell is checked
    /// for being given twice by one reader; a series in two segments has the file read whole.
    private let oneSegmentPerSeries: Bool
    /// Checks each chunk before the store sees it (an upload of one kommune's own figures); a
    /// throw rolls the import back.
    private let accept: ((ObservationChunk) throws -> Void)?
    /// Points a producer gathers before handing them over.
    static var batchPoints: Int { 8192 }

    /// Starts reading `source` on a new thread; at most `capacity` batches wait for the store.
    convenience init(
        _ source: sending Source, capacity: Int = 8, progress: (@Sendable (Int64, Int64) -> Void)? = nil,
        finish: ((SkipReport, Int) throws -> Void)? = nil, accept: ((ObservationChunk) throws -> Void)? = nil
    ) {
        self.init(segments: [source], capacity: capacity, progress: progress, finish: finish, accept: accept)
    }

    /// Starts one thread per source; `sources` are the segments of one input, in order.
    init(
        segments sources: sending [Source], capacity: Int = 8, progress: (@Sendable (Int64, Int64) -> Void)? = nil,
        finish: ((SkipReport, Int) throws -> Void)? = nil, oneSegmentPerSeries: Bool = false,
        accept: ((ObservationChunk) throws -> Void)? = nil
    ) {
        channel = Channel(capacity: capacity, total: sources.reduce(0) { $0 + $1.totalBytes })
        self.progress = progress
        self.finish = finish
        self.accept = accept
        self.oneSegmentPerSeries = oneSegmentPerSeries
        running = sources.count
        bytesRead = Array(repeating: 0, count: sources.count)
        // The sources were handed over (`sending`); from here only their producer threads touch them.
        nonisolated(unsafe) let owned = sources
        for (segment, source) in owned.enumerated() {
            nonisolated(unsafe) let source = source
            let channel = self.channel
            let thread = Thread {
                var reader = source
                do {
                    // Chunks travel in batches of some thousand points: one hand-over per chunk
                    // would cost more in thread wake-ups than small chunks take to store.
                    var batch: [ObservationChunk] = []
                    var points = 0
                    while let chunk = try reader.nextChunk() {
                        batch.append(chunk)
                        points += chunk.points.count
                        guard points >= Self.batchPoints else { continue }
                        guard channel.put(.chunks(batch), segment: segment, bytesRead: reader.bytesRead) else { return }
                        batch = []
                        points = 0
                    }
                    if !batch.isEmpty {
                        guard channel.put(.chunks(batch), segment: segment, bytesRead: reader.bytesRead) else { return }
                    }
                    _ = channel.put(.end(reader.skipped), segment: segment, bytesRead: reader.totalBytes)
                } catch {
                    _ = channel.put(.failure(error), segment: segment, bytesRead: reader.bytesRead)
                }
            }
            thread.stackSize = 1 << 22
            thread.start()
        }
    }

    deinit { channel.cancel() }

    private(set) var skipped = SkipReport()

    func nextChunk() throws -> ObservationChunk? {
        while running > 0 || pending.index < pending.chunks.count {
            if pending.index < pending.chunks.count {
                let chunk = pending.chunks[pending.index]
                pending.index += 1
                if bytesRead.count > 1 {
                    let latest = latestSegment[chunk.series, default: pending.segment]
                    guard oneSegmentPerSeries ? latest == pending.segment : latest <= pending.segment else {
                        running = 0
                        pending = ([], 0, 0)
                        throw OrderConflict()
                    }
                    latestSegment[chunk.series] = pending.segment
                }
                try accept?(chunk)
                pointsYielded += chunk.points.count
                return chunk
            }
            let (item, segment, bytes) = channel.take()
            bytesRead[segment] = bytes
            progress?(bytesRead.reduce(0, +), channel.total)
            switch item {
            case .chunks(let chunks):
                pending = (chunks, 0, segment)
            case .end(let report):
                skipped.merge(report)
                running -= 1
            case .failure(let error):
                running = 0
                throw error
            }
        }
        if let finish {
            self.finish = nil
            try finish(skipped, pointsYielded)
        }
        return nil
    }

    private enum Item: @unchecked Sendable {
        // Unchecked: an `any Error` from the parser crosses to the store's thread once.
        case chunks([ObservationChunk])
        case end(SkipReport)
        case failure(any Error)
    }

    /// A bounded queue between the two threads.
    private final class Channel: @unchecked Sendable {
        // Unchecked: all state is read and written under `condition`.
        let total: Int64
        private let capacity: Int
        private let condition = NSCondition()
        private var items: [(Item, Int, Int64)] = []
        private var cancelled = false

        init(capacity: Int, total: Int64) {
            self.capacity = capacity
            self.total = total
        }

        /// Waits for room; `false` once the consumer has gone away.
        func put(_ item: Item, segment: Int, bytesRead: Int64) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while items.count >= capacity && !cancelled { condition.wait() }
            guard !cancelled else { return false }
            items.append((item, segment, bytesRead))
            condition.broadcast()
            return true
        }

        func take() -> (Item, Int, Int64) {
            condition.lock()
            defer { condition.unlock() }
            while items.isEmpty { condition.wait() }
            // Taken out at once: a batch the store has written must not stay referenced here.
            let next = items.removeFirst()
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
