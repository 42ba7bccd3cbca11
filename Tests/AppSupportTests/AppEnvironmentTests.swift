import Foundation
@testable import AppSupport
import Testing

@Suite("Composition root")
struct AppEnvironmentTests {
    @Test("--db wins over BESKPLAN_DB, which wins over ./beskplan.sqlite")
    func databaseLocation() {
        #expect(DatabaseLocation.resolve(option: "x.sqlite", environment: ["BESKPLAN_DB": "y.sqlite"]) == .file("x.sqlite"))
        #expect(DatabaseLocation.resolve(option: nil, environment: ["BESKPLAN_DB": "y.sqlite"]) == .file("y.sqlite"))
        #expect(DatabaseLocation.resolve(option: nil, environment: [:]) == .file("beskplan.sqlite"))
        #expect(DatabaseLocation.resolve(option: nil, environment: ["BESKPLAN_DB": ""]) == .file("beskplan.sqlite"))
        #expect(DatabaseLocation.resolve(option: ":memory:", environment: [:]) == .memory)
        let pg = DatabaseLocation.resolve(option: "postgres://u:secret@localhost/beskplan", environment: [:])
        #expect(pg == .postgres("postgres://u:secret@localhost/beskplan"))
        #expect(!pg.description.contains("secret"))
    }

    @Test("A PostgreSQL server that cannot be reached is a one-line error naming host and port, never the password")
    func postgresUnreachable() async {
        let started = Date()
        await #expect {
            try await AppEnvironment.open(database: .postgres("postgres://ana:hemmelig@127.0.0.1:1/beskplan?sslmode=disable"))
        } throws: { error in
            let text = String(describing: error)
            return text.hasPrefix("cannot reach PostgreSQL at 127.0.0.1:1/beskplan") && !text.contains("hemmelig") && !text.contains("\n")
        }
        // At once, not after the pool's minute of retries (the bound is loose: the suite runs in parallel on 2 cores).
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test("The environment resolves kommuner by any spelling and refuses regions")
    func kommuneLookup() async throws {
        let env = try await AppEnvironment.open(database: .memory)
        #expect(try env.kommune("Samsø").code == "741")
        #expect(try env.kommune("samsoe").code == "741")
        #expect(throws: LookupError.self) { try env.kommune("Region Nordjylland") }
        #expect(env.registry.entries.count == 5)
        #expect(env.measures["norddjurs.vandrende_sager"]?.source == env.registry.plugin(for: "707")?.measures.first { $0.id == "norddjurs.vandrende_sager" }?.source)
        #expect(env.measures["norddjurs.vandrende_sager"]?.usedBy == ["707"])
        #expect(try await env.store.appliedMigrations() == [
            "0001-observations", "0002-plans", "0003-audit", "0004-assessments", "0005-observation-blocks", "0006-accounts",
            "0007-kommune-audit", "0008-import-published", "0009-fetch-schedule", "0010-login-failure-address",
            "0011-approved-report",
        ])
    }
}
