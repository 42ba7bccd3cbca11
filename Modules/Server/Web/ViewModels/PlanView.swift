import AppSupport
import Evaluation
import Storage

/// A plan in the four-column schema of the ministry's template, for the plan page and the public page.
struct PlanView: Sendable {
    struct Approval: Sendable {
        let body: String
        let date: String?
    }

    struct TargetRow: Sendable {
        let id: String
        let follows: String
        let measures: String
        /// The rule in Danish words, with the measures' names.
        let rule: String
        let followUp: String
    }

    struct GoalView: Sendable {
        let id: String
        let title: String
        let text: String?
        let mark: String?
        let hasActions: Bool
        let actions: [String]
        let hasTargets: Bool
        let targets: [TargetRow]
    }

    let planTitle: String
    let version: Int
    let savedAt: String
    let author: String
    let statusWord: String
    let frozen: Bool
    let hasApprovals: Bool
    let approvals: [Approval]
    let adopter: String
    let goals: [GoalView]
    /// The plan report's tables as an Excel workbook.
    let excel: String

    /// `environment` words the rules: the measures' units, the kommune's region, the plugins' rule kinds.
    init(_ stored: StoredPlan, environment: AppEnvironment) {
        let region = environment.areas[stored.info.kommune]?.region.flatMap { environment.areas[$0] }
        let ruleKinds = Dictionary(environment.registry.ruleKinds.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
        let plan = stored.plan
        planTitle = plan.title
        version = stored.info.version
        savedAt = String(stored.info.savedAt.prefix(10))
        author = stored.info.author
        statusWord = plan.status == .godkendt ? "godkendt" : "udkast"
        frozen = plan.status == .godkendt
        hasApprovals = !plan.approvals.isEmpty
        approvals = plan.approvals.map { Approval(body: $0.body, date: $0.date) }
        adopter = plan.approvals.last?.body ?? "Kommunalbestyrelsen"
        excel = "/api/v1/kommuner/\(environment.areas[plan.kommune]?.slug ?? plan.kommune.rawValue)/plans/\(plan.year)/reports/plan?format=xlsx"
        goals = plan.goals.map { goal in
            GoalView(
                id: goal.id, title: goal.title, text: goal.text, mark: goal.mark.map { $0 == .nyt ? "Nyt mål" : "Videreført" },
                hasActions: !goal.actions.isEmpty, actions: goal.actions, hasTargets: !goal.targets.isEmpty,
                targets: goal.targets.map { t in
                    TargetRow(
                        id: t.id, follows: t.follows, measures: t.measures, rule: RuleDescription.danish(
                            t.rule, measures: environment.measures, region: region, ruleKinds: ruleKinds),
                        followUp: t.followUp.map { "\($0.frequency.rawValue), \($0.audience)" } ?? "–")
                })
        }
    }
}
