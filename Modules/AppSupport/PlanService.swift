import Foundation
import PlanFormat

/// Plans in and out of the store, and their evaluation against the stored figures.
public struct PlanService: Sendable {
    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    /// What plans are checked against: the standard and plugin measures and rule kinds.
    public var catalog: PlanCatalog {
        PlanCatalog(measures: environment.measures, ruleKinds: environment.registry.ruleKinds)
    }

    /// Validates a plan file (every problem, located).
    public func validate(path: String) throws -> Plan {
        try PlanFile.load(path: path, catalog: catalog)
    }

    /// Validates and stores a plan file as a new version.
    @discardableResult
    public func importPlan(path: String, author: String = ImportOrigin.defaultActor) async throws -> PlanVersionInfo {
        let plan = try validate(path: path)
        return try await environment.store.savePlan(plan, author: author)
    }

    /// The current plan of a kommune and year, or an error naming what is missing.
    public func current(_ kommune: Area, year: Int) async throws -> StoredPlan {
        guard let stored = try await environment.store.currentPlan(kommune: kommune.code, year: year) else {
            throw StoreError("no plan for \(kommune.name) \(year) in \(environment.database); import one first")
        }
        return stored
    }

    /// The stored current plan, else the one the kommune's plugin ships for that year (so that a
    /// new database can still say what a seed plan needs); `nil` when there is neither.
    public func currentOrBundled(_ kommune: Area, year: Int) async throws -> (plan: Plan, stored: Bool)? {
        if let stored = try await environment.store.currentPlan(kommune: kommune.code, year: year) { return (stored.plan, true) }
        for url in environment.registry.plugin(for: kommune.code)?.bundledPlans ?? [] {
            let plan = try validate(path: url.path)
            if plan.year == year { return (plan, false) }
        }
        return nil
    }

    /// Every target of a plan, evaluated with the data up to `asOf`.
    public func evaluate(_ plan: Plan, asOf: Day) async throws -> [TargetEvaluation] {
        let evaluator = environment.registry.evaluator
        let store = environment.store
        // The series a plan needs are read at once: on PostgreSQL each is a round trip of its own.
        let queries = evaluator.requirements(plan, measures: environment.measures).map {
            ObservationQuery(measure: $0.measure, areas: $0.areas.sorted(), dimensions: $0.dimensions)
        }
        let read = try await withThrowingTaskGroup(of: (Int, [Observation]).self) { group in
            for (i, query) in queries.enumerated() { group.addTask { (i, try await store.observations(query)) } }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        var index = ObservationIndex()
        for i in queries.indices { index.add(read[i] ?? []) }
        let assessments = try await environment.store.assessments(kommune: plan.kommune, year: plan.year)
        let context = EvaluationContext(
            plan: plan, asOf: asOf, data: index.derived(environment.measures), measures: environment.measures, assessments: assessments)
        return evaluator.evaluate(context)
    }

    /// Today, for as-of defaults.
    public static var today: Day {
        let seconds = Int(Date().timeIntervalSince1970)
        return Day(number: seconds / 86_400)
    }
}
