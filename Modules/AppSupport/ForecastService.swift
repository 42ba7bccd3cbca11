import BeskplanCore
import Evaluation
import Storage

/// A target whose period is running, and where it is heading: the forecast of its figure at the
/// period's end, and the status that gives — *på vej* when the goal is met in the whole range,
/// else *i risiko* (on real data the range, not the point, is what holds; docs/evaluation.md).
public struct TargetForecast: Sendable {
    public let target: String
    public let forecast: Forecast
    public let status: EvaluationStatus
    /// Danish: the prognose, the goal, the status.
    public let explanation: String
}

/// Forecasts for the targets of a plan that read one series toward a level (a threshold on the
/// period's last figure, a change), as of a day: only figures of periods over by then count.
public struct ForecastService: Sendable {
    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    /// The forecasts of the plan's running targets, or of the one target `only` names.
    public func forecasts(_ plan: Plan, asOf: Day, only: String? = nil) async throws -> [TargetForecast] {
        var result: [TargetForecast] = []
        for target in plan.goals.flatMap(\.targets) where only == nil || target.id == only {
            guard let found = try await forecast(target, kommune: plan.kommune, asOf: asOf) else { continue }
            result.append(found)
        }
        return result
    }

    private func forecast(_ target: Target, kommune: AreaCode, asOf: Day) async throws -> TargetForecast? {
        // Only rules read at one figure of the period's end: a threshold on the period's last
        // figure (an unset aggregate is the period's average, which a projected end does not give),
        // and a change to a period the series itself has.
        let measure: MeasureID
        let select: [String: String]?
        let period: Period
        let begun: Day
        switch target.rule {
        case .threshold(let r) where r.aggregate == .last: (measure, select, period, begun) = (r.measure, r.select, r.period, r.period.firstDay)
        case .change(let r) where r.aggregate == nil || r.aggregate == .last:
            // A change runs from the end of its start period to the end of `to`.
            (measure, select, period, begun) = (r.measure, r.select, r.to, r.from.lastDay)
        default: return nil
        }
        // Running: begun, not over, as of the day.
        guard begun <= asOf, asOf < period.lastDay else { return nil }
        let unit = environment.measures[measure]?.unit
        let series = try await read(measure, select, kommune: kommune, asOf: asOf)
        // As the evaluation reads a period: its own figures' granularity, else the coarsest finer one
        // that has figures in it.
        let finer = series.keys.filter { period.contains($0) && $0 != period }.map(\.granularity).min()
        let own = series.keys.contains { $0.granularity == period.granularity } ? period.granularity : nil
        guard let granularity = own ?? finer else { return nil }
        let end = period.granularity == granularity ? period : Period.starting(at: period.lastDay, granularity: granularity)
        guard period.contains(end),
            let forecast = Forecast.project(series.filter { $0.key.granularity == granularity }, to: end)
        else { return nil }

        let meets: (Double) -> Bool
        let goal: String
        switch target.rule {
        case .threshold(let r):
            meets = { r.op.holds($0, r.value) }
            goal = GoalLevel.danish(r.op, r.value, unit)
        case .change(let r):
            // The start as the evaluation reads it: that period's own figure, of the same granularity.
            guard r.from.granularity == granularity, let start = series[r.from] else { return nil }
            let level = GoalLevel.figure(start, unit)
            switch r.direction {
            case .increase: (meets, goal) = ({ $0 > start }, "en stigning fra \(r.from.danishLabel) (\(level))")
            case .decrease: (meets, goal) = ({ $0 < start }, "et fald fra \(r.from.danishLabel) (\(level))")
            case .keep: (meets, goal) = ({ $0 >= start }, "mindst niveauet fra \(r.from.danishLabel) (\(level))")
            case .noIncrease: (meets, goal) = ({ $0 <= start }, "højst niveauet fra \(r.from.danishLabel) (\(level))")
            }
        default:
            return nil
        }
        let ends = [meets(forecast.low), meets(forecast.high)]
        let status: EvaluationStatus = ends.allSatisfy { $0 } ? .paaVej : .iRisiko
        let verdict =
            ends.allSatisfy { $0 } ? "nås i hele intervallet" : ends.contains(true) ? "nås kun i en del af intervallet" : "nås ikke i intervallet"
        return TargetForecast(
            target: target.id, forecast: forecast, status: status,
            explanation: "\(forecast.danish(unit)) Målet (\(goal)) \(verdict): \(status.label).")
    }

    /// The kommune's figures of exactly this series (no other breakdown of the measure), of periods over by `asOf`.
    private func read(_ measure: MeasureID, _ select: [String: String]?, kommune: AreaCode, asOf: Day) async throws -> [Period: Double] {
        let dimensions = select ?? [:]
        let observations = try await environment.store.observations(ObservationQuery(measure: measure, areas: [kommune], dimensions: dimensions))
        return Dictionary(
            observations.filter { $0.series.dimensions == dimensions && $0.period.lastDay <= asOf }.map { ($0.period, $0.value) },
            uniquingKeysWith: { a, _ in a })
    }
}
