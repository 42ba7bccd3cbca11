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
        // Samsø's second quarter is 100 every year; the fourth 90, 95, 100, 105, 110 in 2019–2023.
        var points: [DataPoint] = []
        for (i, year) in (2019...2023).enumerated() {
            points.append(DataPoint(period: .quarter(year, 2), value: 100))
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
            """
        let scope = try #require(KommuneScope(try env.kommune("samsoe")))
        try await PlanService(env).save(yaml, scope: scope, year: 2024, expecting: 0, author: "test")
        let plan = try await PlanService(env).require(scope, year: 2024).plan
        let forecasts = try await ForecastService(env).forecasts(plan, asOf: Day(year: 2024, month: 8, day: 1))
        #expect(forecasts.map(\.target) == ["1.1", "1.2"], "2023 is over: no forecast")
        let onTrack = try #require(forecasts.first)
        #expect(onTrack.status == .paaVej && abs(onTrack.forecast.value - 100) < 1e-9)
        #expect(onTrack.explanation == "Prognose for 4. kvartal 2024: 100 (90–110), ud fra 2. kvartal 2024 og udviklingen i 2019–2023. Målet (højst 120) nås i hele intervallet: på vej.")
        #expect(forecasts.last?.status == .iRisiko)
        #expect(forecasts.last?.explanation.hasSuffix("Målet (højst 100) nås ikke i hele intervallet: i risiko.") == true)
        // Before the year has a figure of its own, there is nothing to project from.
        #expect(try await ForecastService(env).forecasts(plan, asOf: Day(year: 2024, month: 3, day: 1)).isEmpty)
    }
}
