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

    /// The measures and areas a plan's evaluation reads, so they can be loaded in one go.
    public func requirements(_ plan: Plan, areas: AreaCatalog = .standard, measures: MeasureCatalog) -> [MeasureID: Set<AreaCode>] {
        let kommune = plan.kommune
        let region = areas.region(of: kommune, in: plan.year)?.code
        var needs: [MeasureID: Set<AreaCode>] = [:]
        func add(_ measure: MeasureID, _ codes: [AreaCode?]) {
            needs[measure, default: []].formUnion(codes.compactMap { $0 })
            let published = measure + ".udvikling"
            if measures[published] != nil { needs[published, default: []].formUnion(codes.compactMap { $0 }) }
        }
        func benchmarkArea(_ b: BenchmarkArea) -> AreaCode? {
            switch b {
            case .region: region
            case .country: .country
            case .area(let code): code
            case .expected: nil
            }
        }
        for target in plan.targets {
            switch target.rule {
            case .threshold(let r): add(r.measure, [kommune])
            case .benchmark(let r):
                add(r.measure, [kommune, benchmarkArea(r.against)])
                if case .expected(let m) = r.against { add(m, [kommune]) }
            case .development(let r):
                add(r.measure, [kommune, benchmarkArea(r.against)])
                if case .expected(let m) = r.against { add(m, [kommune]) }
            case .change(let r): add(r.measure, [kommune])
            case .deadline(let r): add(r.measure, [kommune])
            case .milestone: break
            case .plugin(let r):
                for m in ruleKinds[r.kind]?.measures(r) ?? [] { add(m, [kommune]) }
            }
        }
        return needs
    }
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

        /// "Mangler data" naming every series that was not found.
        func missing(_ series: [MissingSeries]) -> TargetEvaluation {
            let names = series.map(\.description)
            return result(
                .manglerData, missing: names,
                explanation: "Mangler data: \(names.joined(separator: "; ")) — ikke vurderet.")
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
