import BeskplanCore
import Evaluation
import Foundation
import Storage
import Testing
@testable import AppSupport

/// The other real files the demo imports (LBESK69, FOLK1AM, Y30R21), through their shipped
/// mappings: the values the real-data README quotes, as published.
@Suite("Real data: LBESK69, FOLK1AM and Y30R21")
struct MoreRealDataTests {
    static func imported(_ file: RealData.File) async throws -> (AppEnvironment, FileImporter.Summary) {
        let env = try await AppEnvironment.open(database: .memory)
        let summary = try await FileImporter(env).importFile(file.url.path, mapping: try FileImporter.mapping(file.mapping, environment: env))
        return (env, summary)
    }

    static func value(_ env: AppEnvironment, _ measure: MeasureID, _ area: AreaCode, _ period: Period, _ dims: [String: String] = [:]) async throws -> Double? {
        try await env.store.observations(ObservationQuery(measure: measure, areas: [area], dimensions: dims, from: period, to: period)).first?.value
    }

    @Test("LBESK69: full-time employees by kommune of residence, the area in the second column")
    func lbesk69() async throws {
        let (env, summary) = try await Self.imported(RealData.lbesk69)
        #expect(try await Self.value(env, "beskaeftigelse.loenmodtagere", .country, .quarter(2008, 1)) == 2_245_921)
        #expect(try await Self.value(env, "beskaeftigelse.loenmodtagere", "851", .quarter(2025, 3)) == 94_313)
        #expect(summary.result.skipped.total > 0 && "\(summary.result.skipped)".contains("outside"), "Outside Denmark is skipped with its reason: \(summary.result.skipped)")
    }

    @Test("FOLK1AM: the population on the 1st of each month; the kommuner sum to All Denmark here")
    func folk1am() async throws {
        let (env, _) = try await Self.imported(RealData.folk1am)
        #expect(try await Self.value(env, "befolkning.i_alt", .country, .month(2021, 10)) == 5_867_412)
        #expect(try await Self.value(env, "befolkning.i_alt", "101", .month(2026, 2)) == 673_391)
        #expect(try await Self.value(env, "befolkning.i_alt", "851", .month(2024, 6)) == 223_152)
    }

    @Test("Y30R21: the real benchmark rows, expected against actual and the rank, for the four seed kommuner the README checks")
    func y30r21() async throws {
        let (env, summary) = try await Self.imported(RealData.y30r21)
        #expect(summary.result.observations == 2352 * 7)
        let period = Period.rollingYear(2022, 4)
        let all = ["ydelse": "i_alt"]
        for (code, figures) in [
            ("820", [1950, 1880, -70, 8.84, 8.52, -0.32, 13]), ("707", [2040, 2010, -30, 8.92, 8.79, -0.13, 29]),
            ("741", [140, 140, 0, 6.93, 6.98, 0.05, 62]), ("849", [1990, 1950, -40, 8.70, 8.53, -0.17, 28]),
        ] as [(AreaCode, [Double])] {
            let measures = ["forventede_fuldtidspersoner", "faktiske_fuldtidspersoner", "forskel_fuldtidspersoner", "forventet_andel", "faktisk_andel", "forskel_andel", "placering"]
            for (measure, expected) in zip(measures, figures) {
                #expect(try await Self.value(env, "benchmark." + measure, code, period, all) == expected, "\(code) \(measure)")
            }
        }
    }

    @Test("A derived measure: the change on a year and a share, computed from stored inputs, its sentence says so; a stored figure is kept")
    func derived() throws {
        let catalog = MeasureCatalog.standard
        func obs(_ m: MeasureID, _ p: Period, _ v: Double, _ dims: [String: String] = [:]) -> Observation {
            Observation(series: SeriesKey(measure: m, area: "820", dimensions: dims), period: p, value: v)
        }
        let index = ObservationIndex([
            obs("ledighed.fuldtidspersoner", .month(2023, 6), 800), obs("ledighed.fuldtidspersoner", .month(2024, 6), 760),
            obs("uddannelseshjaelp.fuldtidspersoner", .quarter(2024, 1), 120, ["visitation": "aktivitetsparat"]),
            obs("uddannelseshjaelp.fuldtidspersoner", .quarter(2024, 1), 300, ["visitation": "i_alt"]),
            // A development the source published itself stays as published.
            obs("ledighed.udvikling", .month(2023, 6), 2.5),
        ]).derived(catalog)
        let change = index.points(SeriesKey(measure: "ledighed.udvikling", area: "820")).map(\.value)
        #expect(change.count == 2 && change[0] == 2.5 && abs(change[1] + 5) < 1e-9, "\(change)")
        #expect(index.isComputed(SeriesKey(measure: "ledighed.udvikling", area: "820"), .month(2024, 6)))
        #expect(!index.isComputed(SeriesKey(measure: "ledighed.udvikling", area: "820"), .month(2023, 6)))
        #expect(index.points(SeriesKey(measure: "uddannelseshjaelp.aktivitetsparate_andel", area: "820")).map(\.value) == [40])
        // The sentence of a target read from the computed figure.
        let plan = Plan(
            kommune: "820", year: 2024, title: "Test", goals: [Goal(id: "1", kind: .local, title: "Ledighed", targets: [
                Target(id: "1.1", follows: "Ledigheden falder", measures: "Ledige", rule: .threshold(ThresholdRule(measure: "ledighed.udvikling", period: .month(2024, 6), op: .below, value: 0))),
            ])])
        let context = EvaluationContext(plan: plan, asOf: Day(year: 2025, month: 1, day: 1), data: index, measures: catalog)
        let e = try #require(Evaluator().evaluate(context).first)
        #expect(e.status == .opfyldt && abs((e.value ?? 0) + 5) < 1e-9)
        #expect(e.explanation.contains("er beregnet af beskplan som den procentvise ændring i ledige fuldtidspersoner ift. samme periode året før"), "\(e.explanation)")
    }
}
