import Foundation
import PlanFormat
import Storage

/// Plans in and out of the store, and their evaluation against the stored figures: the one door
/// the CLI, the API and the pages save and read plans through, so that the same rules hold at
/// each — a version never follows an approved one, a plan is approved by its own step, and a
/// save names the version it started from.
public struct PlanService: Sendable {
    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    private var store: any Store { environment.store }

    /// What plans are checked against: the standard and plugin measures and rule kinds.
    public var catalog: PlanCatalog {
        PlanCatalog(measures: environment.measures, ruleKinds: environment.registry.ruleKinds)
    }

    // MARK: Reading

    /// Validates a plan file (every problem, located).
    public func validate(path: String) throws -> Plan {
        try PlanFile.load(path: path, catalog: catalog)
    }

    /// The plan in `text`, checked as a save checks it, without saving: no YAML anchors or deep
    /// nesting, valid, and for the kommune and year it was sent to. Throws `PlanErrors`.
    public func check(_ text: String, file: String = "plan.yaml", scope: KommuneScope, year: Int) throws -> Plan {
        let unsafe = YAMLGuard.findings(in: text)
        guard unsafe.isEmpty else {
            throw PlanErrors(unsafe.map { PlanError(file: file, line: $0.line, column: $0.column, message: $0.message) })
        }
        let plan = try PlanFile.parse(text, file: file, catalog: catalog)
        guard plan.kommune == scope.code, plan.years.contains(year) else {
            throw PlanErrors([PlanError(
                file: file, line: 1, column: 1,
                message: "the plan is for \(plan.kommune) \(plan.periodLabel), but was sent to \(scope.code) \(year)")])
        }
        return plan
    }

    /// The current version of every plan of the kommune, by year.
    public func list(_ scope: KommuneScope) async throws -> [PlanVersionInfo] {
        try await store.plans().filter { $0.kommune == scope.code }
    }

    /// The current version of every stored plan (the operator's overview, the scheduled fetch).
    public func all() async throws -> [PlanVersionInfo] {
        try await store.plans()
    }

    /// The current plan of a kommune and year, if there is one: the year's own plan, else a plan
    /// over several years stored under an earlier year that covers it (Faxe 2024–2026 for 2025).
    /// The whole plan, for editing; a year's reading takes `StoredPlan.forYear`.
    public func current(_ scope: KommuneScope, year: Int) async throws -> StoredPlan? {
        if let own = try await store.currentPlan(kommune: scope.code, year: year) { return own }
        return try await covering(scope.code, year: year) { try await store.currentPlan(kommune: scope.code, year: $0) }
    }

    /// The plan stored under an earlier year whose period covers `year`, read by `load`.
    private func covering(
        _ kommune: AreaCode, year: Int, load: (Int) async throws -> StoredPlan?
    ) async throws -> StoredPlan? {
        let earlier = try await store.plans()
            .filter { $0.kommune == kommune && $0.year < year && $0.year >= year - Self.longestPeriod }
            .map(\.year).sorted(by: >)
        for first in earlier {
            if let stored = try await load(first), stored.plan.years.contains(year) { return stored }
        }
        return nil
    }

    /// A new plan may not take a year another plan's period already covers (nor reach into a
    /// later plan's years): which plan a year reads would depend on the order they were saved.
    func refuseOverlap(_ plan: Plan) async throws {
        for year in plan.years {
            var other = try await store.currentPlan(kommune: plan.kommune, year: year)
            if other == nil { other = try await covering(plan.kommune, year: year) { try await store.currentPlan(kommune: plan.kommune, year: $0) } }
            if let other, other.plan.year != plan.year {
                throw Refusal(
                    .planExists, title: "Året har allerede en plan",
                    description: "\(year) er med i planen for \(other.plan.periodLabel); ret i den i stedet.")
            }
        }
    }

    /// The most years a plan period may span, less one (the plan language allows ten).
    static let longestPeriod = 9

    /// The current plan of a kommune and year, or `PlanNotFound`.
    public func require(_ scope: KommuneScope, year: Int) async throws -> StoredPlan {
        guard let stored = try await current(scope, year: year) else { throw PlanNotFound(scope: scope, year: year) }
        return stored
    }

    /// Every version of a plan, oldest first (none: `PlanNotFound`); a year inside an earlier
    /// plan's period names that plan.
    public func versions(_ scope: KommuneScope, year: Int) async throws -> [PlanVersionInfo] {
        let versions = try await store.planVersions(kommune: scope.code, year: try await storedYear(scope, year))
        guard !versions.isEmpty else { throw PlanNotFound(scope: scope, year: year) }
        return versions
    }

    /// One version of a plan, if it exists.
    public func version(_ scope: KommuneScope, year: Int, version: Int) async throws -> StoredPlan? {
        try await store.plan(kommune: scope.code, year: try await storedYear(scope, year), version: version)
    }

    /// The year a plan covering `year` is stored under: its first year.
    private func storedYear(_ scope: KommuneScope, _ year: Int) async throws -> Int {
        try await current(scope, year: year)?.plan.year ?? year
    }

