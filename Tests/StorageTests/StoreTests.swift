import BeskplanCore
import Foundation
import GRDB
import PostgresStorage
import TestSupport
@testable import Storage
import Testing

/// The store contract, one suite for every store: SQLite in memory and in a file, and
/// PostgreSQL (a real server: `tools/test` starts one and names it in `BESKPLAN_TEST_POSTGRES`).
@Suite("Store contract")
struct StoreTests {
    enum Kind: String, CaseIterable, Sendable { case memory, file, postgres }

    /// Every store the contract runs on. Without a PostgreSQL server the PostgreSQL cases fail,
    /// unless `BESKPLAN_SKIP_POSTGRES=1` says to leave them out (and the run says so).
    static let kinds: [Kind] = {
        guard TestPostgres.skipped else { return Kind.allCases }
        print("warning: BESKPLAN_SKIP_POSTGRES=1: the store contract runs on SQLite only")
        return [.memory, .file]
    }()

    /// The stores with more than one connection: a second writer, or a reader beside the writer
    /// (one in-memory SQLite connection has neither).
    static let sharedKinds = kinds.filter { $0 != .memory }

    static func makeStore(_ kind: Kind) async throws -> (any Store, TemporaryDirectory?) {
        switch kind {
        case .memory:
            let store = try SQLiteStore()
            try await store.migrate()
            return (store, nil)
        case .file:
            let dir = try TemporaryDirectory()
            let store = try SQLiteStore(path: dir.path("store.sqlite"))
            try await store.migrate()
            return (store, dir)
        case .postgres:
            let store = try PostgresStore(url: try await TestPostgres.newDatabase())
            try await store.migrate()
            return (store, nil)
        }
    }

    static let kontanthjaelp = SeriesKey(measure: "ydelse.fuldtidspersoner", area: "820", dimensions: ["ydelse": "kontanthjaelp"])
    static let sygedagpenge = SeriesKey(measure: "ydelse.fuldtidspersoner", area: "820", dimensions: ["ydelse": "sygedagpenge"])
    static let regionKontanthjaelp = SeriesKey(measure: "ydelse.fuldtidspersoner", area: "081", dimensions: ["ydelse": "kontanthjaelp"])

    static var demoChunks: [ObservationChunk] {
        [
            ObservationChunk(series: kontanthjaelp, points: [
                DataPoint(period: .quarter(2018, 2), value: 432), DataPoint(period: .quarter(2019, 2), value: 391),
                DataPoint(period: .year(2019), value: 400),
            ]),
            ObservationChunk(series: sygedagpenge, points: [
                DataPoint(period: .quarter(2018, 2), value: 409), DataPoint(period: .quarter(2019, 2), value: 491),
            ]),
            ObservationChunk(series: regionKontanthjaelp, points: [DataPoint(period: .quarter(2019, 2), value: 5012.5)]),
        ]
    }

    @Test("A bulk write is read back by measure, area, dimension and period range", arguments: kinds)
    func bulkWriteThenQuery(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        let result = try await store.importObservations(
            ImportOrigin(source: "test", file: "demo.xml"), from: ChunkList(Self.demoChunks), dryRun: false)
        #expect(result.observations == 6)
        #expect(result.series == 3)
        #expect(result.replaced == 0)

        let all = try await store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner"))
        #expect(all.count == 6)
        #expect(all.first?.series.area == "081")

        let kommune = try await store.observations(ObservationQuery(
            measure: "ydelse.fuldtidspersoner", areas: ["820"], dimensions: ["ydelse": "kontanthjaelp"]))
        #expect(kommune.map(\.period) == [.quarter(2018, 2), .year(2019), .quarter(2019, 2)])
        #expect(kommune.map(\.value) == [432, 400, 391])
        #expect(kommune.allSatisfy { $0.importID == result.importID })

        // The year 2019 ends after 2019K2, so a range up to 2019K2 leaves it out.
        let ranged = try await store.observations(ObservationQuery(
            measure: "ydelse.fuldtidspersoner", areas: ["820"], dimensions: ["ydelse": "kontanthjaelp"],
            from: .quarter(2019, 1), to: .quarter(2019, 2)))
        #expect(ranged.map(\.value) == [391])

        let nothing = try await store.observations(ObservationQuery(measure: "ledighed.procent", areas: ["820"]))
        #expect(nothing.isEmpty)
    }

