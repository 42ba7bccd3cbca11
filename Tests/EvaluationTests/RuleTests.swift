import BeskplanCore
import Evaluation
import Testing

/// Each rule kind on small, hand-made series.
@Suite("Rule kinds")
struct RuleTests {
    static let measures = MeasureCatalog.standard

    static func evaluate(
        _ rule: Rule, _ observations: [Observation], asOf: Day = Day(year: 2025, month: 6, day: 1),
        assessments: [Assessment] = [], kinds: [any RuleKind.Type] = []
    ) -> TargetEvaluation {
        let plan = Plan(kommune: "741", year: 2024, title: "Test", goals: [
            Goal(id: "1", kind: .local, title: "Test", targets: [Target(id: "T", follows: "Test", measures: "Test", rule: rule)]),
        ])
        let context = EvaluationContext(
            plan: plan, asOf: asOf, data: ObservationIndex(observations), measures: measures, assessments: assessments)
        return Evaluator(ruleKinds: kinds).evaluate(context)[0]
    }

    static func obs(_ measure: String, _ area: AreaCode, _ period: Period, _ value: Double, _ dims: [String: String] = [:]) -> Observation {
        Observation(series: SeriesKey(measure: measure, area: area, dimensions: dims), period: period, value: value)
    }

    static let syg = ["ydelse": "sygedagpenge"]
    static func weeks(_ values: [Double]) -> [Observation] {
        values.enumerated().map { obs("ydelse.personer", "741", .week(2024, $0.offset + 1), $0.element, syg) }
    }

    @Test("Threshold aggregates sub-periods: average, sum, last, min, max", arguments: [
        (Aggregate.average, 50.0), (.sum, 100.0), (.last, 60.0), (.min, 40.0), (.max, 60.0),
    ])
    func aggregation(aggregate: Aggregate, expected: Double) {
        let rule = Rule.threshold(.init(measure: "ydelse.personer", select: Self.syg, period: .year(2024), aggregate: aggregate, op: .atMost, value: 1000))
        let e = Self.evaluate(rule, Self.weeks([40, 60]))
        #expect(e.value == expected)
        #expect(e.figures.first?.observations == 2)
    }

    @Test("Goal and red flag: opfyldt, i risiko between them, ikke opfyldt beyond")
    func redFlag() {
        func status(_ v: Double) -> EvaluationStatus {
            let rule = Rule.threshold(.init(measure: "ydelse.personer", select: Self.syg, period: .year(2024), aggregate: .average, op: .atMost, value: 50, redFlag: 55))
            return Self.evaluate(rule, Self.weeks([v])).status
        }
        #expect(status(48) == .opfyldt)
        #expect(status(53) == .iRisiko)
        #expect(status(58) == .ikkeOpfyldt)
    }

    @Test("As of a date inside the period: only earlier data counts, and the status is på vej or i risiko")
    func asOf() {
        let rule = Rule.threshold(.init(measure: "ydelse.personer", select: Self.syg, period: .year(2024), aggregate: .average, op: .atMost, value: 50))
        let data = Self.weeks([40, 44, 90, 90])  // weeks 1–4
        let early = Self.evaluate(rule, data, asOf: Day(year: 2024, month: 1, day: 15))  // weeks 1–2 are over
        #expect(early.value == 42)
        #expect(early.status == .paaVej)
        let later = Self.evaluate(rule, data, asOf: Day(year: 2024, month: 2, day: 1))
        #expect(later.value == 66)
        #expect(later.status == .iRisiko)
        #expect(Self.evaluate(rule, data).status == .ikkeOpfyldt)
    }

    @Test("Missing data is mangler data and names the series")
    func missing() {
        let rule = Rule.benchmark(.init(measure: "ledighed.procent", period: .month(2024, 6), against: .country, op: .atMost))
        let e = Self.evaluate(rule, [Self.obs("ledighed.procent", "741", .month(2024, 6), 3.1)])
        #expect(e.status == .manglerData)
        #expect(e.missing == ["ledighedsprocent for Hele landet, juni 2024 (Jobindsats)"])
        #expect(e.explanation == "Der mangler tal for ledighedsprocent for Hele landet, juni 2024 (Jobindsats) — ikke vurderet.")
    }

