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
        #expect(status(50) == .opfyldt, "exactly at the goal")
        #expect(status(53) == .iRisiko)
        #expect(status(55) == .iRisiko, "exactly at the red flag")
        #expect(status(55.5) == .ikkeOpfyldt)
        #expect(status(58) == .ikkeOpfyldt)
    }

    @Test("Red flag in the >= direction: below the goal down to the red flag is i risiko")
    func redFlagAtLeast() {
        func evaluation(_ v: Double) -> TargetEvaluation {
            let rule = Rule.threshold(.init(measure: "samtaler.mindst_4_andel", period: .year(2024), aggregate: .last, op: .atLeast, value: 80, redFlag: 70))
            return Self.evaluate(rule, [Self.obs("samtaler.mindst_4_andel", "741", .year(2024), v)])
        }
        #expect(evaluation(80).status == .opfyldt, "exactly at the goal")
        #expect(evaluation(75).status == .iRisiko)
        #expect(evaluation(70).status == .iRisiko, "exactly at the red flag")
        #expect(evaluation(69.9).status == .ikkeOpfyldt)
        #expect(evaluation(75).explanation.contains("(mål: mindst 80 %"), "\(evaluation(75).explanation)")
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
        #expect(e.missing == ["ledighed.procent for Hele landet, 2024M06"], "the key, for scripts")
        #expect(e.explanation == "Der mangler tal for ledighedsprocent for Hele landet, juni 2024 (Jobindsats) — ikke vurderet.")
    }

    /// Ledighedsprocent by month: the kommune at 4,0 through 2023 and at `own2024` through 2024,
    /// the country at 4,0 throughout.
    static func monthly(own2024: Double) -> [Observation] {
        (1...12).flatMap { m in
            [obs("ledighed.procent", "741", .month(2023, m), 4.0), obs("ledighed.procent", "741", .month(2024, m), own2024),
             obs("ledighed.procent", "000", .month(2023, m), 4.0), obs("ledighed.procent", "000", .month(2024, m), 4.0)]
        } + [obs("ledighed.procent", "741", .month(2025, 1), 9.9)]  // after the period: never counts
    }

    static let runningRules: [(String, Rule)] = [
        ("benchmark", .benchmark(.init(measure: "ledighed.procent", period: .year(2024), against: .country, op: .atMost))),
        ("development", .development(.init(measure: "ledighed.procent", from: .year(2023), to: .year(2024), against: .country))),
        ("change", .change(.init(measure: "ledighed.procent", from: .year(2023), to: .year(2024), direction: .decrease))),
    ]

    @Test("Benchmark, development and change: på vej or i risiko while 2024 runs, opfyldt or ikke opfyldt after it", arguments: runningRules)
    func asOfEveryKind(name: String, rule: Rule) {
        let mid2024 = Day(year: 2024, month: 7, day: 1)
        let after = Day(year: 2025, month: 3, day: 1)
        // 3,0 % in 2024 is met (below the country, a fall from 2023); 5,0 % is not.
        #expect(Self.evaluate(rule, Self.monthly(own2024: 3.0), asOf: mid2024).status == .paaVej, "\(name)")
        #expect(Self.evaluate(rule, Self.monthly(own2024: 5.0), asOf: mid2024).status == .iRisiko, "\(name)")
        #expect(Self.evaluate(rule, Self.monthly(own2024: 3.0), asOf: after).status == .opfyldt, "\(name)")
        #expect(Self.evaluate(rule, Self.monthly(own2024: 5.0), asOf: after).status == .ikkeOpfyldt, "\(name)")
        // While the year runs only its first six months count.
        let running = Self.evaluate(rule, Self.monthly(own2024: 3.0), asOf: mid2024)
        #expect(running.figures.map(\.observations).contains(6), "\(name): \(running.figures)")
        #expect(running.figures.allSatisfy { !$0.complete || $0.period == .year(2023) }, "\(name)")
    }

    @Test("Development: the kommune's change in procentpoint against the country's, with the tolerance")
    func development() {
        let rule = Rule.development(.init(measure: "ledighed.procent", from: .year(2023), to: .year(2024), against: .country, tolerance: 0.5))
        let after = Day(year: 2025, month: 3, day: 1)
        let within = Self.evaluate(rule, Self.monthly(own2024: 4.4), asOf: after)
        #expect(abs((within.value ?? 0) - 0.4) < 1e-9)
        #expect(within.benchmark == 0)
        #expect(within.status == .opfyldt, "+0,4 procentpoint is within the tolerance of 0,5")
        #expect(within.explanation == "Udvikling i ledighedsprocent fra 2023 til 2024: +0,4 procentpoint mod 0,0 procentpoint i hele landet "
            + "(mål: en udvikling højst på niveau med hele landet) — opfyldt.")
        #expect(Self.evaluate(rule, Self.monthly(own2024: 4.6), asOf: after).status == .ikkeOpfyldt)
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
        #expect(e.explanation.contains("410 i 2024 mod et forventet niveau på 430 (mål: under det forventede niveau)"))
    }

    @Test("Change: increase, decrease, keep and no increase", arguments: [
        (ChangeRule.Direction.increase, EvaluationStatus.ikkeOpfyldt), (.decrease, .opfyldt), (.keep, .ikkeOpfyldt), (.noIncrease, .opfyldt),
    ])
    func change(direction: ChangeRule.Direction, expected: EvaluationStatus) {
        let data = [Self.obs("norddjurs.vandrende_sager", "741", .year(2023), 12), Self.obs("norddjurs.vandrende_sager", "741", .year(2024), 9)]
        var measures = Self.measures.all
        measures.append(MeasureDefinition(id: "norddjurs.vandrende_sager", name: "Vandrende sager", unit: .antal, polarity: .lower, source: "x", office: "x"))
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

    @Test("A change read across the series break of July 2025 says that it compares two tables")
    func changeAcrossBreak() {
        let select = ["ydelse": "kontanthjaelp"]
        let rule = Rule.change(.init(measure: "ydelse.fuldtidspersoner", select: select, from: .month(2025, 1), to: .month(2026, 1), direction: .decrease))
        let e = Self.evaluate(rule, [
            Self.obs("ydelse.fuldtidspersoner", "741", .month(2025, 1), 60, select), Self.obs("ydelse.fuldtidspersoner", "741", .month(2026, 1), 55, select),
        ], asOf: Day(year: 2026, month: 3, day: 1))
        #expect(e.status == .opfyldt)
        #expect(e.explanation.contains("Bemærk: Brud i serien fra juli 2025 (y36a02 → y60a02); udviklingen sammenligner tal fra to tabeller."), "\(e.explanation)")
        let within = Self.evaluate(
            Rule.change(.init(measure: "ydelse.fuldtidspersoner", select: select, from: .month(2025, 8), to: .month(2026, 1), direction: .decrease)),
            [Self.obs("ydelse.fuldtidspersoner", "741", .month(2025, 8), 60, select), Self.obs("ydelse.fuldtidspersoner", "741", .month(2026, 1), 55, select)],
            asOf: Day(year: 2026, month: 3, day: 1))
        #expect(!within.explanation.contains("Brud"), "both ends after the break: one table")
    }

    @Test("Milestone: the latest hand assessment, or not yet assessed")
    func milestone() {
        let rule = Rule.milestone(.init(description: "Dialogmøde"))
        let awaiting = Self.evaluate(rule, [])
        #expect(awaiting.status == .afventerVurdering && awaiting.status.label == "afventer vurdering", "judged by a person: not missing data")
        #expect(awaiting.explanation.contains("ikke vurderet endnu") && awaiting.missing.isEmpty)
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
