import BeskplanCore
import Testing

@Suite("Areas")
struct AreaTests {
    let areas = AreaCatalog.standard

    @Test("98 kommuner, five regions and the country, every kommune in a region")
    func counts() {
        #expect(areas.kommuner.count == 98)
        #expect(areas.regions.map(\.code) == ["081", "082", "083", "084", "085"])
        #expect(areas.country.name == "Hele landet")
        for kommune in areas.kommuner {
            #expect(kommune.region.flatMap { areas[$0] }?.kind == .region, "\(kommune.name) has no region")
        }
        let perRegion = Dictionary(grouping: areas.kommuner, by: { $0.region! }).mapValues(\.count)
        #expect(perRegion == ["081": 11, "082": 19, "083": 22, "084": 29, "085": 17])
    }

    @Test(
        "The seed kommuner have their DST codes and regions",
        arguments: [("773", "Morsø", "081"), ("849", "Jammerbugt", "081"), ("707", "Norddjurs", "082"),
                    ("741", "Samsø", "082"), ("820", "Vesthimmerland", "081")])
    func seedKommuner(code: String, name: String, region: String) {
        #expect(areas[AreaCode(code)]?.name == name)
        #expect(areas.region(of: AreaCode(code), in: 2024)?.code == AreaCode(region))
    }

    @Test(
        "Lookup is insensitive to case and æ/ø/å spellings",
        arguments: [
            ("Samsø", "741"), ("samso", "741"), ("SAMSOE", "741"), ("samsoe", "741"), ("741", "741"),
            ("Samsø Kommune", "741"), ("morsoe", "773"), ("Morsø", "773"), ("aeroe", "492"), ("Ærø", "492"),
            ("aero", "492"), ("Århus", "751"), ("aarhus", "751"), ("Copenhagen", "101"), ("København", "101"),
            ("All Denmark", "000"), ("Hele landet", "000"), ("Region Nordjylland", "081"), ("nordjylland", "081"),
            ("81", "081"), ("hoeje-taastrup", "169"), ("Høje Taastrup", "169"), ("vesthimmerland", "820"),
        ])
    func lookup(text: String, code: String) throws {
        #expect(try areas.lookup(text).code == AreaCode(code))
    }

    @Test("An unknown name is refused with the closest spelling")
    func unknown() {
        #expect(throws: LookupError(kind: "area", name: "Vesthimerland", suggestion: "Vesthimmerland")) {
            try areas.lookup("Vesthimerland")
        }
        #expect(areas.find("Atlantis") == nil)
        #expect(areas.find("999") == nil)
    }

    @Test("Slugs are ASCII and unique")
    func slugs() {
        let slugs = areas.all.map(\.slug)
        #expect(Set(slugs).count == slugs.count)
        #expect(slugs.allSatisfy { $0.allSatisfy { $0.isASCII } })
    }
}
