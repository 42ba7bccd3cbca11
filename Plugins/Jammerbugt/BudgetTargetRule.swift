import PluginKit

/// `budget_maaltal`: the helårspersoner on a ydelse in a year stay within the budget's måltal
/// (Jammerbugt's Bilag 1, "Måltal for politikområde 5").
///
/// ```yaml
/// rule: { kind: budget_maaltal, ydelse: kontanthjaelp, year: 2021 }
/// ```
/// The actual figure is `ydelse.helaarspersoner`; before the year is over, the budget follow-up's
/// estimate (`jammerbugt.budget_estimat`) stands in for it, so the target is på vej or i risiko.
public enum BudgetTargetRule: RuleKind {
    public static let kind = "budget_maaltal"
    static let target = "jammerbugt.budget_maaltal"
    static let estimate = "jammerbugt.budget_estimat"
    static let actual = "ydelse.helaarspersoner"

    public static func validate(_ rule: PluginRule, measures: MeasureCatalog) throws(RuleError) {
        guard let ydelse = rule.parameters["ydelse"] else { throw RuleError(parameter: nil, "needs ydelse: (a ydelsesgruppe)") }
        do {
            try DimensionCatalog.standard.validate(dimension: "ydelse", value: ydelse)
        } catch {
            throw RuleError(parameter: "ydelse", error.description)
        }
        guard let year = rule.parameters["year"], Int(year) != nil else {
            throw RuleError(parameter: "year", "needs year: (the budget year, e.g. 2021)")
        }
    }

    public static func measures(_ rule: PluginRule) -> [MeasureID] { [target, estimate, actual] }

    public static func describe(_ rule: PluginRule) -> String {
        let year = Int(rule.parameters["year"] ?? "")
        return "\(subject(rule.parameters["ydelse"] ?? "i_alt", year: year ?? 0).capitalizedFirst()) højst som budgettets måltal for \(year.map(String.init) ?? "året")"
    }

    /// What is counted, as a sentence names it: `helårspersoner på kontanthjælp`; the total is
    /// `helårspersoner på offentlig forsørgelse i alt`, never "på i alt".
    static func subject(_ ydelse: String, year: Int) -> String {
        guard ydelse != "i_alt" else { return "helårspersoner på offentlig forsørgelse i alt" }
        return "helårspersoner på " + (DimensionCatalog.standard.ydelsesgruppe(ydelse)?.label(in: year).lowercased() ?? ydelse)
    }

    public static func evaluate(_ rule: PluginRule, target: Target, goal: Goal, context: EvaluationContext) -> TargetEvaluation {
        let ydelse = rule.parameters["ydelse"] ?? "i_alt"
        let period = Period.year(Int(rule.parameters["year"] ?? "") ?? context.plan.year)
        let select = ["ydelse": ydelse]
        let subject = Self.subject(ydelse, year: period.year).capitalizedFirst()
        func result(_ status: EvaluationStatus, _ value: Double?, _ goalValue: Double?, _ figures: [Figure], _ text: String, missing: [String] = []) -> TargetEvaluation {
            TargetEvaluation(
                kommune: context.plan.kommune, year: context.plan.year, goal: goal.id, target: target.id,
                follows: target.follows, rule: kind, status: status, value: value, benchmark: goalValue,
                unit: .helaarspersoner, figures: figures, missing: missing, explanation: text)
        }
        let code = context.kommune.code
        guard
            case .success(let goalFigure) = context.figure(
                Self.target, area: code, select: select, period: period, aggregate: nil, setInAdvance: true)
        else {
            let missing = MissingSeries(
                key: SeriesKey(measure: Self.target, area: code, dimensions: select), period: period, areaName: context.kommune.name)
            return result(
                .manglerData, nil, nil, [], MissingSeries.explanation([missing], measures: context.measures),
                missing: [missing.description])
        }
        let goalText = DanishNumber.format(goalFigure.value)
        if case .success(let actual) = context.figure(actual, area: code, select: select, period: period, aggregate: .average),
            actual.complete
        {
            let status: EvaluationStatus = actual.value <= goalFigure.value ? .opfyldt : .ikkeOpfyldt
            return result(
                status, actual.value, goalFigure.value, [goalFigure, actual],
                "\(subject): \(DanishNumber.format(actual.value)) i \(period.danishLabel) (måltal: højst \(goalText)) — \(status.label).")
        }
        if case .success(let estimate) = context.figure(
            estimate, area: code, select: select, period: period, aggregate: nil, setInAdvance: true)
        {
            let status: EvaluationStatus = estimate.value <= goalFigure.value ? .paaVej : .iRisiko
            return result(
                status, estimate.value, goalFigure.value, [goalFigure, estimate],
                "\(subject): estimeret \(DanishNumber.format(estimate.value)) for \(period.danishLabel) ved budgetopfølgningen (måltal: højst \(goalText)) — \(status.label).")
        }
        let missing = MissingSeries(
            key: SeriesKey(measure: actual, area: code, dimensions: select), period: period, areaName: context.kommune.name)
        return result(
            .manglerData, nil, goalFigure.value, [goalFigure],
            MissingSeries.explanation([missing], measures: context.measures, note: " (måltal: højst \(goalText))"),
            missing: [missing.description])
    }
}
