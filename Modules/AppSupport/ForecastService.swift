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

/// Forecasts for the targets of a plan that read one series toward a level (threshold with the
/// period's last figure, change), as of a day: only figures of periods over by then count.
public struct ForecastService: Sendable {
    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    public func forecasts(_ plan: Plan, asOf: Day) async throws -> [TargetForecast] {
        var result: [TargetForecast] = []
        for target in plan.goals.flatMap(\.targets) {
            guard let found = try await forecast(target, kommune: plan.kommune, asOf: asOf) else { continue }
            result.append(found)
        }
        return result
    }

    private func forecast(_ target: Target, kommune: AreaCode, asOf: Day) async throws -> TargetForecast? {
        let unit: MeasureUnit?
        let period: Period
        let meets: (Double) -> Bool
        let goal: String
        let series: [Period: Double]
        switch target.rule {
        case .threshold(let r) where r.aggregate == nil || r.aggregate == .last:
            unit = environment.measures[r.measure]?.unit
            period = r.period
            series = try await read(r.measure, r.select, kommune: kommune, asOf: asOf)
            meets = { r.op.holds($0, r.value) }
            goal = GoalLevel.danish(r.op, r.value, unit)
        case .change(let r) where r.aggregate == nil || r.aggregate == .last:
            unit = environment.measures[r.measure]?.unit
            period = r.to
            series = try await read(r.measure, r.select, kommune: kommune, asOf: asOf)
            guard let start = series[r.from] else { return nil }
            switch r.direction {
            case .increase: meets = { $0 > start }
            case .decrease: meets = { $0 < start }
            case .keep: meets = { $0 >= start }
            case .noIncrease: meets = { $0 <= start }
            }
            goal = "\(r.direction == .increase || r.direction == .keep ? "mindst" : "højst") som i \(r.from.danishLabel) (\(GoalLevel.danish(start, unit)))"
        default:
            return nil
        }
        // Running: begun, not over, as of the day.
        guard period.firstDay <= asOf, asOf < period.lastDay else { return nil }
        // The series' own granularity, from its latest figure inside the period.
        guard let latest = series.keys.filter({ period.contains($0) && $0 != period }).max() else { return nil }
        let end = period.granularity == latest.granularity ? period : Period.starting(at: period.lastDay, granularity: latest.granularity)
        guard let forecast = Forecast.project(series.filter { $0.key.granularity == latest.granularity }, to: end) else { return nil }
        let onTrack = meets(forecast.low) && meets(forecast.high)
        let status: EvaluationStatus = onTrack ? .paaVej : .iRisiko
        let verdict = onTrack ? "Målet (\(goal)) nås i hele intervallet" : "Målet (\(goal)) nås ikke i hele intervallet"
        return TargetForecast(
            target: target.id, forecast: forecast, status: status, explanation: "\(forecast.danish(unit)) \(verdict): \(status.label).")
    }

    /// The kommune's figures of one series, of periods over by `asOf`.
    private func read(_ measure: MeasureID, _ select: [String: String]?, kommune: AreaCode, asOf: Day) async throws -> [Period: Double] {
        let observations = try await environment.store.observations(
            ObservationQuery(measure: measure, areas: [kommune], dimensions: select ?? [:]))
        return Dictionary(observations.filter { $0.period.lastDay <= asOf }.map { ($0.period, $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}
