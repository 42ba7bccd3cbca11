import BeskplanCore
import Logging
import NIOCore
import PostgresNIO
import Storage

/// Writes one import's observations inside the caller's transaction: points are packed into one
/// block per series and decade as in SQLite, gathered into batches; each batch registers its new
/// series in one statement, reads the blocks that exist, merges, and goes in as one upsert of
/// arrays (`unnest`): three round trips per batch, however many series. Not `COPY`: PostgresNIO
/// 1.33's `copyFrom` never returns when the server goes away mid-import (it leaks its
/// continuation), and an import must fail cleanly then.
struct PostgresBulkWriter {
    private let connection: PostgresConnection
    private let logger: Logger
    private let origin: ImportOrigin
    private let importID: Int64
    private var seriesIDs: [SeriesKey: Int64] = [:]
    /// The chunks of the batch being gathered.
    private var gathered: [ObservationChunk] = []
    private var pendingPoints = 0
    private var observations = 0
    private var replaced = 0
    /// Points gathered before a batch is written.
    static let batchPoints = 50_000

    init(_ connection: PostgresConnection, origin: ImportOrigin, logger: Logger) async throws {
        self.connection = connection
        self.logger = logger
        self.origin = origin
        var id: Int64?
        let rows = try await connection.send(
            """
            INSERT INTO import (source, file, actor, started_at, published)
            VALUES (\(origin.source), \(origin.file), \(origin.actor), \(Audit.now()), \(origin.published))
            RETURNING id
            """, logger: logger)
        for try await value in rows.decode(Int64.self) { id = value }
        guard let id else { throw StoreError("could not record the import") }
        importID = id
    }

    mutating func write(_ chunk: ObservationChunk) async throws {
        for point in chunk.points where !point.value.isFinite {
            throw StoreError("\(chunk.series.measure) \(chunk.series.area) \(point.period): value is not a number")
        }
        gathered.append(chunk)
        observations += chunk.points.count
        pendingPoints += chunk.points.count
        if pendingPoints >= Self.batchPoints { try await flush() }
    }

    /// The gathered chunks' points by block row, their series registered.
    private mutating func blocks() async throws -> [Int64: (series: Int64, block: Int64, entries: [ObservationBlock.Entry])] {
        try await registerSeries(gathered.map(\.series))
        var pending: [Int64: (series: Int64, block: Int64, entries: [ObservationBlock.Entry])] = [:]
        for chunk in gathered {
            let series = seriesIDs[chunk.series]!
            for point in chunk.points {
                let period = PeriodKey.encode(point.period)
                let block = ObservationBlock.span(of: period).block
                let row = ObservationBlock.rowID(series: series, block: block)
                pending[row, default: (series, block, [])].entries.append(
                    ObservationBlock.Entry(period: period, value: point.value, importID: importID))
            }
        }
        gathered.removeAll(keepingCapacity: true)
        pendingPoints = 0
        return pending
    }

    /// Writes the gathered blocks over what the database holds.
    private mutating func flush() async throws {
        let pending = try await blocks()
        guard !pending.isEmpty else { return }
        let ids = pending.keys.sorted()
        var existing: [Int64: ByteBuffer] = [:]
        let rows = try await connection.send(
            "SELECT id, data FROM observation_block WHERE id = ANY(\(ids)) FOR UPDATE", logger: logger)
        for try await (id, data) in rows.decode((Int64, ByteBuffer).self) { existing[id] = data }

        var rowIDs: [Int64] = []
        var seriesColumn: [Int64] = []
        var blockColumn: [Int] = []
        var dataColumn: [ByteBuffer] = []
        for id in ids {
            guard let (series, block, gathered) = pending[id] else { continue }
            var entries = gathered
            replaced += ObservationBlock.normalize(&entries)
            var contents = ObservationBlock(entries: entries)
            if let stored = existing[id] {
                guard var old = stored.readableBytesView.withUnsafeBytes({ ObservationBlock(bytes: $0, block: block) }) else {
                    throw StoreError("observation block \(series)/\(block) is damaged")
                }
                replaced += old.merge(contents.entries).count
                contents = old
            }
            rowIDs.append(id)
            seriesColumn.append(series)
            blockColumn.append(Int(block))
            dataColumn.append(ByteBuffer(bytes: contents.encoded(block: block)))
        }
        try await connection.send(
            """
            INSERT INTO observation_block (id, series, block, data)
            SELECT id, series, block, data
            FROM unnest(\(rowIDs)::bigint[], \(seriesColumn)::bigint[], \(blockColumn)::integer[], \(dataColumn)::bytea[])
                AS batch (id, series, block, data)
            ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data
            """, logger: logger)
    }

    /// Records the totals on the import and in the audit log.
    mutating func finish(skipped: SkipReport, dryRun: Bool) async throws -> ImportResult {
        try await flush()
        try await connection.send(
            "UPDATE import SET series = \(seriesIDs.count), observations = \(observations), replaced = \(replaced) WHERE id = \(importID)",
            logger: logger)
        let detail = "\(origin.source) \(origin.file ?? "-"): \(observations) observations, \(replaced) replaced, \(skipped.total) skipped"
        try await connection.send(
            """
            INSERT INTO audit (at, actor, action, subject, detail, kommune, address)
            VALUES (\(Audit.now()), \(origin.actor), \(AuditAction.observationsImport.rawValue), \(AuditSubject.importRun(importID)), \(detail),
                    \(origin.scope.kommune?.rawValue), \(origin.scope.address))
            """, logger: logger)
        try await connection.send(PostgresQuery(unsafeSQL: raiseRevisionSQL), logger: logger)
        return ImportResult(
            importID: dryRun ? nil : importID, series: seriesIDs.count, observations: observations, replaced: replaced,
            skipped: skipped, dryRun: dryRun)
    }

    /// Finds or makes the ids of the series not known yet, in one statement; sorted, so that
    /// imports running at once take the rows' locks in the same order.
    private mutating func registerSeries(_ keys: [SeriesKey]) async throws {
        var new: [String: SeriesKey] = [:]
        for key in keys where seriesIDs[key] == nil { new[Self.text(key)] = key }
        guard !new.isEmpty else { return }
        let ordered = new.values.sorted { ($0.measure, $0.area.rawValue, $0.dimensionText) < ($1.measure, $1.area.rawValue, $1.dimensionText) }
        let rows = try await connection.send(
            """
            INSERT INTO series (measure, area, dims)
            SELECT measure, area, dims FROM unnest(\(ordered.map(\.measure))::text[], \(ordered.map(\.area.rawValue))::text[],
                \(ordered.map(\.dimensionText))::text[]) WITH ORDINALITY AS batch (measure, area, dims, n)
            ORDER BY n
            ON CONFLICT (measure, area, dims) DO UPDATE SET measure = EXCLUDED.measure
            RETURNING id, measure, area, dims
            """, logger: logger)
        for try await (id, measure, area, dims) in rows.decode((Int64, String, String, String).self) {
            guard let key = new["\(measure)\u{1F}\(area)\u{1F}\(dims)"] else { continue }
            seriesIDs[key] = id
        }
        if let missing = ordered.first(where: { seriesIDs[$0] == nil }) {
            throw StoreError("could not register series \(missing.measure) \(missing.area)")
        }
    }

    /// A series as the three texts it is stored as, joined.
    private static func text(_ key: SeriesKey) -> String { "\(key.measure)\u{1F}\(key.area.rawValue)\u{1F}\(key.dimensionText)" }
}
