import BeskplanCore
import Foundation
@testable import Reports
import Testing

/// The sentences drafted from the figures (issue 26, part 2): one per kind of measure, against
/// fixed figures; no sentence without its figures.
struct FigureTextTests {
    static let kommune = Area(code: "820", kind: .kommune, name: "Vesthimmerland", slug: "vesthimmerland", region: "081")
    static let region = Area(code: "081", kind: .region, name: "Region Nordjylland", slug: "region-nordjylland")
    static let from = Period.quarter(2018, 2)
    static let to = Period.quarter(2019, 2)

    static func sentence(
        _ measure: MeasureID, unit: MeasureUnit, _ figures: [AreaCode: (Double, Double)], published: Double? = nil
    ) -> String? {
        FigureText.development(
            measure, unit: unit, kommune: kommune, region: region, from: from, to: to, source: "Jobindsats",
            value: { area, period in figures[area].map { period == from ? $0.0 : $0.1 } }, published: { _ in published })
    }

    @Test("A count: the change in per cent, the region's beside it, the source named")
    func count() {
        #expect(Self.sentence("ydelse.fuldtidspersoner", unit: .fuldtidspersoner, ["820": (4720, 4650), "081": (50000, 49600)])
            == "Antallet af fuldtidspersoner på offentlig forsørgelse i Vesthimmerland faldt fra 4.720 i 2. kvartal 2018 til 4.650 i 2. kvartal 2019 (-1,5 %), mens det i Region Nordjylland faldt 0,8 %. Kilde: Jobindsats.")
        // The region's development as published, where its own figures are not stored.
        #expect(Self.sentence("ydelse.fuldtidspersoner", unit: .fuldtidspersoner, ["820": (4715, 4720)], published: 1.24)
            == "Antallet af fuldtidspersoner på offentlig forsørgelse i Vesthimmerland steg fra 4.715 i 2. kvartal 2018 til 4.720 i 2. kvartal 2019 (+0,1 %), mens det i Region Nordjylland steg 1,2 %. Kilde: Jobindsats.")
        // A population, which the template's words for it call "den".
        #expect(Self.sentence("befolkning.i_alt", unit: .antal, ["820": (37000, 37000), "081": (590000, 591000)])
            == "Befolkningen i Vesthimmerland var uændret fra 37.000 i 2. kvartal 2018 til 37.000 i 2. kvartal 2019, mens den i Region Nordjylland steg 0,2 %. Kilde: Jobindsats.")
        #expect(Self.sentence("befolkning.i_alt", unit: .antal, ["820": (50000, 50010)])
            == "Befolkningen i Vesthimmerland var stort set uændret fra 50.000 i 2. kvartal 2018 til 50.010 i 2. kvartal 2019. Kilde: Jobindsats.",
            "a change that rounds to 0,0 % is not called none")
    }

    @Test("A share: the change in procentpoint")
    func share() {
        #expect(Self.sentence("ydelse.andel_befolkning", unit: .procent, ["820": (17.4, 16.9), "081": (18.0, 18.1)])
            == "Andelen af befolkningen 16-66 år på offentlig forsørgelse i Vesthimmerland faldt fra 17,4 % i 2. kvartal 2018 til 16,9 % i 2. kvartal 2019 (-0,5 procentpoint), mens den i Region Nordjylland steg 0,1 procentpoint. Kilde: Jobindsats.")
    }

    @Test("A missing figure gives no sentence; a missing region figure, no clause; a measure without words, nothing")
    func missing() {
        #expect(Self.sentence("ydelse.fuldtidspersoner", unit: .fuldtidspersoner, [:]) == nil)
        #expect(FigureText.development(
            "ydelse.fuldtidspersoner", unit: .fuldtidspersoner, kommune: Self.kommune, region: Self.region, from: Self.from, to: Self.to,
            source: "Jobindsats", value: { area, period in area == "820" && period == Self.to ? 4650 : nil }) == nil,
            "the earlier figure is missing")
        #expect(Self.sentence("ydelse.fuldtidspersoner", unit: .fuldtidspersoner, ["820": (4720, 4650)])
            == "Antallet af fuldtidspersoner på offentlig forsørgelse i Vesthimmerland faldt fra 4.720 i 2. kvartal 2018 til 4.650 i 2. kvartal 2019 (-1,5 %). Kilde: Jobindsats.")
        #expect(Self.sentence("ledighed.procent", unit: .procent, ["820": (3, 4)]) == nil, "no template words for the measure")
    }
}
