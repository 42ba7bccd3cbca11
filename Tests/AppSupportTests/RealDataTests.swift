import BeskplanCore
import Foundation
import MappingFormat
import Storage
import Testing
@testable import AppSupport

/// The real Statistikbanken AUK01 export (`Modules/AppSupport/RealData`), imported as a user
/// does: nothing lost, every value as published.
@Suite("Real data: Statistikbanken AUK01")
struct RealDataTests {
    static let measure: MeasureID = "kontanthjaelp.nettoledige_fuldtidspersoner"

    /// The OMRÅDE texts of the real export, in file order (BOM and CRLF as published).
    static func areaTexts() throws -> [String] {
        let text = try String(contentsOf: RealData.auk01.url, encoding: .utf8)
        var seen: [String] = []
        for line in text.split(separator: "\r\n").dropFirst() {
            let area = String(line.split(separator: ";", omittingEmptySubsequences: false)[0])
            if seen.last != area { seen.append(area) }
        }
        return seen
    }

    static func imported() async throws -> (AppEnvironment, FileImporter.Summary) {
        let env = try await AppEnvironment.open(database: .memory)
        let mapping = try FileImporter.mapping("dst-auk01", environment: env)
        let summary = try await FileImporter(env).importFile(RealData.auk01.url.path, mapping: mapping)
        return (env, summary)
    }

    static func value(_ env: AppEnvironment, _ area: AreaCode, _ period: Period) async throws -> Double? {
        try await env.store.observations(ObservationQuery(measure: measure, areas: [area], from: period, to: period)).first?.value
    }

    @Test("Every area text in the real export is a known area or a known non-area, and every area is in it")
    func everyTextKnown() throws {
        let catalog = AreaCatalog.standard
        var areas: Set<AreaCode> = []
        var nonAreas: [NonArea.Kind: Int] = [:]
        for text in try Self.areaTexts() {
            switch catalog.match(text) {
            case .area(let area): areas.insert(area.code)
            case .nonArea(let nonArea): nonAreas[nonArea.kind, default: 0] += 1
            case .unknown: Issue.record("'\(text)' is neither an area nor a known non-area")
            }
        }
        #expect(areas == Set(catalog.all.map(\.code)), "all 98 kommuner, 5 regions and the country")
        #expect(nonAreas == [.landsdel: 11, .uoplyst: 1, .udlandet: 1])
        #expect(catalog.match("Vesthimmerlands") == .area(catalog["820"]!))
        #expect(catalog.match("Copenhagen") == .area(catalog["101"]!))
        // The 11 landsdele the reference data lists are the 11 the export prints.
        let landsdele = catalog.nonAreas.filter { $0.kind == .landsdel }
        #expect(landsdele.count == 11)
        let texts = Set(try Self.areaTexts())
        #expect(landsdele.allSatisfy { $0.texts.contains(where: texts.contains) })
    }

    @Test("The real export imports through the shipped mapping: every area, every quarter, totals as published")
    func importsWhole() async throws {
        let (env, summary) = try await Self.imported()
        #expect(summary.result.series == 104)
        #expect(summary.result.observations == 104 * 76)
        #expect(summary.result.skipped.total == 13 * 76)
        #expect(summary.result.skipped.sorted.map(\.count) == Array(repeating: 76, count: 13))
        #expect(summary.result.skipped.sorted.first?.reason == "area 'Province Byen København' is a landsdel, not a kommune")
        #expect(summary.result.skipped.sorted.first?.firstLine == 154)

        #expect(try await Self.value(env, "101", .quarter(2025, 4)) == 846)
        #expect(try await Self.value(env, .country, .quarter(2007, 1)) == 19206)
        #expect(try await Self.value(env, "825", .quarter(2020, 2)) == 5)
        let vesthimmerland = try await env.store.observations(ObservationQuery(measure: Self.measure, areas: ["820"]))
        #expect(vesthimmerland.count == 76)
        #expect(vesthimmerland.first?.period == .quarter(2007, 1))
        #expect(vesthimmerland.last?.period == .quarter(2025, 4))

        // Totals are stored as published, never recomputed from their parts.
        #expect(try await Self.value(env, .country, .quarter(2025, 4)) == 9168)
        var regions = 0.0
        for region in AreaCatalog.standard.regions {
            regions += try await Self.value(env, region.code, .quarter(2025, 4)) ?? 0
        }
        #expect(regions == 9110)
    }