    @Test("Re-importing a key replaces its value and records the new import", arguments: kinds)
    func replaceSemantics(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        let first = try await store.importObservations(
            ImportOrigin(source: "test"), from: ChunkList(Self.demoChunks), dryRun: false)
        let correction = [ObservationChunk(series: Self.kontanthjaelp, points: [
            DataPoint(period: .quarter(2019, 2), value: 390), DataPoint(period: .quarter(2020, 2), value: 350),
        ])]
        let second = try await store.importObservations(
            ImportOrigin(source: "test", file: "correction.csv"), from: ChunkList(correction), dryRun: false)
        #expect(second.observations == 2)
        #expect(second.replaced == 1)
        #expect(second.importID != first.importID)

        let values = try await store.observations(ObservationQuery(
            measure: "ydelse.fuldtidspersoner", areas: ["820"], dimensions: ["ydelse": "kontanthjaelp"]))
        #expect(values.map(\.value) == [432, 400, 390, 350])
        #expect(values.first { $0.period == .quarter(2019, 2) }?.importID == second.importID)
        #expect(values.first { $0.period == .quarter(2018, 2) }?.importID == first.importID)
    }

    @Test("A key given twice in one import: the later value wins and counts as replaced", arguments: kinds)
    func laterWinsWithinImport(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        let chunks = [
            ObservationChunk(series: Self.kontanthjaelp, points: [
                DataPoint(period: .month(2019, 3), value: 3), DataPoint(period: .month(2019, 1), value: 1),
                DataPoint(period: .month(2019, 3), value: 33), DataPoint(period: .month(2020, 1), value: 5),
            ]),
            ObservationChunk(series: Self.sygedagpenge, points: [DataPoint(period: .month(2019, 1), value: 9)]),
            ObservationChunk(series: Self.kontanthjaelp, points: [
                DataPoint(period: .month(2019, 2), value: 2), DataPoint(period: .month(2019, 1), value: 11),
            ]),
        ]
        let result = try await store.importObservations(ImportOrigin(source: "test"), from: ChunkList(chunks), dryRun: false)
        #expect(result.observations == 7)
        #expect(result.replaced == 2)
        let values = try await store.observations(ObservationQuery(
            measure: "ydelse.fuldtidspersoner", areas: ["820"], dimensions: ["ydelse": "kontanthjaelp"]))
        #expect(values.map(\.period) == [.month(2019, 1), .month(2019, 2), .month(2019, 3), .month(2020, 1)])
        #expect(values.map(\.value) == [11, 2, 33, 5])
    }

