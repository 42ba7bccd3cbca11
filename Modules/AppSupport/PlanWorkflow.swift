import Foundation
import PlanFormat

/// What happens to a plan after it is written: it is carried into the next year, adopted (and
/// then frozen), and followed up until the follow-up is final. The rules the server enforces.
public struct PlanWorkflow: Sendable {
    /// A step the plan's state does not allow, in Danish for the user; `kind` is stable for scripts.
    public struct Refusal: Error, CustomStringConvertible {
        public let kind: String
        public let title: String
        public let description: String
    }

    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    /// A saved version may not follow an adopted one, and adoption has its own step.
    public static func checkEditable(current: StoredPlan?, new plan: Plan) throws {
        if let current, current.plan.status == .godkendt {
            throw Refusal(
                kind: "plan-frozen", title: "Planen er godkendt og kan ikke ændres",
                description: "Version \(current.info.version) er godkendt; start næste års plan i stedet.")
        }
        if plan.status == .godkendt {
            throw Refusal(
                kind: "approve-separately", title: "En plan godkendes for sig",
                description: "Gem planen med status udkast, og godkend den derefter.")
        }
    }

    /// The current version as adopted by `body` on `date`: status godkendt, the body's approval
    /// dated (added to the chain if it is not in it), saved as a new version.
    public func approve(
        _ current: StoredPlan, body: String?, date: Day, author: String
    ) async throws -> PlanVersionInfo {
        guard current.plan.status != .godkendt else {
            throw Refusal(
                kind: "already-approved", title: "Planen er allerede godkendt",
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
        return try await environment.store.savePlan(plan, author: author, expecting: current.info.version)
    }

    /// A plan for `year` from the kommune's plan of `from`, as a first version.
    public func carryForward(_ kommune: Area, from: Int, to year: Int, author: String) async throws -> PlanVersionInfo {
        guard let previous = try await environment.store.currentPlan(kommune: kommune.code, year: from) else {
            throw Refusal(kind: "no-plan", title: "Der er ingen plan at videreføre", description: "\(kommune.name) har ingen plan for \(from).")
        }
        let plan = PlanCarryForward.plan(from: previous.plan, to: year, ministermaal: environment.ministermaal)
        do {
            return try await environment.store.savePlan(plan, author: author, expecting: 0)
        } catch is PlanVersionConflict {
            throw Refusal(
                kind: "plan-exists", title: "Planen findes allerede",
                description: "\(kommune.name) har allerede en plan for \(year); ret i den i stedet.")
        }
    }

    /// The targets evaluated ikke opfyldt or i risiko as of `asOf` that have no note yet: the
    /// follow-up cannot be final while any is left.
    public func targetsMissingNotes(_ plan: Plan, asOf: Day) async throws -> [String] {
        let evaluations = try await PlanService(environment).evaluate(plan, asOf: asOf)
        let noted = Set(try await environment.store.assessments(kommune: plan.kommune, year: plan.year).map(\.target))
        return evaluations.filter { [.ikkeOpfyldt, .iRisiko].contains($0.status) && !noted.contains($0.target) }.map(\.target)
    }

    /// Marks the follow-up as of `asOf` final, if every red target has its note.
    public func finalizeFollowUp(_ plan: Plan, asOf: Day, author: String) async throws {
        let missing = try await targetsMissingNotes(plan, asOf: asOf)
        guard missing.isEmpty else {
            throw Refusal(
                kind: "notes-missing", title: "Opfølgningen mangler noter",
                description: "Mål, der ikke er opfyldt eller er i risiko, skal have en note først: \(missing.joined(separator: ", ")).")
        }
        try await environment.store.recordEvent(KommuneEvent(
            kommune: plan.kommune, kind: .followUpFinal, year: plan.year, asOf: asOf.description, author: author))
    }
}
