import AppSupport
import Foundation
import Reports
import Testing

@Suite("Report content")
struct ReportContentTests {
    @Test("A plugin's section placed by a section this report builds but does not have is an error; by a plan's own section, it follows it")
    func unknownAnchor() async throws {
        let env = try await DemoReports.environment()
        let context = try await ReportService(env).context(kommune: try env.kommune("morsoe"), year: 2021, asOf: DemoReports.asOf)
        // The follow-up has no goals-and-labour-market part of its own: placing by it is an error, not a section moved to the end.
        #expect {
            try FollowUpReport.build(context, plugin: [ReportSection(.after(.labourMarket), blocks: [.paragraph("Prognose")])])
        } throws: { error in
            let unknown = error as? UnknownReportSection
            return unknown?.id == "maalgrupper" && unknown?.available.contains("overblik") == true
        }
        #expect(throws: UnknownReportSection.self) { try PlanReport.build(context, plugin: [ReportSection(.replacing(.yearwheel), blocks: [])]) }
        // By the plan's own section, the plugin's section comes right after it.
        let placed = try PlanReport.build(
            context, plugin: [ReportSection(.after(.planSection("arbejdsmarked")), blocks: [.paragraph("Prognose her")])])
        let blocks = placed.blocks
        let index = try #require(blocks.firstIndex { if case .paragraph("Prognose her") = $0 { return true } else { return false } })
        let before = blocks[..<index].lastIndex { if case .heading(let h) = $0 { return h.level == 1 } else { return false } }
        if case .heading(let h)? = before.map({ blocks[$0] }) { #expect(h.anchor == "arbejdsmarked") } else { Issue.record("no heading before") }
    }

    @Test("Vesthimmerland's plan report computes tables 1–3 from data and ends with the status on 2019")
    func vesthimmerland() async throws {
        let env = try await DemoReports.environment()
        let md = MarkdownRenderer.render(try await DemoReports.document(env, "vesthimmerland", 2020, .plan))
        #expect(md.contains("| Kontanthjælp | 432 | 391 | -9,5 % | -6,3 % | -7,9 % |"))
        #expect(md.contains("| **I alt** | **4.715** | **4.720** | **0,1 %** | **-0,8 %** | **-0,6 %** |"))
        #expect(md.contains("| Sygedagpenge | 2,8 | 2,6 | 2,4 | 2,1 | 1,9 | 1,8 |"))
        #expect(md.contains("| Ydelsesmodtagere | 4.720 | 20,5 | 17,5 | 0,2 | -0,1 |"))
        #expect(md.contains("## Status på resultatmål for 2019"))
        #expect(md.contains("| 4.3 | Kontanthjælp — flere får ordinære løntimer | +2,9 procentpoint | +1,2 procentpoint | opfyldt |"))
        #expect(md.contains("| Hvad følges der op på? | Hvad måles der på? | Mål | Hvornår følges der op? |"))
    }

    @Test("Jammerbugt's måltal table has its total row; Samsø's principles and Samsø-mål; Norddjurs' numbering")
    func pluginSections() async throws {
        let env = try await DemoReports.environment()
        let jammerbugt = MarkdownRenderer.render(try await DemoReports.document(env, "jammerbugt", 2021, .plan))
        #expect(jammerbugt.contains("| Målgruppe | Måltal 2020 | Estimeret resultat 2020 | Måltal 2021 |"))
        #expect(jammerbugt.contains("| Førtidspension | 1.434 | 1.537 | 1.633 |"))
        #expect(jammerbugt.contains("| **I alt** | **3.511** | **3.736** | **3.704** |"))
        let samsoe = MarkdownRenderer.render(try await DemoReports.document(env, "samsoe", 2024, .plan))
        #expect(samsoe.contains("| Søjle | Princip |"))
        #expect(samsoe.components(separatedBy: "| Borgerne |").count - 1 == 2)
        #expect(samsoe.contains("### Samsø-mål 5: Flere sygemeldte"))
        #expect(samsoe.contains("Tjener ministermål 2 (Flere ledige skal opkvalificeres) og ministermål 5"))
        let norddjurs = MarkdownRenderer.render(try await DemoReports.document(env, "norddjurs", 2024, .plan))
        for id in ["1.1 Resultatmål", "2.1 Vandrende sager", "6.6 25-åriges uddannelsesniveau", "6.13 Ansættelser"] {
            #expect(norddjurs.contains("| \(id)"), "missing \(id)")
        }
        #expect(norddjurs.contains("| Mindst 90 % i 2030 |"))
        let mors = MarkdownRenderer.render(try await DemoReports.document(env, "morsoe", 2021, .plan))
        #expect(mors.contains("### Lokalt mål 6: Bekæmpelsen af socialt bedrageri"))
        #expect(mors.contains("| 2021 | 8.890 | 8.530 |"))
        #expect(mors.contains("Godkendelse: Beskæftigelses- og Erhvervsudvalget → Økonomiudvalget → Kommunalbestyrelsen"))
    }