    @Test("A source that fails midway leaves the database as it was", arguments: kinds)
    func allOrNothing(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        try await store.importObservations(ImportOrigin(source: "test"), from: ChunkList(Self.demoChunks), dryRun: false)
        let before = try await store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner"))
        let auditBefore = try await store.auditLog(limit: 100)

        var failing = FailingSource(chunks: [
            ObservationChunk(series: Self.kontanthjaelp, points: [DataPoint(period: .quarter(2019, 2), value: 1)]),
            ObservationChunk(series: SeriesKey(measure: "ledighed.procent", area: "820"),
                             points: [DataPoint(period: .month(2019, 7), value: 3.2)]),
        ])
        failing.failAfter = 2
        await #expect(throws: FailingSource.Failure.self) {
            try await store.importObservations(ImportOrigin(source: "test"), from: failing, dryRun: false)
        }
        #expect(try await store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner")) == before)
        #expect(try await store.observations(ObservationQuery(measure: "ledighed.procent")).isEmpty)
        #expect(try await store.auditLog(limit: 100) == auditBefore)
    }

    @Test("A value that is not a number is refused and nothing is written", arguments: kinds)
    func refusesNaN(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        let chunks = [ObservationChunk(series: Self.kontanthjaelp, points: [
            DataPoint(period: .quarter(2019, 1), value: 1), DataPoint(period: .quarter(2019, 2), value: .nan),
        ])]
        await #expect(throws: StoreError.self) {
            try await store.importObservations(ImportOrigin(source: "test"), from: ChunkList(chunks), dryRun: false)
        }
        #expect(try await store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner")).isEmpty)
    }

    @Test("A dry run counts what it would write and writes nothing", arguments: kinds)
    func dryRun(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        let result = try await store.importObservations(
            ImportOrigin(source: "test"), from: ChunkList(Self.demoChunks), dryRun: true)
        #expect(result.observations == 6)
        #expect(result.importID == nil)
        #expect(try await store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner")).isEmpty)
    }

    @Test("Each save is a new version; the latest is current", arguments: kinds)
    func planVersions(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        var plan = Plan(kommune: "741", year: 2024, title: "Beskæftigelsesplan 2024", goals: [
            Goal(id: "2", kind: .minister, serves: [2, 5], title: "Flere ledige skal opkvalificeres", targets: [
                Target(id: "2.1", follows: "Opkvalificering", measures: "Påbegyndte opkvalificeringsforløb",
                       rule: .threshold(.init(measure: "samsoe.opkvalificeringsforloeb", period: .year(2024),
                                              aggregate: .sum, op: .atLeast, value: 10))),
            ]),
        ])
        let v1 = try await store.savePlan(plan, author: "analytiker")
        plan.status = .godkendt
        plan.approvals = [Approval(body: "Social- og Beskæftigelsesudvalget", date: "2023-11-20")]
        let v2 = try await store.savePlan(plan, author: "udvalgssekretær")
        #expect(v1.version == 1)
        #expect(v2.version == 2)

        let current = try #require(try await store.currentPlan(kommune: "741", year: 2024))
        #expect(current.info.version == 2)
        #expect(current.info.author == "udvalgssekretær")
        #expect(current.plan == plan)
        #expect(try await store.plan(kommune: "741", year: 2024, version: 1)?.plan.status == .udkast)
        #expect(try await store.planVersions(kommune: "741", year: 2024).map(\.version) == [1, 2])
        #expect(try await store.plans().map(\.version) == [2])
        #expect(try await store.currentPlan(kommune: "741", year: 2023) == nil)

        let audit = try await store.auditLog(limit: 2)
        #expect(audit.map(\.action) == ["plan.save", "plan.save"])
        #expect(audit.first?.subject == "plan 741/2024 v2")
        #expect(audit.first?.actor == "udvalgssekretær")
    }

    @Test("Migrating an empty file creates the schema once, in WAL mode")
    func migrateEmptyFile() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("new.sqlite")
        let store = try SQLiteStore(path: path)
        #expect(try await store.appliedMigrations().isEmpty)
        let applied = try await store.migrate()
        #expect(applied == [
            "0001-observations", "0002-plans", "0003-audit", "0004-assessments", "0005-observation-blocks", "0006-accounts",
            "0007-kommune-audit", "0008-import-published", "0009-fetch-schedule", "0010-login-failure-address",
            "0011-approved-report",
        ])
        #expect(try await store.migrate().isEmpty)
        #expect(try await store.auditLog(limit: 10).map(\.action) == ["db.migrate"])

        let journal = try await DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")

        // A second process opening the same file sees the migrated schema.
        #expect(try await SQLiteStore(path: path).appliedMigrations().count == 11)
    }

    @Test("Observations stored one row each (before 0005) read back the same once packed")
    func packsExistingObservations() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("old.sqlite")
        let old = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        for migration in Migrations.all.prefix(4) {
            migrator.registerMigration(migration.id, migrate: migration.apply)
        }
        try migrator.migrate(old)
        try await old.write { db in
            try db.execute(sql: """
                INSERT INTO import (id, source, actor, started_at) VALUES (1, 'feed', 'ana', '2020-01-01'), (2, 'csv', 'bo', '2021-01-01');
                INSERT INTO series (id, measure, area, dims) VALUES (7, 'ydelse.fuldtidspersoner', '820', 'ydelse=kontanthjaelp');
                """)
            let rows: [(Period, Double, Int64)] = [
                (.month(2018, 12), 431, 1), (.quarter(2019, 2), 391, 2), (.year(2019), 400, 1), (.month(2019, 1), 399.5, 2),
            ]
            for (period, value, importID) in rows {
                try db.execute(
                    sql: "INSERT INTO observation (series, period, value, import) VALUES (7, ?, ?, ?)",
                    arguments: [PeriodKey.encode(period), value, importID])
            }
        }
        try old.close()

        let store = try SQLiteStore(path: path)
        #expect(try await store.migrate() == ["0005-observation-blocks", "0006-accounts", "0007-kommune-audit", "0008-import-published", "0009-fetch-schedule", "0010-login-failure-address", "0011-approved-report"])
        let values = try await store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner"))
        #expect(values.map(\.period) == [.month(2018, 12), .year(2019), .month(2019, 1), .quarter(2019, 2)])
        #expect(values.map(\.value) == [431, 400, 399.5, 391])
        #expect(values.map(\.importID) == [1, 1, 2, 2])
        let tables = try await DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'observation%'")
        }
        #expect(tables == ["observation_block"])
    }

    @Test("An import is recorded in the audit log", arguments: kinds)
    func auditImport(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        let result = try await store.importObservations(
            ImportOrigin(source: "feed", file: "vesthimmerland.xml", actor: "ana"), from: ChunkList(Self.demoChunks),
            dryRun: false)
        let entry = try #require(try await store.auditLog(limit: 1).first)
        #expect(entry.action == "observations.import")
        #expect(entry.actor == "ana")
        #expect(entry.subject == "import \(result.importID!)")
        #expect(entry.detail.contains("vesthimmerland.xml"))
        #expect(entry.detail.contains("6 observations"))
    }

    @Test("Audit rows carry the request's address and kommune; a kommune's log holds only its own rows", arguments: kinds)
    func auditScope(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        try await AuditScope.$current.withValue(AuditScope(address: "10.0.0.7", kommune: "820")) {
            try await store.importObservations(
                ImportOrigin(source: "feed", file: "lokal.xml", actor: "ana"), from: ChunkList(Self.demoChunks), dryRun: false)
            // A row that names its own kommune keeps it, whatever the request's scope.
            try await store.saveAssessment(Assessment(
                kommune: "741", year: 2024, target: "1.1", status: .opfyldt, note: "ok", date: "2024-05-01", author: "bo"))
        }
        try await store.appendAudit(actor: "cli", action: .logout, subject: "-", detail: "")
        let all = try await store.auditLog(limit: 3)
        #expect(all.map(\.action) == ["logout", "assessment.save", "observations.import"])
        #expect(all.map(\.kommune) == [nil, "741", "820"])
        #expect(all.map(\.address) == [nil, "10.0.0.7", "10.0.0.7"])
        #expect(try await store.auditLog(limit: 10, kommune: "820").map(\.action) == ["observations.import"])
        // Sign-ins, failed ones above all, leave the revision (and so every cache) alone.
        let revision = try await store.revision()
        let attempt = try await store.beginLogin(username: "x", address: "10.0.0.9", at: 1, since: 0)
        try await store.endLogin(attempt, succeeded: false)
        try await store.appendAudit(actor: "x", action: .login, subject: "user x", detail: "")
        #expect(try await store.revision() == revision)
    }

    @Test("A target's notes are kept, every one, newest first; the latest per target counts for the evaluation", arguments: kinds)
    func assessmentHistory(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        for (i, note) in ["Første note", "Anden note", "Tredje note"].enumerated() {
            try await store.saveAssessment(Assessment(
                kommune: "741", year: 2024, target: "1.1", status: i == 2 ? .opfyldt : .iRisiko, note: note,
                date: "2024-0\(i + 3)-01", author: "bo"))
        }
        try await store.saveAssessment(Assessment(
            kommune: "741", year: 2024, target: "1.2", status: .opfyldt, note: "Andet mål", date: "2024-04-01", author: "bo"))
        #expect(try await store.assessmentHistory(kommune: "741", year: 2024, target: "1.1").map(\.note)
            == ["Tredje note", "Anden note", "Første note"])
        #expect(try await store.assessments(kommune: "741", year: 2024).map(\.note) == ["Tredje note", "Andet mål"])
        #expect(try await store.assessmentHistory(kommune: "773", year: 2024, target: "1.1").isEmpty)
    }

    @Test("A kommune's decisions: the latest say on publishing counts; a follow-up made final is kept per year", arguments: kinds)
    func kommuneEvents(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        #expect(try await store.events(kommune: "741").isPublished == false)
        try await store.recordEvent(KommuneEvent(kommune: "741", kind: .published, author: "admin"))
        try await store.recordEvent(KommuneEvent(kommune: "741", kind: .followUpFinal, year: 2024, asOf: "2024-12-31", author: "ed"))
        try await store.recordEvent(KommuneEvent(kommune: "773", kind: .published, author: "other"))
        try await store.recordEvent(KommuneEvent(kommune: "741", kind: .unpublished, author: "admin"))
        let events = try await store.events(kommune: "741")
        #expect(events.map(\.kind) == [.published, .followUpFinal, .unpublished])
        #expect(!events.isPublished)
        #expect(try await store.events(kommune: "773").isPublished)
        let final = try #require(events.finalFollowUp(year: 2024))
        #expect(final.asOf == "2024-12-31" && final.author == "ed" && !final.at.isEmpty)
        #expect(events.finalFollowUp(year: 2023) == nil)
        let before = try await store.revision()
        try await store.recordEvent(KommuneEvent(kommune: "741", kind: .published, author: "admin"))
        #expect(try await store.revision() != before, "a decision renews cached reports")
        #expect(try await store.auditLog(limit: 1, kommune: "741").first?.action == "kommune.published")
        #expect(try await store.snapshot().events.count == 5)
    }

    @Test("Thousands of points over many decades read back bit for bit, in batches", arguments: kinds)
    func manyPoints(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        var chunks: [ObservationChunk] = []
        for area in ["101", "147", "151", "153"] {
            let points: [DataPoint] = (0..<720).map { (m: Int) -> DataPoint in
                let value: Double = Double(m) / 7 - 40
                return DataPoint(period: .month(1970 + m / 12, m % 12 + 1), value: value)
            }
            chunks.append(ObservationChunk(series: SeriesKey(measure: "ledighed.procent", area: AreaCode(area)), points: points))
        }
        let result = try await store.importObservations(ImportOrigin(source: "test"), from: ChunkList(chunks), dryRun: false)
        #expect(result.observations == 4 * 720)
        let back = try await store.observations(ObservationQuery(measure: "ledighed.procent", areas: ["147"]))
        #expect(back.count == 720)
        let expected: [UInt64] = (0..<720).map { (m: Int) -> UInt64 in (Double(m) / 7 - 40).bitPattern }
        #expect(back.map(\.value.bitPattern) == expected)
        let again = try await store.importObservations(ImportOrigin(source: "test"), from: ChunkList(chunks), dryRun: false)
        #expect(again.replaced == 4 * 720)
    }

    @Test("Two imports at once, of different series and of the same series, both complete; the later wins", arguments: sharedKinds)
    func concurrentImports(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        func chunks(_ area: AreaCode, _ value: Double) -> [ObservationChunk] {
            [ObservationChunk(series: SeriesKey(measure: "ledighed.procent", area: area),
                              points: (1...12).map { DataPoint(period: .month(2024, $0), value: value) })]
        }
        async let a = store.importObservations(ImportOrigin(source: "a"), from: ChunkList(chunks("101", 1)), dryRun: false)
        async let b = store.importObservations(ImportOrigin(source: "b"), from: ChunkList(chunks("147", 2)), dryRun: false)
        async let c = store.importObservations(ImportOrigin(source: "c"), from: ChunkList(chunks("101", 3)), dryRun: false)
        let results = try await [a, b, c]
        #expect(results.map(\.observations) == [12, 12, 12])
        let kbh = try await store.observations(ObservationQuery(measure: "ledighed.procent", areas: ["101"]))
        let later = results[0].importID! > results[2].importID! ? 1.0 : 3.0
        #expect(kbh.map(\.value) == Array(repeating: later, count: 12), "the import that committed last holds every value")
        #expect(try await store.observations(ObservationQuery(measure: "ledighed.procent", areas: ["147"])).count == 12)
    }

    @Test("Users, sessions, tokens and failed logins are kept, shared and audited", arguments: kinds)
    func accounts(kind: Kind) async throws {
        let (store, dir) = try await Self.makeStore(kind)
        defer { _ = dir }
        let anna = try await store.addAccount(
            Account(username: "anna", kommune: "820", role: .editor, passwordHash: "$2b$04$hash"), actor: "operator")
        #expect(anna.id > 0)
        await #expect(throws: StoreError.self) {
            try await store.addAccount(Account(username: "anna", kommune: "101", role: .viewer, passwordHash: "x"), actor: "operator")
        }
        try await store.addAccount(Account(username: "ops", kommune: nil, role: .operator, passwordHash: "y"), actor: "operator")
        #expect(try await store.accounts(kommune: "820").map(\.username) == ["anna"])
        #expect(try await store.accounts(kommune: nil).map(\.username) == ["anna", "ops"])
        #expect(try await store.account(username: "ops")?.kommune == nil)

        var changed = anna
        changed.disabled = true
        changed.role = .viewer
        try await store.updateAccount(changed, action: .userDisable, actor: "operator")
        let reread = try await store.account(id: anna.id)
        #expect(reread?.disabled == true && reread?.role == .viewer && reread?.kommune == "820")

        let session = SessionRecord(secretHash: "s1", accountID: anna.id, csrfToken: "c1", createdAt: 100, lastSeenAt: 100)
        try await store.addSession(session)
        try await store.touchSession(secretHash: "s1", at: 160)
        #expect(try await store.session(secretHash: "s1")?.lastSeenAt == 160)
        try await store.removeSessions(accountID: anna.id)
        #expect(try await store.session(secretHash: "s1") == nil)

        let token = try await store.addToken(accountID: anna.id, secretHash: "t1", label: "script", actor: "anna")
        #expect(try await store.tokenAccount(secretHash: "t1")?.id == anna.id)
        try await store.revokeToken(id: token, actor: "anna")
        #expect(try await store.tokenAccount(secretHash: "t1") == nil)
        #expect(try await store.tokens(accountID: anna.id).map(\.revoked) == [true])
        await #expect(throws: StoreError.self) { try await store.revokeToken(id: 999, actor: "anna") }

        let first = try await store.beginLogin(username: "anna", address: "10.0.0.1", at: 1000, since: 0)
        try await store.endLogin(first, succeeded: false)
        let second = try await store.beginLogin(username: "anna", address: "10.0.0.2", at: 1050, since: 0)
        #expect((second.fromAddress, second.overall) == (1, 2))
        try await store.endLogin(second, succeeded: true)
        let third = try await store.beginLogin(username: "anna", address: "10.0.0.1", at: 1060, since: 1010)
        #expect((third.fromAddress, third.overall) == (1, 1), "the success was forgotten, the old failure is out of the window")
        let actions = try await store.auditLog(limit: 20).map(\.action)
        for action in ["user.add", "user.disable", "token.create", "token.revoke", "login.failed"] {
            #expect(actions.contains(action), "\(action) is in the audit log")
        }
    }
}

