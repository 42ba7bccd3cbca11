import BeskplanCore
import Evaluation
import Testing

/// The measures beskplan computes from others (`ObservationIndex.derived`).
@Suite("Derived measures")
struct DeriveTests {
    static func obs(_ measure: String, _ period: Period, _ value: Double, _ dims: [String: String] = [:]) -> Observation {
        Observation(series: SeriesKey(measure: measure, area: "741", dimensions: dims), period: period, value: value)
    }

    /// Each age 16–66 once: the population 16–66 is 51 × `perAge`.
    static func ages(_ year: Int, perAge: Double) -> [Observation] {
        (16...66).map { obs("befolkning.alder", .year(year), perAge, ["alder": String($0)]) }
    }

    @Test("A measure three derivations away is computed: ages → population → share → change in points")
    func chain() throws {
        let ledige = ["status": "ledige"]
        let index = ObservationIndex(
            Self.ages(2023, perAge: 100) + Self.ages(2024, perAge: 80)
                + [Self.obs("arbejdsmarkedsstatus.fuldtidspersoner", .year(2023), 255, ledige),
                   Self.obs("arbejdsmarkedsstatus.fuldtidspersoner", .year(2024), 306, ledige)]
        ).derived(.standard)
        let population = index.points(SeriesKey(measure: "befolkning.antal", area: "741"))
        #expect(population.map(\.value) == [5100, 4080])
        let share = index.points(SeriesKey(measure: "arbejdsmarkedsstatus.andel_befolkning", area: "741", dimensions: ledige))
        #expect(share.map(\.value) == [5, 7.5])
        let change = index.points(SeriesKey(measure: "arbejdsmarkedsstatus.andel_befolkning.udvikling", area: "741", dimensions: ledige))
        #expect(change.map(\.period) == [.year(2024)] && change.map(\.value) == [2.5])
        #expect(index.isComputed(SeriesKey(measure: "arbejdsmarkedsstatus.andel_befolkning", area: "741", dimensions: ledige), .year(2024)))
    }

    @Test("A figure a source publishes for a derived measure is kept; only the periods it lacks are computed")
    func storedFigureWins() {
        let index = ObservationIndex(
            Self.ages(2023, perAge: 100) + Self.ages(2024, perAge: 80) + [Self.obs("befolkning.antal", .year(2023), 5000)]
        ).derived(.standard)
        let key = SeriesKey(measure: "befolkning.antal", area: "741")
        #expect(index.points(key).map(\.value) == [5000, 4080])
        #expect(!index.isComputed(key, .year(2023)) && index.isComputed(key, .year(2024)))
    }
}
