import BeskplanCore
import Foundation
import Storage
import TestSupport
import Testing
@testable import AppSupport

/// `beskplan db copy`: SQLite → PostgreSQL → SQLite keeps everything, row for row.
@Suite("Copying a database between stores")
struct StoreCopyTests {
    @Test(
        "The demo's database copied SQLite → PostgreSQL → SQLite holds the same rows, values and plans",
        .enabled(if: !TestPostgres.skipped, "BESKPLAN_SKIP_POSTGRES=1"))
    func roundTrip() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try await AppEnvironment.open(database: .file(dir.appendingPathComponent("source.sqlite").path))
        try await Demo.loadBundledData(into: source)
        try await source.store.saveAssessment(Assessment(
            kommune: "820", year: 2020, target: "6.1.2", status: .paaVej, note: "Virksomhedsbesøg som planlagt",
            date: "2020-09-30", author: "ana"))
        let accounts = AccountService(source, cost: 4)
        try await accounts.addUser(username: "ana", kommune: "820", role: .updater, password: "et-langt-kodeord", actor: "test")
        let token = try await accounts.createToken(username: "ana", label: "nightly", actor: "test").token
        // An approved plan keeps its report: the kept document travels with the copy.
        try await Demo.storePlanUnderTodaysRules(source)
        let scope = try #require(KommuneScope(try source.kommune("norddjurs")))
        _ = try await PlanWorkflow(source).approve(
            try await PlanService(source).require(scope, year: 2026), body: nil, date: Day(year: 2026, month: 12, day: 1), author: "ana")

        let postgres = try await AppEnvironment.open(database: .postgres(try await TestPostgres.newDatabase()))
        let there = try await StoreCopy.copy(from: source.store, to: postgres.store)
        // AUK01, LBESK69, FOLK1AM and Y30R21 as published, and the seeds' own figures.
        #expect(there.observations == 7904 + 7384 + 5512 + 16464 + 27 + 6 + 6 + 226)
        let back = try await AppEnvironment.open(database: .file(dir.appendingPathComponent("back.sqlite").path))
        let home = try await StoreCopy.copy(from: postgres.store, to: back.store)

        let original = try await source.store.snapshot()
        #expect(home.snapshot == original)
        #expect(try await back.store.snapshot() == original)
        #expect(original.plans.count == 8 && original.assessments.count == 1, "six seeds, and the demo's plan in two versions")
        #expect(original.reports.map(\.year) == [2026, 2027] && original.reports.allSatisfy { $0.sha256.count == 64 })
        #expect(original.accounts.map(\.username) == ["ana"] && original.tokens.count == 1)
        // The user signs in with the same password, and the script's token works, in the copy.
        let copied = AccountService(back, cost: 4)
        #expect(try await copied.verify(username: "ana", password: "et-langt-kodeord")?.kommune == "820")
        #expect(try await copied.tokenAccount(token)?.username == "ana")
        let query = ObservationQuery(measure: "kontanthjaelp.nettoledige_fuldtidspersoner", areas: ["101"])
        let values = try await back.store.observations(query)
        #expect(values == (try await source.store.observations(query)))
        #expect(values.last.map { ($0.period, $0.value) } ?? (.year(0), 0) == (.quarter(2025, 4), 846))

        // A target that holds data is refused, and keeps what it holds.
        await #expect {
            try await StoreCopy.copy(from: source.store, to: postgres.store)
        } throws: { error in
            String(describing: error).hasSuffix("already holds data; copy into a new, empty database")
        }
        // The copy goes on numbering where the source left off.
        let next = try await postgres.store.importObservations(
            ImportOrigin(source: "test"),
            from: ChunkList([ObservationChunk(series: SeriesKey(measure: "ledighed.procent", area: "741"),
                                              points: [DataPoint(period: .month(2026, 1), value: 2.5)])]),
            dryRun: false)
        #expect(next.importID == (original.imports.map(\.id).max() ?? 0) + 1)
    }
}