extension StoreTests {
    /// The tests that hold an import mid-transaction (`GatedSource`), one at a time; the held
    /// imports run on threads of their own (`QueueExecutor`), not on the cooperative pool.
    @Suite("Store contract: imports held open", .serialized)
    struct HeldImports {
        static let sharedKinds = StoreTests.sharedKinds

        @Test("Two imports registering the same new series in opposite orders both land, run again if they collide", arguments: sharedKinds)
        func crossedImports(kind: Kind) async throws {
            let (store, dir) = try await StoreTests.makeStore(kind)
            defer { _ = dir }
            func chunks(_ areas: [AreaCode], _ value: Double) -> [ObservationChunk] {
                areas.map { ObservationChunk(series: SeriesKey(measure: "ledighed.procent", area: $0),
                                             points: [DataPoint(period: .month(2024, 1), value: value)]) }
            }
            // Each holds its first series until the other holds its own, then takes the other's: on
            // PostgreSQL a deadlock. SQLite has one writer, so there the second waits for the first.
            let meeting = Rendezvous(parties: kind == .postgres ? 2 : 1)
            // Each import on a thread of its own: waiting there blocks no thread of the cooperative pool.
            let a = Task(executorPreference: QueueExecutor()) {
                try await store.importObservations(ImportOrigin(source: "a"), dryRun: false) {
                    GatedSource(chunks: chunks(["101", "147"], 1), after: 1, { meeting.arrive() })
                }
            }
            let b = Task(executorPreference: QueueExecutor()) {
                try await store.importObservations(ImportOrigin(source: "b"), dryRun: false) {
                    GatedSource(chunks: chunks(["147", "101"], 2), after: 1, { meeting.arrive() })
                }
            }
            let results = [try await a.value, try await b.value]
            #expect(meeting.met, "the two imports each held their first series at once")
            #expect(results.map(\.observations) == [2, 2])
            let values = try await store.observations(ObservationQuery(measure: "ledighed.procent")).map(\.value)
            #expect(values == [1, 1] || values == [2, 2], "one import holds both series, never one of each: \(values)")
        }