    @Test("DST's Danish presentation (texts in Danish, 2019K2) imports through the same mapping")
    func danishTexts() async throws {
        let text = """
            OMRÅDE;YDELSESTYPE;KØN;ALDER;TID;INDHOLD\r
            Hele landet;Nettoledige kontanthjælpsmodtagere;I alt;Alder i alt;2019K2;12.345\r
            Region Nordjylland;Nettoledige kontanthjælpsmodtagere;I alt;Alder i alt;2019K2;1.234\r
            Landsdel Nordjylland;Nettoledige kontanthjælpsmodtagere;I alt;Alder i alt;2019K2;1.234\r
            Vesthimmerlands;Nettoledige kontanthjælpsmodtagere;I alt;Alder i alt;2019K2;61\r
            Uoplyst kommune;Nettoledige kontanthjælpsmodtagere;I alt;Alder i alt;2019K2;3\r
            Udlandet;Nettoledige kontanthjælpsmodtagere;I alt;Alder i alt;2019K2;..\r

            """
        try await withTemporaryFile("auk01-da.csv", Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)) { path in
            let env = try await AppEnvironment.open(database: .memory)
            let summary = try await FileImporter(env).importFile(
                path, mapping: try FileImporter.mapping("dst-auk01", environment: env))
            #expect(summary.result.observations == 3)
            #expect(summary.result.skipped.sorted.map(\.reason) == [
                "area 'Landsdel Nordjylland' is a landsdel, not a kommune", "area 'Uoplyst kommune' is not a kommune (kommune not stated)",
                "missing value",
            ])
            #expect(try await Self.value(env, "820", .quarter(2019, 2)) == 61)
            #expect(try await Self.value(env, .country, .quarter(2019, 2)) == 12345)
        }
    }

    @Test("DST's code presentation: the areas and totals as codes; a ydelsestype code the mapping lacks is named")
    func codes() async throws {
        let text = """
            OMRÅDE;YDELSESTYPE;KØN;ALDER;TID;INDHOLD
            000;KT;TOT;TOT;2019K2;12345
            084;KT;TOT;TOT;2019K2;4321
            01;KT;TOT;TOT;2019K2;2000
            101;KT;TOT;TOT;2019K2;1500
            997;KT;TOT;TOT;2019K2;7

            """
        try await withTemporaryFile("auk01-codes.csv", Data(text.utf8)) { path in
            let env = try await AppEnvironment.open(database: .memory)
            var mapping = try FileImporter.mapping("dst-auk01", environment: env)
            await #expect {
                try await FileImporter(env).importFile(path, mapping: mapping)
            } throws: { error in
                (error as? ImportError)?.description == "\(path):2:2: select: YDELSESTYPE: "
                    + "'Net unemployed recipients of social assistance' or 'Nettoledige kontanthjælpsmodtagere' never occurs "
                    + "in the file; its YDELSESTYPE values are 'KT'"
            }
            // The user adds the code, as the mapping's comment says.
            mapping.select?["YDELSESTYPE"]?.values.append("KT")
            let summary = try await FileImporter(env).importFile(path, mapping: mapping)
            #expect(summary.result.observations == 3)
            #expect(Set(summary.result.skipped.reasons.keys) == [
                "area '01' is a landsdel, not a kommune", "area '997' is DST's code for abroad, outside Denmark or not stated",
            ])
            #expect(try await Self.value(env, "084", .quarter(2019, 2)) == 4321)
            #expect(try await Self.value(env, "101", .quarter(2019, 2)) == 1500)
        }
    }
}

/// The shipped mappings no real export was at hand for, read through files built from their
/// sources' documented layouts.
@Suite("Shipped mappings on their sources' layouts")
struct ShippedMappingLayoutTests {
    @Test("dst-frkm120 reads a Statistikbanken export in Danish, skipping landsdele and keeping the totals")
    func frkm120() async throws {
        let text = """
            OMRÅDE;KØN;ALDER;TID;INDHOLD
            Morsø;I alt;Alder i alt;2020;8940
            Morsø;I alt;Alder i alt;2021;8890
            Morsø;Mænd;Alder i alt;2021;4600
            Landsdel Nordjylland;I alt;Alder i alt;2021;280000

            """
        try await withTemporaryFile("frkm120.csv", Data(text.utf8)) { path in
            let env = try await AppEnvironment.open(database: .memory)
            let summary = try await FileImporter(env).importFile(path, mapping: try FileImporter.mapping("dst-frkm120", environment: env))
            #expect(summary.result.observations == 2)
            #expect(summary.result.skipped.sorted.map(\.reason) == [
                "KØN 'Mænd' is not selected", "area 'Landsdel Nordjylland' is a landsdel, not a kommune",
            ])
            let stored = try await env.store.observations(ObservationQuery(measure: "fremskrivning.arbejdsstyrke", areas: ["773"]))
            #expect(stored.map(\.value) == [8940, 8890])
        }
    }

    @Test("jobindsats-y60a02 reads Jobindsats' download: areas by name (Vesthimmerlands too), measures as columns")
    func jobindsats() async throws {
        let text = """
            Område;Periode;Visitationskategori;Antal personer;Antal fuldtidspersoner
            "Hele landet";2025M09;Visitationskategori i alt;"123.456";98.765,4
            Vesthimmerlands;2025M09;Visitationskategori i alt;512;401,2
            "Region Nordjylland";2025M09;Visitationskategori i alt;9.001;7.500
            Vesthimmerlands;2025M09;Jobparat;100;80,5

            """
        try await withTemporaryFile("y60a02.csv", Data(text.utf8)) { path in
            let env = try await AppEnvironment.open(database: .memory)
            let summary = try await FileImporter(env).importFile(
                path, mapping: try FileImporter.mapping("jobindsats-y60a02", environment: env))
            #expect(summary.result.observations == 6)
            #expect(summary.result.skipped.total == 2, "one visitationskategori's row, two measures: the total is selected")
            let stored = try await env.store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner", areas: ["820"]))
            #expect(stored.map(\.value) == [401.2])
            #expect(stored.first?.series.dimensions == ["ydelse": "kontanthjaelp"])
        }
    }
}
