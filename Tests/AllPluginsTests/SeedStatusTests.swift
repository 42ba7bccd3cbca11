import AllPlugins
import BeskplanCore
import Evaluation
import Foundation
import PlanFormat
import PluginKit
import Testing
import XMLImport

/// Vesthimmerland's 2019 resultatmål evaluated on the demo feed reproduce the seed's section 7.
@Suite("Vesthimmerland 2019: status as in the seed's section 7")
struct SeedStatusTests {
    static let registry = try! AllPlugins.registry()

    static func evaluations(asOf: Day = Day(year: 2020, month: 1, day: 31)) throws -> [String: TargetEvaluation] {
        let plugin = try #require(registry.plugin(for: "820"))
        let planURL = try #require(plugin.bundledPlans.first { $0.lastPathComponent == "vesthimmerland-2019.yaml" })
        let plan = try PlanFile.load(path: planURL.path, catalog: PlanCatalog(measures: registry.measures, ruleKinds: registry.ruleKinds))
        var observations: [Observation] = []
        for feed in plugin.demoFeeds {
            let source = try FeedSource(path: feed.path, catalog: ImportCatalog(measures: registry.measures))
            while let chunk = try source.nextChunk() {
                observations += chunk.points.map { Observation(series: chunk.series, period: $0.period, value: $0.value) }
            }
        }
        let context = EvaluationContext(plan: plan, asOf: asOf, data: ObservationIndex(observations), measures: registry.measures)
        return Dictionary(uniqueKeysWithValues: registry.evaluator.evaluate(context).map { ($0.target, $0) })
    }

    @Test("Samarbejdsgrad: +3,7 procentpoint against the region's +0,8 — opfyldt")
    func samarbejdsgrad() throws {
        let e = try #require(try Self.evaluations()["1.1"])
        #expect(e.status == .opfyldt)
        #expect(abs(e.value! - 3.7) < 1e-9 && abs(e.benchmark! - 0.8) < 1e-9)
        #expect(e.explanation.contains("+3,7 procentpoint mod +0,8 procentpoint i Region Nordjylland"))
    }

    @Test("Flygtninge i beskæftigelse: 43,4 % against the region's 43,0 % — opfyldt")
    func flygtninge() throws {
        let e = try #require(try Self.evaluations()["2.1"])
        #expect(e.status == .opfyldt)
        #expect(e.explanation.contains("43,4 % i juli 2019 mod 43,0 % i Region Nordjylland"))
    }

    @Test("Offentlig forsørgelse i alt: +0,1 % against the region's -0,7 % (published) — ikke opfyldt")
    func offentligForsoergelse() throws {
        let e = try #require(try Self.evaluations()["4.1"])
        #expect(e.status == .ikkeOpfyldt)
        #expect(e.value == 0.1 && e.benchmark == -0.7)
        #expect(e.explanation.contains("offentliggjort udvikling"))
    }

    @Test("Aktivitetsparate kontanthjælpsmodtagere, der bliver jobparate: 1,2 → 1,1 % — ikke opfyldt")
    func jobparate() throws {
        let e = try #require(try Self.evaluations()["4.2"])
        #expect(e.status == .ikkeOpfyldt)
        #expect(e.value == 1.1 && e.benchmark == 1.2)
    }

    @Test("Ordinære løntimer: +2,9 procentpoint against the region's +1,2 — opfyldt")
    func ordinaereLoentimerUdvikling() throws {
        let e = try #require(try Self.evaluations()["4.3"])
        #expect(e.status == .opfyldt)
        #expect(e.explanation.contains("+2,9 procentpoint mod +1,2 procentpoint i Region Nordjylland"))
    }

    @Test("Ordinære løntimer: 11,6 % against the region's 10,0 % in June 2019 — opfyldt, in one Danish sentence")
    func ordinaereLoentimerNiveau() throws {
        let e = try #require(try Self.evaluations()["4.4"])
        #expect(e.status == .opfyldt)
        #expect(e.explanation == "Andel ydelsesmodtagere med ordinære løntimer (kontanthjælp): 11,6 % i juni 2019 mod 10,0 % i Region Nordjylland (mål: mindst på niveau med Region Nordjylland) — opfyldt.")
        #expect(e.figures.map(\.area) == ["820", "081"])
    }

    @Test("Uddannelseshjælp til uddannelse: 19,4 % against the region's 16,3 % — opfyldt")
    func udslusning() throws {
        let e = try #require(try Self.evaluations()["4.5"])
        #expect(e.status == .opfyldt)
        #expect(e.value == 19.4 && e.benchmark == 16.3)
    }

    @Test("Unge på uddannelseshjælp: 279 → 267 fuldtidspersoner — opfyldt")
    func uddannelseshjaelp() throws {
        let e = try #require(try Self.evaluations()["4.6"])
        #expect(e.status == .opfyldt)
        #expect(e.value == 267 && e.benchmark == 279)
    }

    @Test("Sygedagpenge: 2,8 % of the workforce against the 2,5 % target — not met; i risiko while 2019 runs")
    func sygedagpenge() throws {
        let after = try #require(try Self.evaluations()["4.7"])
        #expect(after.status == .ikkeOpfyldt)
        #expect(after.value == 2.8 && after.benchmark == 2.5)
        let during = try #require(try Self.evaluations(asOf: Day(year: 2019, month: 9, day: 30))["4.7"])
        #expect(during.status == .iRisiko)
        #expect(during.explanation.contains("foreløbigt"))
    }

    @Test("A-dagpenge: +4,2 % against the region's -0,5 % — ikke opfyldt")
    func aDagpenge() throws {
        let e = try #require(try Self.evaluations()["4.8"])
        #expect(e.status == .ikkeOpfyldt)
        #expect(e.explanation.contains("+4,2 % mod -0,5 % i Region Nordjylland"))
    }

    @Test("Førtidspension: -1,3 % against the region's +1,4 % — opfyldt")
    func foertidspension() throws {
        let e = try #require(try Self.evaluations()["4.9"])
        #expect(e.status == .opfyldt)
        #expect(e.explanation.contains("-1,3 % mod +1,4 %"))
    }

    @Test("Fleksjob kept at least at the 2018 level (555 → 592) — opfyldt")
    func fleksjob() throws {
        let e = try #require(try Self.evaluations()["4.10"])
        #expect(e.status == .opfyldt)
        #expect(e.value == 592 && e.benchmark == 555)
    }
}