        @Test("A reader during an import sees the state before it or after it, never between", arguments: sharedKinds)
        func readerDuringImport(kind: Kind) async throws {
            let (store, dir) = try await StoreTests.makeStore(kind)
            defer { _ = dir }
            // 800 series of 72 months: the import holds after 750 of them, 54,000 points, past what
            // the PostgreSQL writer gathers before it writes (50,000), so rows are written, not committed.
            let chunks = (0..<800).map { i in
                ObservationChunk(series: SeriesKey(measure: "ledighed.procent", area: "101", dimensions: ["alder": "\(i)"]),
                                 points: (0..<72).map { DataPoint(period: .month(2019 + $0 / 12, $0 % 12 + 1), value: 5) })
            }
            let halfway = Rendezvous(parties: 2)
            let looked = Rendezvous(parties: 2)
            let importing = Task(executorPreference: QueueExecutor()) {
                try await store.importObservations(
                    ImportOrigin(source: "gated"), from: GatedSource(chunks: chunks, after: 750, { halfway.arrive(); looked.arrive() }),
                    dryRun: false)
            }
            #expect(await halfway.arriveOffPool(), "the import reached its first chunk")
            let during = try await store.observations(ObservationQuery(measure: "ledighed.procent")).count
            #expect(await looked.arriveOffPool())
            _ = try await importing.value
            let after = try await store.observations(ObservationQuery(measure: "ledighed.procent")).count
            #expect(during == 0, "a reader saw a part of the import: \(during)")
            #expect(after == 800 * 72)
        }
    }
}

