import BeskplanCore
import Evaluation
import Yams

/// Flags misspelt field names, which Codable would otherwise ignore silently.
enum KeyCheck {
    static let plan: Set<String> = ["kommune", "year", "period", "title", "status", "approvals", "sections", "goals"]
    static let approval: Set<String> = ["body", "date"]
    static let section: Set<String> = ["id", "title", "text"]
    static let goal: Set<String> = ["id", "kind", "serves", "mark", "title", "text", "actions", "targets"]
    static let target: Set<String> = ["id", "follows", "measures", "rule", "followUp", "year"]
    static let followUp: Set<String> = ["frequency", "audience", "source"]
    static let rules: [String: Set<String>] = [
        "threshold": ["kind", "measure", "select", "period", "aggregate", "op", "value", "redFlag"],
        "benchmark": ["kind", "measure", "select", "period", "aggregate", "against", "op", "offset", "offsetUnit"],
        "development": ["kind", "measure", "select", "from", "to", "against", "tolerance"],
        "change": ["kind", "measure", "select", "from", "to", "direction", "aggregate"],
        "deadline": ["kind", "measure", "select", "baseline", "deadline", "op", "value"],
        "milestone": ["kind", "description", "due"],
    ]

    static func unknownKeys(_ root: Node, locator: NodeLocator) -> [PlanError] {
        var problems: [PlanError] = []
        func check(_ node: Node?, _ allowed: Set<String>, _ what: String) {
            guard case .mapping(let mapping)? = node else { return }
            for key in mapping.keys {
                guard let name = key.string, !allowed.contains(name) else { continue }
                let hint = DanishText.closest(to: name, among: Array(allowed)).map { "; did you mean '\($0)'?" } ?? ""
                problems.append(PlanError(
                    file: locator.file, line: key.mark?.line ?? 1, column: key.mark?.column ?? 1,
                    message: "unknown field '\(name)' in \(what)\(hint)"))
            }
        }
        check(root, plan, "the plan")
        for approval in root["approvals"]?.sequence ?? [] { check(approval, Self.approval, "an approval") }
        for section in root["sections"]?.sequence ?? [] { check(section, Self.section, "a section") }
        for goal in root["goals"]?.sequence ?? [] {
            check(goal, Self.goal, "a goal")
            for target in goal["targets"]?.sequence ?? [] {
                check(target, Self.target, "a target")
                check(target["followUp"], followUp, "followUp")
                if let rule = target["rule"], let kind = rule["kind"]?.string, let allowed = rules[kind] {
                    check(rule, allowed, "a \(kind) rule")
                }
            }
        }
        return problems
    }
}
