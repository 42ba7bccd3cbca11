import AppSupport
import BeskplanCore
import Evaluation
import Foundation
import Storage
import XMLImport

/// `beskplan-bench evaluate FEED DB`: a plan per kommune (98, from one template, every rule kind)
/// evaluated over the SYNTHETIC national feed, reading its series from the store as the CLI does.
/// `DB` is an SQLite file or a postgres:// URL.
func evaluateBench(feed: String, db: String) async throws {
    let store = try DatabaseLocation.resolve(option: db).openStore()
    try await store.migrate()
    let clock = ContinuousClock()
    let imported = try await clock.measure {
        let source = try FeedSource(path: feed, catalog: ImportCatalog(measures: .standard))
        _ = try await store.importObservations(ImportOrigin(source: "bench", file: feed), from: source, dryRun: false)
    }
    let plans = AreaCatalog.standard.kommuner.map { templatePlan($0.code) }
    // Through the product's own path (PlanService), as the CLI and the server evaluate a plan.
    let service = PlanService(try AppEnvironment(store: store, database: DatabaseLocation.resolve(option: db)))
    var targets = 0
    var statuses: [EvaluationStatus: Int] = [:]
    let total = try await clock.measure {
        for plan in plans {
            let results = try await service.evaluate(plan, asOf: Day(year: 2025, month: 3, day: 1), for: .members)
            targets += results.count
            for r in results { statuses[r.status, default: 0] += 1 }
        }
    }
    let evaluator = Evaluator()
    var index = ObservationIndex()
    for need in evaluator.requirements(plans[0], measures: .standard) {
        index.add(try await store.observations(ObservationQuery(measure: need.measure, areas: need.areas.sorted(), dimensions: need.dimensions)))
    }
    let context = EvaluationContext(plan: plans[0], asOf: Day(year: 2025, month: 3, day: 1), data: index, measures: .standard)
    let evaluationOnly = clock.measure { for _ in plans { _ = evaluator.evaluate(context) } }
    print("import \(imported)")
    print("evaluate \(plans.count) plans \(targets) targets \(total) (rules alone \(evaluationOnly))")
    print("statuses " + statuses.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " "))
}

/// Ten targets over ydelse.fuldtidspersoner, one or more of every rule kind.
func templatePlan(_ kommune: AreaCode) -> Plan {
    let m = "ydelse.fuldtidspersoner"
    func s(_ y: String) -> [String: String] { ["ydelse": y] }
    let rules: [Rule] = [
        .threshold(.init(measure: m, select: s("kontanthjaelp"), period: .year(2024), aggregate: .average, op: .atMost, value: 2000, redFlag: 2500)),
        .threshold(.init(measure: m, select: s("sygedagpenge"), period: .year(2024), aggregate: .max, op: .atMost, value: 3000)),
        .benchmark(.init(measure: m, select: s("a_dagpenge"), period: .month(2024, 6), against: .region, op: .atMost)),
        .benchmark(.init(measure: m, select: s("fleksjob"), period: .year(2024), aggregate: .average, against: .country, op: .atMost, offset: 10, offsetUnit: .percent)),
        .development(.init(measure: m, select: s("i_alt"), from: .month(2023, 6), to: .month(2024, 6), against: .region)),
        .development(.init(measure: m, select: s("uddannelseshjaelp"), from: .month(2023, 6), to: .month(2024, 6), against: .country)),
        .change(.init(measure: m, select: s("foertidspension"), from: .year(2023), to: .year(2024), direction: .decrease, aggregate: .average)),
        .change(.init(measure: m, select: s("ressourceforloeb"), from: .quarter(2023, 4), to: .quarter(2024, 4), direction: .keep, aggregate: .sum)),
        .deadline(.init(measure: m, select: s("ledighedsydelse"), baseline: .month(2023, 1), deadline: .month(2026, 12), op: .atMost, value: 100)),
        .milestone(.init(description: "Dialogmøde")),
    ]
    let targets = rules.enumerated().map { i, rule in
        Target(id: "\(i + 1)", follows: "Mål \(i + 1)", measures: m, rule: rule)
    }
    return Plan(kommune: kommune, year: 2024, title: "Syntetisk plan", goals: [Goal(id: "1", kind: .local, title: "Syntetisk", targets: targets)])
}
