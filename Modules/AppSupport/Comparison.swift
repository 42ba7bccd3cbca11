import Evaluation
import Foundation
import Storage

/// A measure across all 98 kommuner, ranked fairly: a count is ranked per 1,000 inhabitants aged
/// 16–66 (else per 1,000 inhabitants, said so), because the largest kommune has the most of
/// everything; best first by the measure's polarity. Where the measure is the ministry's
/// benchmark (Y30R21), its own published rank is given beside.
public struct Comparison: Sendable {
    /// What the values are.
    public enum Basis: String, Sendable {
        case asPublished
        /// Per 1,000 inhabitants aged 16–66 (`befolkning.antal`).
        case perThousandWorkingAge
        /// Per 1,000 inhabitants of all ages (`befolkning.i_alt`), where 16–66 is not at hand.
        case perThousandAll

        /// In Danish, after the measure's name.
        public var label: String {
            switch self {
            case .asPublished: ""
            case .perThousandWorkingAge: "pr. 1.000 indbyggere 16-66 år"
            case .perThousandAll: "pr. 1.000 indbyggere (alle aldre; tal for 16-66 år mangler)"
            }
        }
    }

    public struct Row: Sendable {
        public let area: AreaCode
        public let rank: Int
        /// The value ranked (per 1,000 where the basis says so).
        public let value: Double
        /// The value as published.
        public let published: Double
    }

    public let period: Period
    public let basis: Basis
    /// Best first.
    public let rows: [Row]
    /// Whether a lower value ranks first.
    public let lowerIsBetter: Bool
    /// Every area's figure of the period as published (the region and the country too).
    public var published: [AreaCode: Double] = [:]
    /// The kommune's place in the ministry's benchmark (Y30R21) for the period, where the measure is the benchmark's.
    public var benchmarkPlace: Double?

    /// The comparison of a measure (with these dimension values) at the kommune's latest period up
    /// to `asOf`, loaded from the store: the figures, the population they are divided by, and the
    /// benchmark's own rank. `nil` when the kommune has no figure.
    public static func load(
        _ environment: AppEnvironment, measure: MeasureDefinition, dimensions: [String: String], kommune: AreaCode, asOf: Day,
        perInhabitant: Bool
    ) async throws -> Comparison? {
        let store = environment.store
        let observations = try await store.observations(ObservationQuery(measure: measure.id, dimensions: dimensions))
            .filter { $0.series.dimensions == dimensions }
        guard let period = observations.filter({ $0.series.area == kommune && $0.period.lastDay <= asOf }).map(\.period).max() else {
            return nil
        }
        // The population of the period, and of the year before it (a month's figure may come late).
        var population = ObservationIndex()
        for id in ["befolkning.alder", "befolkning.i_alt"] {
            population.add(try await store.observations(ObservationQuery(
                measure: id, from: Period.starting(at: period.firstDay, granularity: .month).shifted(years: -1),
                to: Period.starting(at: period.lastDay, granularity: .month))))
        }
        var comparison = rank(
            observations, period: period, measure: measure, areas: environment.areas,
            population: population.derived(environment.measures), perInhabitant: perInhabitant)
        comparison.published = Dictionary(
            observations.filter { $0.period == period }.map { ($0.series.area, $0.value) }, uniquingKeysWith: { _, b in b })
        if measure.id.hasPrefix("benchmark."), measure.id != "benchmark.placering" {
            comparison.benchmarkPlace = try await store.observations(
                ObservationQuery(measure: "benchmark.placering", areas: [kommune], dimensions: dimensions, from: period, to: period)).first?.value
        }
        return comparison
    }

    /// Ranks the kommuner's observations of one period. `population` holds the denominators
    /// (derived figures computed); a kommune without one is left out of a per-1,000 ranking.
    public static func rank(
        _ observations: [Observation], period: Period, measure: MeasureDefinition, areas: AreaCatalog,
        population: ObservationIndex, perInhabitant: Bool
    ) -> Comparison {
        let kommuner = observations.filter { $0.period == period && areas[$0.series.area]?.kind == .kommune }
        let isCount = [.fuldtidspersoner, .helaarspersoner, .antal].contains(measure.unit) && measure.id != "befolkning.i_alt"
            && measure.id != "befolkning.antal"
        var basis = Basis.asPublished
        var values: [(Observation, Double)] = kommuner.map { ($0, $0.value) }
        if perInhabitant, isCount {
            for (candidate, id) in [(Basis.perThousandWorkingAge, Derivation.population), (.perThousandAll, "befolkning.i_alt")] {
                let divided: [(Observation, Double)] = kommuner.compactMap { o in
                    let points = population.points(SeriesKey(measure: id, area: o.series.area))
                    guard let people = ObservationIndex.value(of: points, for: period), people > 0 else { return nil }
                    return (o, o.value / people * 1000)
                }
                // The basis only when (nearly) every kommune has a population for the period.
                if divided.count >= max(1, kommuner.count - 2) {
                    basis = candidate
                    values = divided
                    break
                }
            }
        }
        let lower = measure.polarity == .lower || measure.unit == .placering
        let sorted = values.sorted { lower ? $0.1 < $1.1 : $0.1 > $1.1 }
        return Comparison(
            period: period, basis: basis,
            rows: sorted.enumerated().map { Row(area: $0.element.0.series.area, rank: $0.offset + 1, value: $0.element.1, published: $0.element.0.value) },
            lowerIsBetter: lower)
    }
}