    @Test("The follow-up report starts with the summary and has an årshjul from the frequencies")
    func followUp() async throws {
        let env = try await DemoReports.environment()
        let md = MarkdownRenderer.render(try await DemoReports.document(env, "norddjurs", 2024, .followup))
        let overview = try #require(md.range(of: "## Overblik"))
        let single = try #require(md.range(of: "## Målene enkeltvis"))
        #expect(overview.lowerBound < single.lowerBound)
        #expect(md.contains("| Januar | 2.1 (Arbejdsmarkedsudvalget) |"))
        #expect(md.contains("| Februar | 1.1 (Arbejdsmarkedsudvalget), 1.2"))
    }

    @Test("HTML is self-contained, Danish, and every table has headers; status is a word")
    func html() async throws {
        let env = try await DemoReports.environment()
        for (slug, year) in DemoReports.latest {
            for kind in ReportKind.allCases {
                let html = HTMLRenderer.render(try await DemoReports.document(env, slug, year, kind))
                #expect(html.contains("<html lang=\"da\">"))
                for external in ["src=", "href=\"http", "url(", "@import", "<link", "<script"] {
                    #expect(!html.contains(external), "\(slug) \(kind): \(external)")
                }
                let tables = html.components(separatedBy: "<table>").count - 1
                #expect(tables > 0)
                #expect(html.components(separatedBy: "<thead><tr><th scope=\"col\"").count - 1 == tables)
                #expect(html.contains("@media print"))
                #expect(!html.contains("Optional("))
            }
        }
        let followup = HTMLRenderer.render(try await DemoReports.document(env, "vesthimmerland", 2020, .plan))
        #expect(followup.contains("<figure role=\"group\""))
        #expect(followup.contains("<figcaption>"))
    }
}

@Suite("Charts")
struct ChartTests {
    @Test("Axes get round ends and steps")
    func axis() {
        let svg = Chart.line(
            [Chart.Series(name: "Vesthimmerland", points: [(.month(2018, 6), 8.7), (.month(2019, 6), 11.6)]),
             Chart.Series(name: "Region Nordjylland", points: [(.month(2018, 6), 8.8), (.month(2019, 6), 10.0)])],
            unit: .procent, source: "Kilde: Jobindsats, data pr. juni 2019")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains(">12,5 %</text>"), "8,7–11,6 % gets the round axis 0–12,5 % in steps of 2,5")
        #expect(svg.contains(">2,5 %</text>"))
        #expect(!svg.contains(">15 %</text>"))
        #expect(svg.contains(">Vesthimmerland</text>"))
        #expect(svg.contains(">Region Nordjylland</text>"))
        #expect(svg.contains("Kilde: Jobindsats, data pr. juni 2019"))
        #expect(svg.contains("2019M06"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
    }

    @Test("A chart across July 2025 marks the break and does not join the two tables' figures")
    func seriesBreak() throws {
        let kontanthjaelp = try #require(MeasureCatalog.standard["ydelse.fuldtidspersoner"])
        let breaks = kontanthjaelp.breaks(["ydelse": "kontanthjaelp"])
        #expect(breaks.map(\.from) == [.month(2025, 7)] && breaks.first?.oldTable == "y36a02" && breaks.first?.newTable == "y60a02")
        #expect(breaks.first?.danishDescription == "brud i serien fra juli 2025 (y36a02 → y60a02)")
        #expect(kontanthjaelp.breaks(["ydelse": "sygedagpenge"]).isEmpty, "sygedagpenge kept its table")
        let points: [(Period, Double)] = (1...12).map { (.month(2025, $0), 400 + Double($0)) }
        let svg = Chart.line(
            [Chart.Series(name: "Norddjurs", points: points)], unit: .fuldtidspersoner, source: "Kilde: Jobindsats", breaks: breaks.map(\.from))
        #expect(svg.contains(">brud</text>") && svg.contains("stroke-dasharray"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2, "one line before the break, one after")
        let unbroken = Chart.line([Chart.Series(name: "Norddjurs", points: points)], unit: .fuldtidspersoner, source: "Kilde: Jobindsats")
        #expect(unbroken.components(separatedBy: "<polyline").count - 1 == 1 && !unbroken.contains(">brud</text>"))
    }

    @Test("Bars carry Danish numbers in their titles and skip missing values")
    func bars() {
        let svg = Chart.bars(
            [Chart.BarGroup(label: "Sygedagpenge", values: [2.8, nil, 2.4])],
            series: ["Vesthimmerland", "Region Nordjylland", "Hele landet"], unit: .procent, source: "Kilde: x")
        #expect(svg.components(separatedBy: "<rect x=").count - 1 == 2 + 3)  // two bars, three legend keys
        #expect(svg.contains("Sygedagpenge, Vesthimmerland: 2,8"))
        #expect(svg.contains("Sygedagpenge, Hele landet: 2,4"))
    }
}