/// Runs a task's jobs on a dispatch queue of its own, off the cooperative pool: an import whose
/// source waits (`GatedSource`) blocks that queue's thread only, never one the rest of the test
/// process (PostgresNIO's connections among them) needs.
final class QueueExecutor: TaskExecutor, @unchecked Sendable {
    // Unchecked: the queue is the only state, and dispatch queues are thread-safe.
    private let queue = DispatchQueue(label: "beskplan-tests.held-import")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// Yields its chunks, and runs `gate` once `after` of them are taken: a test holds the import
/// there, mid-transaction, until what it waits for has happened.
struct GatedSource: ObservationSource {
    var chunks: [ObservationChunk]
    let after: Int
    let gate: @Sendable () -> Void
    private var served = 0

    init(chunks: [ObservationChunk], after: Int, _ gate: @escaping @Sendable () -> Void) {
        self.chunks = chunks
        self.after = after
        self.gate = gate
    }

    mutating func nextChunk() throws -> ObservationChunk? {
        defer { served += 1 }
        if served == after { gate() }
        return served < chunks.count ? chunks[served] : nil
    }
}

/// Parties meet: each `arrive` waits until all have arrived, or two minutes have passed (a test
/// never hangs on it); whether all came (`met`). Hand-written: a barrier with a timeout usable from the
/// synchronous `nextChunk`, which no listed package offers. An import arrives on its
/// `QueueExecutor`'s thread; a test arrives off the cooperative pool (`arriveOffPool`).
final class Rendezvous: Sendable {
    private let parties: Int
    private let arrived = NSLock()
    nonisolated(unsafe) private var count = 0
    nonisolated(unsafe) private var timedOut = false
    private let everyone = DispatchSemaphore(value: 0)

