import Foundation
import PlanFormat
import Reports
import Storage

/// What happens to a plan after it is written: it is carried into the next year, adopted (and
/// then frozen), and followed up until the follow-up is final. The rules every door enforces.
public struct PlanWorkflow: Sendable {
    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    /// The current version as adopted by `body` on `date`: status godkendt, the body's approval
    /// dated (added to the chain if it is not in it), saved as a new version.
    /// `expecting`: the version the approver saw; another is refused (`versionConflict`).
    public func approve(
        _ current: StoredPlan, body: String?, date: Day, expecting: Int? = nil, author: String
    ) async throws -> PlanVersionInfo {
        if let expecting, expecting != current.info.version {
            throw Refusal(
                .versionConflict, title: "Planen er ændret imens",
                description: "Planen er nu i version \(current.info.version); se den igennem, før den godkendes.")
        }
        guard current.plan.status != .godkendt else {
            throw Refusal(
                .alreadyApproved, title: "Planen er allerede godkendt",
                description: "Version \(current.info.version) blev godkendt.")
        }
        var plan = current.plan
        plan.status = .godkendt
        let adopter = body?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if adopter.isEmpty {
            // The last body of the chain adopts; with no chain, the kommunalbestyrelse.
            if plan.approvals.isEmpty { plan.approvals = [Approval(body: "Kommunalbestyrelsen", date: nil)] }
            plan.approvals[plan.approvals.count - 1].date = plan.approvals[plan.approvals.count - 1].date ?? date.description
        } else if let i = plan.approvals.firstIndex(where: { $0.body.caseInsensitiveCompare(adopter) == .orderedSame }) {
            plan.approvals[i].date = date.description
        } else {
            plan.approvals.append(Approval(body: adopter, date: date.description))
        }
        let info: PlanVersionInfo
        do {
            info = try await environment.store.savePlan(plan, author: author, expecting: current.info.version)
        } catch let conflict as PlanVersionConflict {
            throw Refusal.conflict(conflict)
        }
        // What was approved stays as approved: each year's plan report, as the public reads it.
        try await keepReport(.plan, kommune: plan.kommune, years: Array(plan.years), version: info.version, asOf: environment.clock.today, author: author)
        return info
    }

    /// Renders and keeps the report of a plan version (`ApprovedReportService`).
    private func keepReport(
        _ kind: ReportKind, kommune: AreaCode, years: [Int], version: Int, asOf: Day, author: String
    ) async throws {
        guard let first = years.first, let scope = environment.areas[kommune].flatMap(KommuneScope.init),
            let stored = try await PlanService(environment).version(scope, year: first, version: version)
        else { return }
        try await ApprovedReportService(environment).keep(kind, stored, years: years, asOf: asOf, author: author)
    }

    /// A plan adopted outside beskplan — a real plan's file, status godkendt, its approval chain as
    /// the file gives it — stored as the first version of its year: the one way a plan enters as
    /// godkendt without `approve`, asked for by name (`beskplan plan import --approved`, the demo).
    /// Once the year has a version, the plan is edited and approved in beskplan instead.
    @discardableResult
    public func recordAdopted(_ plan: Plan, author: String) async throws -> PlanVersionInfo {
        guard plan.status == .godkendt else { return try await PlanService(environment).save(plan, expecting: 0, author: author) }
        do {
            return try await environment.store.savePlan(plan, author: author, expecting: 0)
        } catch let conflict as PlanVersionConflict {
            throw Refusal(
                .planExists, title: "Planen findes allerede",
                description: "Planen for \(plan.year) er i version \(conflict.current); ret den, og godkend den i beskplan.")
        }
    }

    /// A plan for `year` (through `through`) from the kommune's plan of `from`, as a first
    /// version, with the changes the new year's rules forced on it (`PlanCarryForward`).
    @discardableResult
    public func carryForward(
        _ scope: KommuneScope, from: Int, to year: Int, through: Int? = nil, author: String
    ) async throws -> (info: PlanVersionInfo, changes: [ForcedChange]) {
        let kommune = scope.area
        guard let previous = try await PlanService(environment).current(scope, year: from) else {
            throw Refusal(.noPlan, title: "Der er ingen plan at videreføre", description: "\(kommune.name) har ingen plan for \(from).")
        }
        // A plan over several years is carried on from the year named: its targets for that year.
        let carried = PlanCarryForward.carry(
            from: previous.plan, year: from, to: year, through: through, ministermaal: environment.ministermaal)
        try await PlanService(environment).refuseOverlap(carried.plan)
        do {
            return (try await environment.store.savePlan(carried.plan, author: author, expecting: 0), carried.changes)
        } catch is PlanVersionConflict {
            throw Refusal(
                .planExists, title: "Planen findes allerede",
                description: "\(kommune.name) har allerede en plan for \(year); ret i den i stedet.")
        }
    }

    /// The targets evaluated ikke opfyldt or i risiko as of `asOf` that have no note yet: the
    /// follow-up cannot be final while any is left.
    func targetsMissingNotes(_ plan: Plan, asOf: Day) async throws -> [String] {
        let evaluations = try await PlanService(environment).evaluate(plan, asOf: asOf, for: .members)
        let noted = Set(try await environment.store.assessments(kommune: plan.kommune, year: plan.year).map(\.target))
        return evaluations.filter { [.ikkeOpfyldt, .iRisiko].contains($0.status) && !noted.contains($0.target) }.map(\.target)
    }

    /// Marks the follow-up as of `asOf` final, if every red target has its note, and keeps its
    /// report as the public reads it: of the approved version (none kept while the plan is a draft).
    public func finalizeFollowUp(_ plan: Plan, asOf: Day, author: String) async throws {
        let missing = try await targetsMissingNotes(plan, asOf: asOf)
        guard missing.isEmpty else {
            throw Refusal(
                .notesMissing, title: "Opfølgningen mangler noter",
                description: "Mål, der ikke er opfyldt eller er i risiko, skal have en note først: \(missing.joined(separator: ", ")).")
        }
        try await environment.store.recordEvent(KommuneEvent(
            kommune: plan.kommune, kind: .followUpFinal, year: plan.year, asOf: asOf.description, author: author))
        if let scope = environment.areas[plan.kommune].flatMap(KommuneScope.init),
            let approved = try await PlanService(environment).latestApproved(scope, year: plan.year)
        {
            try await keepReport(.followup, kommune: plan.kommune, years: [plan.year], version: approved.info.version, asOf: asOf, author: author)
        }
    }

    /// Whether the follow-up of the plan's year is final, and which red targets as of `asOf` still lack a note.
    public func followUpStatus(_ plan: Plan, asOf: Day) async throws -> FollowUpStatus {
        let final = try await environment.store.events(kommune: plan.kommune).finalFollowUp(year: plan.year)
        return FollowUpStatus(final: final, missingNotes: try await targetsMissingNotes(plan, asOf: asOf))
    }
}

/// A year's follow-up: final (by whom, as of when) or not, and the notes it still needs.
public struct FollowUpStatus: Sendable {
    public let final: KommuneEvent?
    public let missingNotes: [String]
}
