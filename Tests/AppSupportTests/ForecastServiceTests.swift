@testable import AppSupport
import BeskplanCore
import Foundation
import Storage
import Testing

/// Targets whose period is running, projected to its end: på vej when the goal holds in the whole
/// range, i risiko when it does not.
struct ForecastServiceTests {
    static let measure: MeasureID = "kontanthjaelp.nettoledige_fuldtidspersoner"

    @Test("A running year's threshold: på vej when the whole range meets it, i risiko when the range straddles it; a year over has none")
    func runningTargets() async throws {
        let env = try await AppEnvironment.open(database: .memory)
        // Samsø's second and third quarters are 100 every year; the fourth 90, 95, 100, 105, 110 in 2019–2023.
        var points: [DataPoint] = []
        for (i, year) in (2019...2023).enumerated() {
            points.append(DataPoint(period: .quarter(year, 2), value: 100))
            points.append(DataPoint(period: .quarter(year, 3), value: 100))
            points.append(DataPoint(period: .quarter(year, 4), value: 90 + 5 * Double(i)))
        }
        points.append(DataPoint(period: .quarter(2024, 2), value: 100))
        _ = try await env.store.importObservations(
            ImportOrigin(source: "test"), from: ChunkList([ObservationChunk(series: SeriesKey(measure: Self.measure, area: "741"), points: points)]),
            dryRun: false)
        let yaml = """
            kommune: 741
            year: 2024
            title: Beskæftigelsesplan 2024
            status: udkast
            goals:
              - id: "1"
                kind: local
                title: Færre nettoledige
                targets:
                  - id: "1.1"
                    follows: Nettoledige
                    measures: Nettoledige kontanthjælpsmodtagere
                    rule: { kind: threshold, measure: \(Self.measure), period: "2024", aggregate: last, op: "<=", value: 120 }
                  - id: "1.2"
                    follows: Nettoledige
                    measures: Nettoledige kontanthjælpsmodtagere
                    rule: { kind: threshold, measure: \(Self.measure), period: "2024", aggregate: last, op: "<=", value: 100 }
                  - id: "1.3"
                    follows: Nettoledige
                    measures: Nettoledige kontanthjælpsmodtagere
                    rule: { kind: threshold, measure: \(Self.measure), period: "2023", aggregate: last, op: "<=", value: 100 }
                  - id: "1.4"
                    follows: Nettoledige i gennemsnit
                    measures: Nettoledige kontanthjælpsmodtagere
                    rule: { kind: threshold, measure: \(Self.measure), period: "2024", op: "<=", value: 120 }
                  - id: "1.5"
                    follows: Færre nettoledige
                    measures: Nettoledige kontanthjælpsmodtagere
                    rule: { kind: change, measure: \(Self.measure), from: 2023K4, to: 2024K4, direction: decrease }
            """
        let scope = try #require(KommuneScope(try env.kommune("samsoe")))
        try await PlanService(env).save(yaml, scope: scope, year: 2024, expecting: 0, author: "test")
        let plan = try await PlanService(env).require(scope, year: 2024).plan
        let forecasts = try await ForecastService(env).forecasts(plan, asOf: Day(year: 2024, month: 8, day: 1))
        #expect(forecasts.map(\.target) == ["1.1", "1.2", "1.5"], "2023 is over; the year's average (1.4) is not a projected end")
        let onTrack = try #require(forecasts.first)
        #expect(onTrack.status == .paaVej && abs(onTrack.forecast.value - 100) < 1e-9)
        #expect(onTrack.explanation == "Prognose for 4. kvartal 2024: 100 (90–110), ud fra 2. kvartal 2024 og udviklingen i 2019–2023. Målet (højst 120) nås i hele intervallet: på vej.")
        #expect(forecasts[1].status == .iRisiko)
        #expect(forecasts[1].explanation.hasSuffix("Målet (højst 100) nås kun i en del af intervallet: i risiko."), "\(forecasts[1].explanation)")
        // 2023's fourth quarter was 110: every projected end (90–110) is not below it, one is equal.
        #expect(forecasts[2].explanation.hasSuffix("Målet (et fald fra 4. kvartal 2023 (110)) nås kun i en del af intervallet: i risiko."), "\(forecasts[2].explanation)")
        // A year over has no forecast, though a fourth quarter could be projected from the third.
        _ = try await env.store.importObservations(
            ImportOrigin(source: "test"),
            from: ChunkList([ObservationChunk(series: SeriesKey(measure: Self.measure, area: "741"), points: [DataPoint(period: .quarter(2024, 3), value: 101)])]),
            dryRun: false)
        #expect(try await ForecastService(env).forecasts(plan, asOf: Day(year: 2025, month: 1, day: 10)).isEmpty)
        // The day a quarter ends it counts; the day before, it does not.
        #expect(try await ForecastService(env).forecasts(plan, asOf: Day(year: 2024, month: 9, day: 30), only: "1.1").first?.forecast.from == .quarter(2024, 3))
        #expect(try await ForecastService(env).forecasts(plan, asOf: Day(year: 2024, month: 9, day: 29), only: "1.1").first?.forecast.from == .quarter(2024, 2))
        // Before the year has a figure of its own, there is nothing to project from.
        #expect(try await ForecastService(env).forecasts(plan, asOf: Day(year: 2024, month: 3, day: 1)).isEmpty)
    }
}
