import AppSupport
import Foundation
import PlanFormat

/// Saving a plan sent as YAML, for the API and the plan page alike: checked for bombs, parsed and
/// validated (every problem at its line and column), for the kommune and year it was sent to, not
/// over an approved version, and only over the version the edit started from. Every refusal is
/// a `Problem` (422, 409, 412, 428).
struct PlanSaving: Sendable {
    let environment: AppEnvironment

    /// `expecting`: the version the edit started from; `nil` is allowed only while no plan exists.
    func save(_ text: String, area: Area, year: Int, expecting: Int?, author: String) async throws -> PlanVersionInfo {
        let plan = try check(text, area: area, year: year)
        let stored = try await environment.store.currentPlan(kommune: area.code, year: year)
        do {
            try PlanWorkflow.checkEditable(current: stored, new: plan)
        } catch let refusal as PlanWorkflow.Refusal {
            throw Problem(.conflict, refusal.kind, title: refusal.title, detail: refusal.description)
        }
        let current = stored?.info.version ?? 0
        guard let expecting = expecting ?? (current == 0 ? 0 : nil) else {
            throw Problem(.preconditionRequired, "if-match-required", title: "Angiv hvilken version du har rettet i",
                          detail: "Planen findes allerede (version \(current)); send dens ETag som If-Match.")
        }
        do {
            return try await environment.store.savePlan(plan, author: author, expecting: expecting)
        } catch let conflict as PlanVersionConflict {
            throw Problem(.preconditionFailed, "version-conflict", title: "Planen er ændret imens",
                          detail: "Planen er nu i version \(conflict.current), ikke \(conflict.expected). Hent den og ret igen.")
        }
    }

    /// The plan in `text`, checked as a save checks it, without saving: for a save, and for the
    /// editor's feedback while typing.
    func check(_ text: String, area: Area, year: Int) throws -> Plan {
        let plan: Plan
        do {
            try PlanYAMLGuard.check(text)
            plan = try PlanFile.parse(text, file: "plan.yaml", catalog: PlanService(environment).catalog)
        } catch {
            throw Problem.invalidPlan(error.errors)
        }
        guard plan.kommune == area.code, plan.year == year else {
            throw Problem.invalidPlan([PlanError(
                file: "plan.yaml", line: 1, column: 1,
                message: "the plan is for \(plan.kommune) \(plan.year), but was sent to \(area.code) \(year)")])
        }
        return plan
    }
}
