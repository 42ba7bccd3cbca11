@_exported import BeskplanCore
import AllPlugins
import Foundation
import PluginKit
import PostgresStorage
import ServiceLifecycle
import Storage

/// The one composition root: the store chosen by `--db`/`BESKPLAN_DB`, the plugin registry and
/// the catalogs, wired the same way for the CLI, the server, the report builder and the tests.
///
/// The store is the environment's own: the front doors reach it only through the services
/// (`PlanService`, `AssessmentService`, `PublicationService`, `AuditService`, `AccountService`,
/// `FetchService`, …), so that every door does each thing one way.
public struct AppEnvironment: Sendable {
    let store: any Store
    /// What time it is; tests set and move it.
    public let clock: AppClock
    public let registry: PluginRegistry
    public let areas: AreaCatalog
    public let dimensions: DimensionCatalog
    public let ministermaal: MinistermaalCatalog
    public let database: DatabaseLocation

    /// The standard and plugin measures.
    public var measures: MeasureCatalog { registry.measures }

    /// Opens the store and migrates it, so every command works on a new database.
    public static func open(database: DatabaseLocation) async throws -> AppEnvironment {
        let store = try database.openStore()
        try await store.migrate()
        return try AppEnvironment(store: store, database: database)
    }

    /// Opens the store for a server, whose service group runs what the store needs (PostgreSQL's
    /// connection pool: started before the server, stopped after its last request) — `services`,
    /// for the group. Nothing is read before the group runs: `migrate()` then, before serving.
    public static func openForServer(database: DatabaseLocation) throws -> (AppEnvironment, services: [any Service]) {
        let store: any Store = switch database {
        case .postgres(let url): try PostgresStore(url: url, runsItself: false)
        default: try database.openStore()
        }
        let services: [any Service] = [(store as? PostgresStore)?.service].compactMap { $0 }
        return (try AppEnvironment(store: store, database: database), services)
    }

    /// Brings the schema up to date, or refuses a newer one (`StoreError.newerSchema`).
    public func migrate() async throws {
        try await store.migrate()
    }

    /// Creates the database or brings its schema up to date: the migrations applied now, and all.
    public static func migrate(_ database: DatabaseLocation) async throws -> (applied: [String], all: [String]) {
        let store = try database.openStore()
        let applied = try await store.migrate()
        return (applied, try await store.appliedMigrations())
    }

    /// Copies a SQLite database, while a server may be using it, into a new file (`Store.backup`)
    /// — as it is: never created or migrated first (a backup before an upgrade is of the old schema).
    public static func backup(_ database: DatabaseLocation, to path: String) async throws {
        switch database {
        case .file(let file):
            guard FileManager.default.fileExists(atPath: file) else { throw StoreError("\(file): no such database to back up") }
        case .memory:
            throw StoreError("a database in memory has nothing to back up")
        case .postgres:
            throw StoreError("a PostgreSQL database is backed up with pg_dump --format=custom and restored with pg_restore (docs/operations.md)")
        }
        try await database.openStore().backup(to: path)
    }

    /// Opens the database for a dry run so that it is never created, migrated or changed: a file
    /// is copied to a temporary folder (with its WAL) and a missing file becomes an empty database
    /// in memory; `cleanup` removes the copy. PostgreSQL is used as it is (the import is rolled
    /// back) but never migrated.
    public static func openScratchCopy(
        of database: DatabaseLocation
    ) async throws -> (AppEnvironment, cleanup: @Sendable () -> Void) {
        let path: String
        switch database {
        case .memory:
            return (try await open(database: database), {})
        case .postgres:
            let store = try database.openStore()
            guard try await store.appliedMigrations().count == PostgresStore.migrationCount else {
                throw StoreError("\(database): the schema is not up to date; run beskplan db migrate first")
            }
            return (try AppEnvironment(store: store, database: database), {})
        case .file(let file):
            path = file
        }
        let files = FileManager.default
        guard files.fileExists(atPath: path) else { return (try await open(database: .memory), {}) }
        let folder = files.temporaryDirectory.appendingPathComponent("beskplan-dry-run-\(UUID().uuidString)")
        try files.createDirectory(at: folder, withIntermediateDirectories: true)
        let cleanup: @Sendable () -> Void = { try? FileManager.default.removeItem(at: folder) }
        do {
            let copy = folder.appendingPathComponent("scratch.sqlite").path
            try files.copyItem(atPath: path, toPath: copy)
            if files.fileExists(atPath: path + "-wal") { try files.copyItem(atPath: path + "-wal", toPath: copy + "-wal") }
            return (try await open(database: .file(copy)), cleanup)
        } catch {
            cleanup()
            throw error
        }
    }

    /// Wires an environment around an open store (tests pass an in-memory one).
    public init(store: any Store, database: DatabaseLocation, clock: AppClock = .system) throws {
        self.store = store
        self.clock = clock
        self.database = database
        self.registry = try Self.builtInPlugins()
        self.areas = .standard
        self.dimensions = .standard
        self.ministermaal = .standard
    }

    /// The registry of the plugins built into this beskplan (no database needed).
    public static func builtInPlugins() throws -> PluginRegistry {
        try AllPlugins.registry()
    }

    /// Whether the store answers: for `/readyz`.
    /// What `/readyz` says: the database answers and has every migration this binary knows.
    public enum Readiness: Sendable, Equatable {
        case ready(schema: String)
        case unreachable
        case schemaBehind(have: String, want: String)
    }

    public func readiness() async -> Readiness {
        guard let applied = try? await store.appliedMigrations() else { return .unreachable }
        let known = store.knownMigrations
        guard applied.count >= known.count else { return .schemaBehind(have: applied.last ?? "none", want: known.last ?? "none") }
        return .ready(schema: known.last ?? "none")
    }

    /// The kommune a user named by code, slug or name.
    public func kommune(_ text: String) throws -> Area {
        let area = try areas.lookup(text)
        guard area.kind == .kommune else {
            throw LookupError(kind: "kommune", name: text, suggestion: nil)
        }
        return area
    }
}

/// Where the database is: a file path (the default `./beskplan.sqlite`), memory, or a PostgreSQL URL.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    case file(String)
    case memory
    case postgres(String)

    /// The file every command uses unless told otherwise.
    public static let defaultPath = "beskplan.sqlite"

    /// From `--db`, else `BESKPLAN_DB`, else `./beskplan.sqlite`.
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> DatabaseLocation
    {
        let text = option ?? environment["BESKPLAN_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
        if text == ":memory:" { return .memory }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") { return .postgres(text) }
        return .file(text)
    }

    public var description: String {
        switch self {
        case .file(let path): path
        case .memory: ":memory:"
        case .postgres(let url): Self.redacted(url)
        }
    }

    /// Opens the store without migrating it (the benchmarks time the store itself).
    package func openStore() throws -> any Store {
        switch self {
        case .file(let path): return try SQLiteStore(path: path)
        case .memory: return try SQLiteStore()
        case .postgres(let url): return try PostgresStore(url: url)
        }
    }

    /// The URL without its password, for messages.
    private static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
