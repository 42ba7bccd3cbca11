import BeskplanCore
import Foundation
import Testing

@Suite("Measures, ydelsesgrupper and ministermål")
struct CatalogTests {
    @Test("The measure catalog has unique ids, known units and dimensions with known values")
    func measures() throws {
        let catalog = MeasureCatalog.standard
        #expect(catalog.all.count == 60, "the shipped catalog, Y30R21, the inputs of derived measures and the 75 % rule's two included")
        #expect(try catalog.lookup("ydelse.fuldtidspersoner").unit == .fuldtidspersoner)
        #expect(try catalog.lookup("ydelse.fuldtidspersoner").dimensions == ["ydelse"])
        #expect(catalog["ledighed.procent"]?.polarity == .lower)
        let dims = DimensionCatalog.standard
        for measure in catalog.all {
            #expect(!measure.usedBy.isEmpty, "\(measure.id) names no seed")
            for dimension in measure.dimensions {
                #expect(dims.values(of: dimension) != nil, "\(measure.id): no value list for \(dimension)")
            }
        }
    }

    @Test("An unknown measure is refused with the closest id")
    func unknownMeasure() {
        #expect(throws: LookupError(kind: "measure", name: "ydelse.fuldtidspersonr", suggestion: "ydelse.fuldtidspersoner")) {
            try MeasureCatalog.standard.lookup("ydelse.fuldtidspersonr")
        }
    }

    @Test("Every measure is public, derived or the kommune's own; one that says none is refused; a derivation reads known measures")
    func everyMeasureHasAKind() throws {
        let catalog = MeasureCatalog.standard
        #expect(catalog.all.allSatisfy { $0.kind != nil })
        for m in catalog.all {
            for input in m.derived?.inputs ?? [] { #expect(catalog[input] != nil, "\(m.id) reads \(input)") }
            for o in m.origins ?? [] { #expect(o.confidence != nil, "\(m.id) in \(o.table) says how sure it is") }
        }
        #expect(catalog["samtaler.mindst_4_andel"]?.kindDescription(catalog) == "kommunens egne tal (jobcentret (fagsystemet))")
        #expect(catalog["ledighed.udvikling"]?.kindDescription(catalog).hasPrefix("beregnet som den procentvise ændring i ledige fuldtidspersoner") == true)
        #expect(catalog["ydelse.andel_befolkning"]?.kindDescription(catalog) == "offentlig: Jobindsats ptv_a02")
        let orphan = MeasureDefinition(id: "x.y", name: "x", unit: .antal, polarity: .lower, source: "x")
        #expect(throws: CatalogError.noSource("x.y")) { try catalog.adding([orphan]) }
    }

    @Test("Adding a measure with an existing id is refused")
    func duplicateMeasure() {
        let clash = MeasureDefinition(id: "ledighed.procent", name: "x", unit: .procent, polarity: .lower, source: "x", office: "x")
        #expect(throws: CatalogError.duplicate("measure ledighed.procent")) {
            try MeasureCatalog.standard.adding([clash])
        }
    }

    @Test("Fifteen ydelsesgrupper ending with i alt; integrationsydelse is renamed from 2020")
    func ydelsesgrupper() throws {
        let dims = DimensionCatalog.standard
        #expect(dims.ydelsesgrupper.count == 15)
        #expect(dims.ydelsesgrupper.last?.id == "i_alt")
        let integration = try #require(dims.ydelsesgruppe("integrationsydelse"))
        #expect(integration.label(in: 2019) == "Integrationsydelse")
        #expect(integration.label(in: 2024) == "Selvforsørgelses- og hjemrejseydelse")
        #expect(dims.ydelsesgruppe("ressource_og_jobafklaringsforloeb")?.parts == ["ressourceforloeb", "jobafklaringsforloeb"])
        #expect(throws: LookupError.self) { try dims.validate(dimension: "ydelse", value: "kontanthjalp") }
        #expect(throws: Never.self) { try dims.validate(dimension: "ydelse", value: "kontanthjaelp") }
    }

    @Test("Ministermål: three in 2020, the same five 2021–2024, none from 2025")
    func ministermaal() {
        let catalog = MinistermaalCatalog.standard
        #expect(catalog.goals(for: 2020).count == 3)
        for year in 2021...2024 { #expect(catalog.goals(for: year).count == 5) }
        #expect(catalog.goals(for: 2021).filter { $0.mark == .nyt }.map(\.number) == [1, 2])
        #expect(catalog.goals(for: 2024).allSatisfy { $0.mark == .videreført })
        #expect(catalog.goals(for: 2025).isEmpty)
        #expect(catalog.goals(for: 2026).isEmpty)
        #expect(catalog.goal(5, in: 2024)?.title == "Virksomhederne skal sikres den nødvendige og kvalificerede arbejdskraft")
        #expect(catalog.goal(1, in: 2020)?.key == catalog.goal(5, in: 2021)?.key)
        #expect(catalog.abolished.law.contains("1656"))
    }
}

@Suite("Danish numbers")
struct DanishNumberTests {
    @Test("Thousands with a dot, decimals with a comma, units as Danish reports write them")
    func formatting() {
        #expect(DanishNumber.format(4720) == "4.720")
        #expect(DanishNumber.format(1_234_567.891, decimals: 2) == "1.234.567,89")
        #expect(DanishNumber.percent(20.5) == "20,5 %")
        #expect(DanishNumber.percentagePoints(-0.1) == "-0,1 procentpoint")
        #expect(DanishNumber.percentagePoints(2.9, signed: true) == "+2,9 procentpoint")
        #expect(DanishNumber.format(-0.04, decimals: 1) == "0,0")
        #expect(DanishNumber.format(-9.49, decimals: 2) == "-9,49")
        #expect(DanishNumber.format(999) == "999")
        #expect(DanishNumber.format(-1684) == "-1.684")
        #expect(DanishNumber.format(0.25, decimals: 1) == "0,3")
        #expect(DanishNumber.format(52.4, unit: .antal) == "52,4")
        #expect(DanishNumber.format(391, unit: .fuldtidspersoner) == "391")
        #expect(DanishNumber.format(11.6, unit: .procent) == "11,6 %")
    }
}

@Suite("Plan model")
struct PlanModelTests {
    @Test("Every rule kind survives a JSON round trip with its kind field")
    func ruleRoundTrip() throws {
        let rules: [Rule] = [
            .threshold(.init(measure: "ydelse.personer", select: ["ydelse": "sygedagpenge"], period: .year(2024),
                             aggregate: .average, op: .atMost, value: 50, redFlag: 55)),
            .benchmark(.init(measure: "uddannelseshjaelp.aktivitetsparate_andel", period: .year(2024),
                             against: .country, op: .atMost, offset: 4, offsetUnit: .procentpoint)),
            .benchmark(.init(measure: "ydelse.fuldtidspersoner", period: .half(2024, 1),
                             against: .expected("benchmark.forventede_fuldtidspersoner"), op: .below)),
            .development(.init(measure: "ydelse.fuldtidspersoner", select: ["ydelse": "i_alt"], from: .quarter(2018, 1),
                               to: .quarter(2019, 1), against: .region)),
            .change(.init(measure: "ydelse.ordinaere_timer_andel", from: .year(2023), to: .year(2024), direction: .increase)),
            .deadline(.init(measure: "unge.25_aarige_ungdomsuddannelse_andel", baseline: .year(2023), deadline: .year(2030),
                            op: .atLeast, value: 90)),
            .milestone(.init(description: "Dialogmøde med borgerne", due: "2021-12-31")),
            .plugin(.init(kind: "budget_maaltal", parameters: ["ydelse": "kontanthjaelp", "value": "279"])),
        ]
        for rule in rules {
            let data = try JSONEncoder().encode(rule)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            #expect(object?["kind"] as? String == rule.kind)
            #expect(try JSONDecoder().decode(Rule.self, from: data) == rule)
        }
    }

    @Test("A rule is read from the plan language's flat form")
    func flatRule() throws {
        let json = #"{"kind":"threshold","measure":"samsoe.opkvalificeringsforloeb","period":"2024","aggregate":"sum","op":">=","value":10}"#
        let rule = try JSONDecoder().decode(Rule.self, from: Data(json.utf8))
        guard case .threshold(let threshold) = rule else {
            Issue.record("expected a threshold rule, got \(rule.kind)")
            return
        }
        #expect(threshold.period == .year(2024))
        #expect(threshold.aggregate == .sum)
        #expect(threshold.op.holds(10, threshold.value))
        #expect(!threshold.op.holds(9, threshold.value))
    }

    @Test("An area code written as a number keeps its leading zeros")
    func areaCodeNumbers() throws {
        #expect(try JSONDecoder().decode([AreaCode].self, from: Data("[81, 741, \"000\"]".utf8)) == ["081", "741", "000"])
    }
}
