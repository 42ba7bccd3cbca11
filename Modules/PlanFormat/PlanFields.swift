import BeskplanCore
import Foundation

/// The fields of a plan an editor changes most — titles, texts, actions and a target's value —
/// as named form fields, and a plan with such fields applied. The web page's form; the rest of
/// a plan is edited as YAML. A field is named `kind:id:field` (`goal:2:title`, `target:4.1:value`;
/// a target given once a year by its key, `target:1.2@2027:value`).
public enum PlanFields {
    /// Applies the form's fields to `plan`; a field the form does not send keeps its value.
    /// A value that is not a number is located by its field's name.
    public static func apply(_ form: [String: String], to plan: Plan) throws(PlanErrors) -> Plan {
        var plan = plan
        var problems: [PlanError] = []
        func text(_ name: String) -> String? { form[name].map(clean) }
        if let title = text("plan::title"), !title.isEmpty { plan.title = title }
        for i in plan.sections.indices {
            let id = plan.sections[i].id
            if let title = text("section:\(id):title"), !title.isEmpty { plan.sections[i].title = title }
            if let body = text("section:\(id):text") { plan.sections[i].text = body }
        }
        for g in plan.goals.indices {
            let id = plan.goals[g].id
            if let title = text("goal:\(id):title"), !title.isEmpty { plan.goals[g].title = title }
            if let body = text("goal:\(id):text") { plan.goals[g].text = body.isEmpty ? nil : body }
            if let actions = text("goal:\(id):actions") {
                plan.goals[g].actions = actions.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            for t in plan.goals[g].targets.indices {
                let target = plan.goals[g].targets[t]
                if let follows = text("target:\(target.key):follows"), !follows.isEmpty { plan.goals[g].targets[t].follows = follows }
                if let measures = text("target:\(target.key):measures"), !measures.isEmpty { plan.goals[g].targets[t].measures = measures }
                guard let raw = text("target:\(target.key):value"), target.rule.editableNumber != nil else { continue }
                if raw.isEmpty, let cleared = target.rule.withEditableNumber(nil) {
                    plan.goals[g].targets[t].rule = cleared
                    continue
                }
                guard let number = number(raw) else {
                    problems.append(PlanError(
                        file: "target:\(target.key):value", line: 0, column: 0,
                        message: "mål \(target.id): '\(raw.clippedForMessage(40))' er ikke et tal (skriv fx 50 eller 4,5)"))
                    continue
                }
                plan.goals[g].targets[t].rule = target.rule.withEditableNumber(number) ?? target.rule
            }
        }
        guard problems.isEmpty else { throw PlanErrors(problems) }
        return plan
    }

    /// A number as a Danish or an English user writes it: `4,5`, `4.5`, `1.250` is not read as 1.25.
    public static func number(_ text: String) -> Double? { DanishNumber.parse(text) }

    /// Browsers send line breaks as CRLF; a text keeps no space at its ends.
    private static func clean(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Rule {
    /// The one number an editor most often changes, with what it means, if the rule has one:
    /// a threshold's or a deadline's value, a benchmark's offset, a development's tolerance.
    public var editableNumber: (label: String, value: Double?)? {
        switch self {
        case .threshold(let r): ("Grænse (\(r.op.rawValue))", r.value)
        case .deadline(let r): ("Mål i \(r.deadline) (\(r.op.rawValue))", r.value)
        case .benchmark(let r): ("Afstand til sammenligningen (\(r.op.rawValue))", r.offset)
        case .development(let r): ("Tolerance i procentpoint", r.tolerance)
        case .change, .milestone, .plugin: nil
        }
    }

    /// The rule with `editableNumber` set to `number`; `nil` (none) only where the number is optional.
    public func withEditableNumber(_ number: Double?) -> Rule? {
        switch self {
        case .threshold(var r):
            guard let number else { return nil }
            r.value = number
            return .threshold(r)
        case .deadline(var r):
            guard let number else { return nil }
            r.value = number
            return .deadline(r)
        case .benchmark(var r): r.offset = number; return .benchmark(r)
        case .development(var r): r.tolerance = number; return .development(r)
        case .change, .milestone, .plugin: return self
        }
    }
}
