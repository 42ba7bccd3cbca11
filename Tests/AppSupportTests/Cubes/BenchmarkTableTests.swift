import BeskplanCore
import Foundation
import Testing
@testable import AppSupport
import Storage

/// Jobindsats' benchmark table Y30R21, published for rolling years (`2024QMAT04`), read through
/// the shipped mapping and judged by Norddjurs' resultatmål 1.1: "færre end beregnet".
@Suite("Y30R21: rolling years and the expected count")
struct BenchmarkTableTests {
    static func environment() async throws -> AppEnvironment {
        let env = try await AppEnvironment.open(database: .memory)
        let mapping = try FileImporter.namedMapping("jobindsats-y30r21", environment: env)
        _ = try await FileImporter(env).importFile(CubeImportTests.fixture("synthetic-y30r21.json"), mapping: mapping)
        return env
    }

    @Test("Every column of the answer becomes its measure, for the rolling year it names")
    func measures() async throws {
        let env = try await Self.environment()
        let rows = try await env.store.observations(ObservationQuery(measure: "benchmark.faktisk_andel", areas: ["707"]))
        #expect(Set(rows.map { "\($0.series.dimensions["ydelse"] ?? "-") \($0.period) \($0.value)" })
            == ["i_alt 2024QMAT04 17.9", "i_alt 2023QMAT04 19.1", "sygedagpenge 2024QMAT02 2.8"])
        let rank = try await env.store.observations(ObservationQuery(measure: "benchmark.placering", areas: ["707", "706"]))
        #expect(Set(rank.map { "\($0.series.area.rawValue) \($0.period) \($0.value)" })
            == ["707 2024QMAT04 21.0", "707 2023QMAT04 64.0", "707 2024QMAT02 80.0", "706 2024QMAT04 58.0"])
        let expected = try await env.store.observations(
            ObservationQuery(measure: "benchmark.forventede_fuldtidspersoner", areas: ["707"], from: .rollingYear(2024, 4), to: .rollingYear(2024, 4)))
        #expect(expected.map(\.value) == [4310.2], "thousands point and decimal comma; the range finds the rolling year")
    }

    @Test("Resultatmål 1.1: fewer fuldtidspersoner than expected in the 12 months to 4th quarter 2024 — opfyldt")
    func resultatmaal() async throws {
        let env = try await Self.environment()
        let plugin = try #require(env.registry.plugin(for: "707"))
        let url = try #require(plugin.bundledPlans.first { $0.lastPathComponent == "norddjurs-2024.yaml" })
        let plan = try PlanService(env).validate(path: url.path)
        let before = try await PlanService(env).evaluate(plan, asOf: Day(year: 2024, month: 11, day: 30), for: .members)
        #expect(before.first { $0.target == "1.1" }?.status == .manglerData, "the rolling year is not over")
        let after = try await PlanService(env).evaluate(plan, asOf: Day(year: 2025, month: 3, day: 31), for: .members)
        let e = try #require(after.first { $0.target == "1.1" })
        #expect(e.status == .opfyldt)
        #expect(e.value == 4187.6 && e.benchmark == 4310.2)
        #expect(e.explanation.contains("12 mdr. til og med 4. kvartal 2024"), "\(e.explanation)")
        #expect(e.explanation.contains("mod et forventet niveau på 4.310"), "\(e.explanation)")
    }
}
