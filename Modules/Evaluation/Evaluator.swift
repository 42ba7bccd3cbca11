import BeskplanCore
import Foundation

/// Evaluates every target of a plan: pure functions over the observations in the context.
public struct Evaluator: Sendable {
    private let ruleKinds: [String: any RuleKind.Type]

    public init(ruleKinds: [any RuleKind.Type] = []) {
        self.ruleKinds = Dictionary(ruleKinds.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every target, goal by goal, in plan order.
    public func evaluate(_ context: EvaluationContext) -> [TargetEvaluation] {
        context.plan.goals.flatMap { goal in goal.targets.map { evaluate($0, goal: goal, context: context) } }
    }

    public func evaluate(_ target: Target, goal: Goal, context: EvaluationContext) -> TargetEvaluation {
        var result = evaluateRule(target, goal: goal, context: context)
        // A figure beskplan computed says so, and from what.
        let computed = result.figures.filter { f in
            context.data.isComputed(SeriesKey(measure: f.measure, area: f.area, dimensions: f.dimensions), f.period)
        }
        let derived = Set(computed.map(\.measure)).sorted().compactMap { id in context.measures[id]?.derived.map { (id, $0) } }
        if !derived.isEmpty {
            let sentences = derived.map { id, d in
                "\((context.measures[id]?.name ?? id).capitalizedFirst()) er beregnet af beskplan som \(d.description(context.measures))."
            }
            result.explanation += " " + sentences.joined(separator: " ")
        }
        // A development read across a series break compares two tables: said, never smoothed over.
        let span: (MeasureID, [String: String]?, Period, Period)? = switch target.rule {
        case .development(let r): (r.measure, r.select, r.from, r.to)
        case .change(let r): (r.measure, r.select, r.from, r.to)
        default: nil
        }
        if let (measure, select, from, to) = span, let definition = context.measures[measure] {
            for b in definition.breaks(select ?? [:]) where from.firstDay < b.from.firstDay && to.lastDay >= b.from.firstDay {
                result.explanation += " Bemærk: \(b.danishDescription.capitalizedFirst()); udviklingen sammenligner tal fra to tabeller."
            }
        }
        return result
    }

    private func evaluateRule(_ target: Target, goal: Goal, context: EvaluationContext) -> TargetEvaluation {
        let base = Outcome.Base(context: context, goal: goal, target: target)
        switch target.rule {
        case .threshold(let rule): return Threshold.evaluate(rule, base)
        case .benchmark(let rule): return Benchmark.evaluate(rule, base)
        case .development(let rule): return Development.evaluate(rule, base)
        case .change(let rule): return Change.evaluate(rule, base)
        case .deadline(let rule): return Deadline.evaluate(rule, base)
        case .milestone(let rule): return Milestone.evaluate(rule, base)
        case .plugin(let rule):
            guard let kind = ruleKinds[rule.kind] else {
                return base.result(.manglerData, explanation: "Målreglen '\(rule.kind)' er ukendt for beskplan — ikke vurderet.")
            }
            return kind.evaluate(rule, target: target, goal: goal, context: context)
        }
    }

    /// The measures a target's rule reads (none for a milestone): its measure, an expected series
    /// it is held against, or what a plugin's rule names.
    public func measures(of target: Target) -> [MeasureID] {
        switch target.rule {
        case .benchmark(let r):
            if case .expected(let m) = r.against { return [r.measure, m] }
            return [r.measure]
        case .development(let r):
            if case .expected(let m) = r.against { return [r.measure, m] }
            return [r.measure]
        case .plugin(let r): return ruleKinds[r.kind]?.measures(r) ?? []
        default: return target.rule.measure.map { [$0] } ?? []
        }
    }

    /// The series a plan's evaluation reads — measure, dimension values and areas — so they can
    /// be loaded before evaluating, and nothing more.
    public func requirements(_ plan: Plan, areas: AreaCatalog = .standard, measures: MeasureCatalog) -> [SeriesRequest] {
        let kommune = plan.kommune
        let region = areas.region(of: kommune, in: plan.year)?.code
        var needs: [SeriesRequest.Shape: Set<AreaCode>] = [:]
        var periods: [SeriesRequest.Shape: Set<Period>] = [:]
        func add(_ measure: MeasureID, _ select: [String: String]?, _ codes: [AreaCode?], _ read: [Period], depth: Int = 0) {
            let wanted = codes.compactMap { $0 }
            for m in [measure, measure + ".udvikling"] where m == measure || measures[m] != nil {
                let shape = SeriesRequest.Shape(measure: m, dimensions: select ?? [:])
                needs[shape, default: []].formUnion(wanted)
                periods[shape, default: []].formUnion(read)
                // A derived measure reads its inputs: the same periods, and a year before for a change.
                guard depth < 3, let d = measures[m]?.derived else { continue }
                var dims = select ?? [:]
                for (k, v) in d.select ?? [:] { dims[k] = v }
                for k in (d.sum ?? [:]).keys { dims[k] = nil }
                let earlier = d.formula == .change || d.formula == .changePoints ? read.map(\.sameInPreviousYear) : []
                add(d.of, dims, codes, read + earlier, depth: depth + 1)
                if let whole = d.wholeMeasure {
                    var wholeDims = whole == d.of ? dims : [:]
                    for (k, v) in d.wholeSelect ?? [:] { wholeDims[k] = v }
                    add(whole, wholeDims, codes, read, depth: depth + 1)
                }
            }
        }
        func benchmarkArea(_ b: BenchmarkArea) -> AreaCode? {
            switch b {
            case .region: region
            case .country: .country
            case .area(let code): code
            case .expected, .rar: nil
            }
        }
        for target in plan.targets {
            switch target.rule {
            case .threshold(let r):
                add(r.measure, r.select, [kommune], [r.period])
                if r.measure == SeventyFivePercent.share { add(SeventyFivePercent.exempted, nil, [kommune], [r.period]) }
            case .benchmark(let r):
                add(r.measure, r.select, [kommune, benchmarkArea(r.against)], [r.period])
                if case .expected(let m) = r.against { add(m, r.select, [kommune], [r.period]) }
            case .development(let r):
                add(r.measure, r.select, [kommune, benchmarkArea(r.against)], [r.from, r.to])
                if case .expected(let m) = r.against { add(m, r.select, [kommune], [r.from, r.to]) }
            case .change(let r): add(r.measure, r.select, [kommune], [r.from, r.to])
            case .deadline(let r):
                // The straight line is judged on every period from the baseline to the deadline.
                let years = Swift.min(r.baseline.year, r.deadline.year)...Swift.max(r.baseline.year, r.deadline.year)
                add(r.measure, r.select, [kommune], [r.baseline, r.deadline] + years.map(Period.year))
            case .milestone: break
            case .plugin(let r):
                // A plugin's rule reads its measures for the kommune in the plan year; a parameter named
                // after one of a measure's dimensions (`ydelse: kontanthjaelp`) selects it.
                for m in ruleKinds[r.kind]?.measures(r) ?? [] {
                    let select = r.parameters.filter { measures[m]?.dimensions.contains($0.key) == true }
                    add(m, select.isEmpty ? nil : select, [kommune], [.year(plan.year)])
                }
            }
        }
        return needs.map {
            SeriesRequest(measure: $0.key.measure, dimensions: $0.key.dimensions, areas: $0.value, periods: periods[$0.key] ?? [])
        }
            .sorted { ($0.measure, $0.dimensions.description) < ($1.measure, $1.dimensions.description) }
    }
}

/// Series an evaluation needs: one measure, the dimension values it must carry, in these areas.
public struct SeriesRequest: Sendable, Hashable {
    /// A measure and a dimension selection, without areas.
    public struct Shape: Hashable, Sendable {
        public let measure: MeasureID
        public let dimensions: [String: String]

        public init(measure: MeasureID, dimensions: [String: String]) {
            self.measure = measure
            self.dimensions = dimensions
        }
    }

    public let measure: MeasureID
    /// Values the series must carry (empty: every series of the measure).
    public let dimensions: [String: String]
    public let areas: Set<AreaCode>
    /// The periods the rules read (a year read from months needs all its months).
    public let periods: Set<Period>
}

/// Shared pieces of every rule's outcome.
enum Outcome {
    struct Base {
        let context: EvaluationContext
        let goal: Goal
        let target: Target

        func result(
            _ status: EvaluationStatus, value: Double? = nil, benchmark: Double? = nil, unit: MeasureUnit? = nil,
            figures: [Figure] = [], missing: [String] = [], explanation: String
        ) -> TargetEvaluation {
            TargetEvaluation(
                kommune: context.plan.kommune, year: context.plan.year, goal: goal.id, target: target.id,
                follows: target.follows, rule: target.rule.kind, status: status, value: value, benchmark: benchmark,
                unit: unit, figures: figures, missing: missing, explanation: explanation)
        }

        /// Mangler data: the series not found (their keys, for scripts) and, for readers, in words
        /// with their sources.
        func missing(_ series: [MissingSeries]) -> TargetEvaluation {
            result(
                .manglerData, missing: series.map(\.description),
                explanation: MissingSeries.explanation(series, measures: context.measures))
        }

        func definition(_ id: MeasureID) -> MeasureDefinition? { context.measures[id] }
    }

    /// The status from whether the goal is met and whether the period is over.
    static func status(met: Bool, over: Bool, withinRedFlag: Bool = false) -> EvaluationStatus {
        if met { return over ? .opfyldt : .paaVej }
        if !over { return .iRisiko }
        return withinRedFlag ? .iRisiko : .ikkeOpfyldt
    }
}