    init(parties: Int) { self.parties = parties }

    @discardableResult
    func arrive() -> Bool {
        arrived.lock()
        count += 1
        let (last, late) = (count == parties, count > parties)
        arrived.unlock()
        // One that comes after the meeting (an import run again) does not wait.
        if late { return true }
        if last {
            for _ in 1..<parties { everyone.signal() }
            return true
        }
        let came = everyone.wait(timeout: .now() + 120) == .success
        if !came {
            arrived.lock()
            timedOut = true
            arrived.unlock()
        }
        return came
    }

    /// Whether every party came, and none gave up waiting.
    var met: Bool {
        arrived.lock()
        defer { arrived.unlock() }
        return count >= parties && !timedOut
    }

    func arriveOffPool() async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.arrive()) }
        }
    }
}

/// Yields chunks, then throws, as a parser does on a bad line.
struct FailingSource: ObservationSource {
    struct Failure: Error {}
    var chunks: [ObservationChunk]
    var failAfter = Int.max
    private var served = 0

    init(chunks: [ObservationChunk]) { self.chunks = chunks }

    mutating func nextChunk() throws -> ObservationChunk? {
        guard served < failAfter else { throw Failure() }
        defer { served += 1 }
        return served < chunks.count ? chunks[served] : nil
    }
}

/// A directory removed when the value goes away.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
