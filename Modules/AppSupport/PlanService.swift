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

    /// Every target of a plan, evaluated with the data up to `asOf`.
    public func evaluate(_ plan: Plan, asOf: Day) async throws -> [TargetEvaluation] {
        let evaluator = environment.registry.evaluator
        var index = ObservationIndex()
        for need in evaluator.requirements(plan, measures: environment.measures) {
            index.add(try await environment.store.observations(
                ObservationQuery(measure: need.measure, areas: need.areas.sorted(), dimensions: need.dimensions)))
        }
        let assessments = try await environment.store.assessments(kommune: plan.kommune, year: plan.year)
        let context = EvaluationContext(
            plan: plan, asOf: asOf, data: index, measures: environment.measures, assessments: assessments)
        return evaluator.evaluate(context)
    }

    /// Today, for as-of defaults.
    public static var today: Day {
        let seconds = Int(Date().timeIntervalSince1970)
        return Day(number: seconds / 86_400)
    }
}
