import BeskplanCore

/// A rule kind a plugin adds (`budget_maaltal`), registered through `KommunePlugin.ruleKinds`.
///
/// The plan names it in `rule.kind`; its other fields arrive as text in `PluginRule.parameters`.
public protocol RuleKind: Sendable {
    /// The name plans use in `rule: { kind: … }`.
    static var kind: String { get }

    /// Checks the parameters when a plan is validated; the message says what is wrong.
    static func validate(_ rule: PluginRule, measures: MeasureCatalog) throws(RuleError)

    /// The measures the rule reads, for the kommune, so they are loaded before evaluation.
    static func measures(_ rule: PluginRule) -> [MeasureID]

    /// The status, figures and Danish explanation of a target with this rule.
    static func evaluate(_ rule: PluginRule, target: Target, goal: Goal, context: EvaluationContext) -> TargetEvaluation

    /// The goal in Danish, for the plan's "Mål" column.
    static func describe(_ rule: PluginRule) -> String
}

extension RuleKind {
    public static func describe(_ rule: PluginRule) -> String {
        rule.parameters.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }
}

/// A rule whose parameters do not fit its kind.
public struct RuleError: Error, CustomStringConvertible, Equatable {
    /// The parameter at fault, if one is (for error locations).
    public let parameter: String?
    public let description: String

    public init(parameter: String? = nil, _ description: String) {
        self.parameter = parameter
        self.description = description
    }
}