    /// The newest approved version of a plan: what the public sees. A year inside an earlier
    /// plan's period reads that plan's newest approved version.
    public func latestApproved(_ scope: KommuneScope, year: Int) async throws -> StoredPlan? {
        if try await store.currentPlan(kommune: scope.code, year: year) == nil {
            return try await covering(scope.code, year: year) { try await latestApproved(scope, year: $0) }
        }
        for info in try await store.planVersions(kommune: scope.code, year: year).reversed() where info.status == .godkendt {
            if let stored = try await version(scope, year: year, version: info.version) { return stored }
        }
        return nil
    }

    /// The plan a reader may see: the current version for the kommune's members, the newest
    /// approved one for the public; else `PlanNotFound`.
    public func visible(_ scope: KommuneScope, year: Int, to audience: Audience) async throws -> StoredPlan {
        guard audience == .public else { return try await require(scope, year: year) }
        guard let stored = try await latestApproved(scope, year: year) else {
            throw PlanNotFound(scope: scope, year: year, approved: true)
        }
        return stored
    }

    /// The stored current plan, else the one the kommune's plugin ships for that year (so that a
    /// new database can still say what a seed plan needs); `nil` when there is neither.
    public func currentOrBundled(_ kommune: Area, year: Int) async throws -> (plan: Plan, stored: Bool)? {
        if let stored = try await store.currentPlan(kommune: kommune.code, year: year) { return (stored.plan, true) }
        for url in environment.registry.plugin(for: kommune.code)?.bundledPlans ?? [] {
            let plan = try validate(path: url.path)
            if plan.year == year { return (plan, false) }
        }
        return nil
    }

    // MARK: Saving

    /// Saves YAML sent by a user as a new version: checked (`check`), then saved by `save`.
    @discardableResult
    public func save(
        _ text: String, scope: KommuneScope, year: Int, expecting: Int?, author: String
    ) async throws -> PlanVersionInfo {
        try await save(check(text, scope: scope, year: year), expecting: expecting, author: author)
    }

    /// Saves a plan as a new version, by the rules: not over an approved version, not as
    /// godkendt (approval is `PlanWorkflow.approve`), and only over the version the edit started
    /// from (`expecting`; 0 for a new plan). Without `expecting`, only while no plan exists.
    /// Throws `Refusal`.
    @discardableResult
    public func save(_ plan: Plan, expecting: Int?, author: String) async throws -> PlanVersionInfo {
        let stored = try await store.currentPlan(kommune: plan.kommune, year: plan.year)
        try Self.checkEditable(current: stored, new: plan)
        if stored == nil { try await refuseOverlap(plan) }
        let current = stored?.info.version ?? 0
        guard let expecting = expecting ?? (current == 0 ? 0 : nil) else {
            throw Refusal(.versionRequired, title: "Angiv hvilken version du har rettet i",
                          description: "Planen findes allerede (version \(current)); angiv den version, du har rettet i.")
        }
        do {
            return try await store.savePlan(plan, author: author, expecting: expecting)
        } catch let conflict as PlanVersionConflict {
            throw Refusal.conflict(conflict)
        }
    }

    /// Validates a plan file and saves it over the current version, by `save`'s rules: the
    /// command line's `plan import`. `adopted`: a file that says godkendt is a plan adopted
    /// outside beskplan, recorded as such (`PlanWorkflow.recordAdopted`); without it, refused.
    @discardableResult
    public func importPlan(path: String, adopted: Bool = false, author: String = ImportOrigin.defaultActor) async throws -> PlanVersionInfo {
        let plan = try validate(path: path)
        if adopted, plan.status == .godkendt { return try await PlanWorkflow(environment).recordAdopted(plan, author: author) }
        let current = try await store.currentPlan(kommune: plan.kommune, year: plan.year)
        return try await save(plan, expecting: current?.info.version ?? 0, author: author)
    }

    /// A saved version may not follow an adopted one, and adoption has its own step.
    static func checkEditable(current: StoredPlan?, new plan: Plan) throws {
        if let current, current.plan.status == .godkendt {
            throw Refusal(
                .planFrozen, title: "Planen er godkendt og kan ikke ændres",
                description: "Version \(current.info.version) er godkendt; start næste års plan i stedet.")
        }
        if plan.status == .godkendt {
            throw Refusal(
                .approveSeparately, title: "En plan godkendes for sig",
                description: "Gem planen med status udkast, og godkend den derefter.")
        }
    }

    // MARK: Evaluating

    /// Every target of a plan, evaluated with the data up to `asOf`, as `audience` may read it.
    public func evaluate(_ plan: Plan, asOf: Day, for audience: Audience) async throws -> [TargetEvaluation] {
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
        let assessments = try await AssessmentService(environment).shown(to: audience, kommune: plan.kommune, year: plan.year)
        let context = EvaluationContext(
            plan: plan, asOf: asOf, data: index.derived(environment.measures), measures: environment.measures,
            assessments: assessments ?? [], assessmentsWithheld: assessments == nil)
        return evaluator.evaluate(context)
    }
}

/// A kommune has no plan (or no approved plan) for the year.
public struct PlanNotFound: Error, CustomStringConvertible, Sendable {
    public let scope: KommuneScope
    public let year: Int
    public var approved = false

    public var description: String {
        "\(scope.name) har ingen \(approved ? "godkendt " : "")plan for \(year)."
    }
}