    @Test("Benchmark with an offset in procentpoint and in percent, and against the own region")
    func benchmarkOffsets() {
        let data = [
            Self.obs("uddannelseshjaelp.aktivitetsparate_andel", "741", .year(2024), 13.5),
            Self.obs("uddannelseshjaelp.aktivitetsparate_andel", "000", .year(2024), 10.0),
            Self.obs("uddannelseshjaelp.aktivitetsparate_andel", "082", .year(2024), 14.0),
        ]
        let pp = Rule.benchmark(.init(measure: "uddannelseshjaelp.aktivitetsparate_andel", period: .year(2024), against: .country, op: .atMost, offset: 4, offsetUnit: .procentpoint))
        let e = Self.evaluate(pp, data)
        #expect(e.status == .opfyldt)
        #expect(e.explanation.contains("(mål: højst 4,0 procentpoint over hele landet)"))
        let percent = Rule.benchmark(.init(measure: "uddannelseshjaelp.aktivitetsparate_andel", period: .year(2024), against: .country, op: .atMost, offset: 30, offsetUnit: .percent))
        #expect(Self.evaluate(percent, data).status == .ikkeOpfyldt)  // 13,5 > 13,0
        let region = Rule.benchmark(.init(measure: "uddannelseshjaelp.aktivitetsparate_andel", period: .year(2024), against: .region, op: .atMost))
        let r = Self.evaluate(region, data)
        #expect(r.status == .opfyldt)
        #expect(r.explanation.contains("Region Midtjylland"))  // Samsø's region
    }

    @Test("Benchmark against an expected series: fewer than computed")
    func expected() {
        let data = [
            Self.obs("ydelse.fuldtidspersoner", "741", .year(2024), 410, ["ydelse": "i_alt"]),
            Self.obs("benchmark.forventede_fuldtidspersoner", "741", .year(2024), 430, ["ydelse": "i_alt"]),
        ]
        let rule = Rule.benchmark(.init(measure: "ydelse.fuldtidspersoner", select: ["ydelse": "i_alt"], period: .year(2024), against: .expected("benchmark.forventede_fuldtidspersoner"), op: .below))
        let e = Self.evaluate(rule, data)
        #expect(e.status == .opfyldt)
        #expect(e.explanation.contains("mod 430 i det forventede niveau"))
    }

    @Test("Change: increase, decrease, keep and no increase", arguments: [
        (ChangeRule.Direction.increase, EvaluationStatus.ikkeOpfyldt), (.decrease, .opfyldt), (.keep, .ikkeOpfyldt), (.noIncrease, .opfyldt),
    ])
    func change(direction: ChangeRule.Direction, expected: EvaluationStatus) {
        let data = [Self.obs("norddjurs.vandrende_sager", "741", .year(2023), 12), Self.obs("norddjurs.vandrende_sager", "741", .year(2024), 9)]
        var measures = Self.measures.all
        measures.append(MeasureDefinition(id: "norddjurs.vandrende_sager", name: "Vandrende sager", unit: .antal, polarity: .lower, source: "x"))
        let rule = Rule.change(.init(measure: "norddjurs.vandrende_sager", from: .year(2023), to: .year(2024), direction: direction))
        let plan = Plan(kommune: "741", year: 2024, title: "T", goals: [Goal(id: "1", kind: .local, title: "T", targets: [Target(id: "T", follows: "T", measures: "T", rule: rule)])])
        let context = EvaluationContext(plan: plan, asOf: Day(year: 2025, month: 1, day: 1), data: ObservationIndex(data), measures: try! MeasureCatalog(measures))
        #expect(Evaluator().evaluate(context)[0].status == expected)
    }

    @Test("Deadline: på vej on the straight line from the baseline, i risiko below it, judged at the deadline")
    func deadline() {
        let m = "unge.25_aarige_ungdomsuddannelse_andel"
        let rule = Rule.deadline(.init(measure: m, baseline: .year(2023), deadline: .year(2030), op: .atLeast, value: 90))
        let onTrack = Self.evaluate(rule, [Self.obs(m, "741", .year(2023), 83), Self.obs(m, "741", .year(2024), 84.5)])
        #expect(onTrack.status == .paaVej)  // the line gives 84,0 in 2024
        #expect(onTrack.benchmark.map { abs($0 - 84.0) < 0.01 } == true)
        let behind = Self.evaluate(rule, [Self.obs(m, "741", .year(2023), 83), Self.obs(m, "741", .year(2024), 83.2)])
        #expect(behind.status == .iRisiko)
        let late = Self.evaluate(rule, [Self.obs(m, "741", .year(2023), 83), Self.obs(m, "741", .year(2030), 88)], asOf: Day(year: 2031, month: 2, day: 1))
        #expect(late.status == .ikkeOpfyldt)
    }

    @Test("Milestone: the latest hand assessment, or not yet assessed")
    func milestone() {
        let rule = Rule.milestone(.init(description: "Dialogmøde"))
        #expect(Self.evaluate(rule, []).status == .manglerData)
        let a = Assessment(kommune: "741", year: 2024, target: "T", status: .opfyldt, note: "Holdt 3. maj", date: "2024-05-03", author: "ana")
        let e = Self.evaluate(rule, [], assessments: [a])
        #expect(e.status == .opfyldt)
        #expect(e.explanation == "Vurderet 2024-05-03 af ana: Holdt 3. maj — opfyldt.")
    }

    @Test("A rule kind no plugin registered is mangler data, not a crash")
    func unknownKind() {
        let e = Self.evaluate(.plugin(.init(kind: "nonsense", parameters: [:])), [])
        #expect(e.status == .manglerData)
        #expect(e.explanation.contains("'nonsense'"))
    }
}
