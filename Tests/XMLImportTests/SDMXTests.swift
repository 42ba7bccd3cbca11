import BeskplanCore
import Foundation
import MappingFormat
import Testing
@testable import XMLImport

@Suite("SDMX-ML")
struct SDMXTests {
    static let files: [(String, XMLDocumentKind)] = [
        ("generic21-series.xml", .sdmx21Generic),
        ("generic21-flat.xml", .sdmx21Generic),
        ("structurespecific21.xml", .sdmx21StructureSpecific),
        ("compact20.xml", .sdmx20Compact),
        ("generic20.xml", .sdmx20Generic),
        // Cross-sectional (dimensionAtObservation="KØN"): the time in the series key.
        ("structurespecific21-xs.xml", .sdmx21StructureSpecific),
        ("generic21-xs.xml", .sdmx21Generic),
        // 2.0 CrossSectionalData: the time on the group, the area on the section.
        ("crosssectional20.xml", .sdmx20CrossSectional),
    ]

    @Test("The flavour is told from the root element and namespace", arguments: files)
    func detection(file: String, kind: XMLDocumentKind) throws {
        #expect(try XMLDocumentKind.detect(path: Fixture.path(file)) == kind)
    }

    @Test("Every flavour maps to the same observations; missing, unselected and foreign rows are skipped",
          arguments: files)
    func mapping(file: String, kind: XMLDocumentKind) throws {
        let source = try SDMXSource(path: Fixture.path(file), kind: kind, mapping: try Fixture.mapping, catalog: Fixture.catalog)
        let observations = try drain(source)
        let byKey = Dictionary(uniqueKeysWithValues: observations.map {
            ("\($0.series.area) \($0.series.dimensions["ydelse"]!) \($0.period)", $0.value)
        })
        #expect(byKey == [
            "820 kontanthjaelp 2018K2": 432, "820 kontanthjaelp 2019K2": 391,
            "820 sygedagpenge 2018K2": 409, "081 kontanthjaelp 2019K2": 5012.5,
        ])
        #expect(observations.allSatisfy { $0.series.measure == "ydelse.fuldtidspersoner" })
        // NaN, status M, KØN=M not selected, area 999.
        #expect(source.skipped.total == 4)
        #expect(source.skipped.reasons.keys.contains { $0.contains("999") })
    }

    @Test("--inspect describes a file without a mapping", arguments: files)
    func inspect(file: String, kind: XMLDocumentKind) throws {
        let i = try SDMXInspection.inspect(path: Fixture.path(file), kind: kind)
        #expect(i.observationCount == 8)
        #expect(i.missingCount == 2)
        #expect(i.components.map(\.id).filter { $0 != "UNIT_MULT" } == ["OMRÅDE", "YDELSESTYPE", "KØN"])
        #expect(i.components.first { $0.id == "OMRÅDE" }?.codes.first?.code == "820")
        #expect(i.firstPeriod == .quarter(2018, 2))
        #expect(i.lastPeriod == .quarter(2019, 3))
        #expect(i.layout == (file.contains("flat") ? "flat" : "series"))
    }

    @Test("2.0 cross-sectional observations named after their measure carry it as MEASURE; such a file is read whole")
    func crossSectionalMeasures() throws {
        #expect(try SDMXSource.segments(path: Fixture.path("crosssectional20.xml"), parts: 3, minimumSize: 0) == nil)
        let text = try String(contentsOfFile: Fixture.path("crosssectional20.xml"), encoding: .utf8)
            .replacingOccurrences(of: "<auk:OBS_VALUE ", with: "<auk:STOCKS ")
        let path = try Fixture.write("stocks.xml", text)
        var mapping = try Fixture.mapping
        mapping.select?["MEASURE"] = "STOCKS"
        #expect(try drain(try SDMXSource(path: path, kind: .sdmx20CrossSectional, mapping: mapping, catalog: Fixture.catalog)).count == 4)
        #expect {
            try drain(try SDMXSource(path: path, kind: .sdmx20CrossSectional, mapping: try Fixture.mapping, catalog: Fixture.catalog))
        } throws: { error in
            String(describing: error).contains("'MEASURE' is neither mapped nor selected")
        }
    }

    @Test("An SDMX-ML 2.0 MessageGroup: every data set, or the one --dataset names by id or position")
    func messageGroup() throws {
        let path = Fixture.path("messagegroup20.xml")
        #expect(try XMLDocumentKind.detect(path: path) == .sdmx20Compact)
        let all = try drain(try SDMXSource(path: path, kind: .sdmx20Compact, mapping: try Fixture.mapping, catalog: Fixture.catalog))
        #expect(all.count == 8 && all.contains { $0.period == .quarter(2017, 2) } && all.contains { $0.period == .quarter(2018, 2) })
        for name in ["AUK01-B", "2"] {
            let one = try drain(try SDMXSource(path: path, kind: .sdmx20Compact, mapping: try Fixture.mapping, catalog: Fixture.catalog, dataset: name))
            #expect(one.count == 4 && one.allSatisfy { $0.period.year == 2017 }, "\(name)")
        }
        #expect {
            try drain(try SDMXSource(path: path, kind: .sdmx20Compact, mapping: try Fixture.mapping, catalog: Fixture.catalog, dataset: "AUK01-C"))
        } throws: { error in
            String(describing: error).contains("no data set 'AUK01-C' in the message (it has 1: AUK01-A, 2: AUK01-B)")
        }
        #expect(try SDMXInspection.inspect(path: path, kind: .sdmx20Compact, dataset: "1").observationCount == 8)
    }

    @Test("UNIT_MULT is applied per series, exact for decimals; with unitMult: false two multipliers of one measure are refused")
    func unitMultiplier() throws {
        let text = try String(contentsOfFile: Fixture.path("structurespecific21.xml"), encoding: .utf8)
            .replacingOccurrences(of: #"<Series OMRÅDE="081" YDELSESTYPE="KON" KØN="TOT" UNIT_MULT="0">"#,
                                  with: #"<Series OMRÅDE="081" YDELSESTYPE="KON" KØN="TOT" UNIT_MULT="3">"#)
            .replacingOccurrences(of: #"OBS_VALUE="5012.5""#, with: #"OBS_VALUE="1.1""#)
        let path = try Fixture.write("thousands.xml", text)
        let observations = try drain(try SDMXSource(
            path: path, kind: .sdmx21StructureSpecific, mapping: try Fixture.mapping, catalog: Fixture.catalog))
        #expect(observations.first { $0.series.area == "081" }?.value == 1100, "1.1 thousand is 1100, exactly")
        #expect(observations.first { $0.series.area == "820" && $0.period == .quarter(2018, 2) }?.value == 432, "UNIT_MULT 0 leaves it")
        #expect(SDMXSource.scaled(0.3, exponent: 1) == 3 && SDMXSource.scaled(12345, exponent: -2) == 123.45)
        var unapplied = try Fixture.mapping
        unapplied.unitMult = false
        #expect {
            try drain(try SDMXSource(path: path, kind: .sdmx21StructureSpecific, mapping: unapplied, catalog: Fixture.catalog))
        } throws: { error in
            String(describing: error).contains("UNIT_MULT 3 here, 0 before")
        }
    }

    @Test("UNIT_MULT is read wherever the message puts it: a generic series' attributes, a group, the data set")
    func unitMultiplierPlaces() throws {
        func value081(_ fixture: String, _ kind: XMLDocumentKind, _ edit: (String) -> String) throws -> Double? {
            let text = edit(try String(contentsOfFile: Fixture.path(fixture), encoding: .utf8))
            let path = try Fixture.write(fixture, text)
            let observations = try drain(try SDMXSource(path: path, kind: kind, mapping: try Fixture.mapping, catalog: Fixture.catalog))
            #expect(observations.first { $0.series.area == "820" && $0.period == .quarter(2018, 2) }?.value == 432, "other series keep theirs")
            return observations.first { $0.series.area == "081" }?.value
        }
        let seriesAttribute = try value081("generic21-series.xml", .sdmx21Generic) {
            $0.replacingOccurrences(of: #"<generic:Value id="OMRÅDE" value="081"/><generic:Value id="YDELSESTYPE" value="KON"/><generic:Value id="KØN" value="TOT"/></generic:SeriesKey>"# + "\n" + #"      <generic:Attributes><generic:Value id="UNIT_MULT" value="0"/>"#,
                                    with: #"<generic:Value id="OMRÅDE" value="081"/><generic:Value id="YDELSESTYPE" value="KON"/><generic:Value id="KØN" value="TOT"/></generic:SeriesKey>"# + "\n" + #"      <generic:Attributes><generic:Value id="UNIT_MULT" value="3"/>"#)
        }
        #expect(seriesAttribute == 5_012_500, "a generic series' <Attributes> hold its UNIT_MULT")
        let genericGroup = try value081("generic21-series.xml", .sdmx21Generic) {
            $0.replacingOccurrences(of: #"<generic:Attributes><generic:Value id="UNIT_MULT" value="0"/></generic:Attributes>"#, with: "")
                .replacingOccurrences(of: #"<message:DataSet structureRef="AUK01">"#, with: #"""
                    <message:DataSet structureRef="AUK01">
                    <generic:Group type="SiblingGroup"><generic:GroupKey><generic:Value id="OMRÅDE" value="081"/></generic:GroupKey>
                    <generic:Attributes><generic:Value id="UNIT_MULT" value="3"/><generic:Value id="TITLE" value="Region"/></generic:Attributes></generic:Group>
                    """#)
        }
        #expect(genericGroup == 5_012_500, "a generic group's attributes hold for the series of its key")
        let structureGroup = try value081("structurespecific21.xml", .sdmx21StructureSpecific) {
            $0.replacingOccurrences(of: #"<Series OMRÅDE="081" YDELSESTYPE="KON" KØN="TOT" UNIT_MULT="0">"#, with: #"<Series OMRÅDE="081" YDELSESTYPE="KON" KØN="TOT">"#)
                .replacingOccurrences(of: #"xsi:type="ns1:DataSetType">"#, with: #"xsi:type="ns1:DataSetType"><Group xsi:type="ns1:G" OMRÅDE="081" UNIT="PERS" UNIT_MULT="3"/><Group OMRÅDE="820" UNIT_MULT="6"/>"#)
        }
        #expect(structureGroup == 5_012_500, "a structure-specific group's standard attributes hold for its series; the series' own win")
        let dataSet = try value081("generic21-series.xml", .sdmx21Generic) {
            $0.replacingOccurrences(of: #"<generic:Attributes><generic:Value id="UNIT_MULT" value="0"/></generic:Attributes>"#, with: "")
                .replacingOccurrences(of: #"<message:DataSet structureRef="AUK01">"#, with: #"<message:DataSet structureRef="AUK01"><generic:Attributes><generic:Value id="UNIT_MULT" value="-1"/></generic:Attributes>"#)
                .replacingOccurrences(of: #"<generic:ObsValue value="432"/>"#, with: #"<generic:ObsValue value="4320"/>"#)
        }
        #expect(dataSet == 501.25, "the data set's attributes hold for every series")
        let structureDataSet = try value081("structurespecific21.xml", .sdmx21StructureSpecific) {
            $0.replacingOccurrences(of: #"<Series OMRÅDE="081" YDELSESTYPE="KON" KØN="TOT" UNIT_MULT="0">"#, with: #"<Series OMRÅDE="081" YDELSESTYPE="KON" KØN="TOT">"#)
                .replacingOccurrences(of: #"xsi:type="ns1:DataSetType">"#, with: #"xsi:type="ns1:DataSetType" UNIT_MULT="-2"><Group OMRÅDE="081" UNIT_MULT="3"/>"#)
        }
        #expect(structureDataSet == 5_012_500, "a group's multiplier wins over the data set's")
        let unitAttribute = try value081("generic21-series.xml", .sdmx21Generic) {
            $0.replacingOccurrences(of: #"<generic:Attributes><generic:Value id="UNIT_MULT" value="0"/></generic:Attributes>"#,
                                    with: #"<generic:Attributes><generic:Value id="UNIT_MULT" value="0"/><generic:Value id="UNIT" value="PERS"/></generic:Attributes>"#)
        }
        #expect(unitAttribute == 5012.5, "a generic series' other attributes (ECB's UNIT) need no mapping")
    }

    @Test("A fuzzing input that once timed out under load ends with a located error")
    func fuzzTimeoutInput() throws {
        let path = Fixture.path("fuzz-sdmx-timeout-1.xml")
        #expect {
            try drain(try SDMXSource(path: path, kind: try XMLDocumentKind.detect(path: path), mapping: try Fixture.mapping, catalog: Fixture.catalog))
        } throws: { error in
            "\(error)".contains("fuzz-sdmx-timeout-1.xml:18:116")
        }
    }

    @Test("A component the mapping does not account for is an error, not a silent total")
    func unmappedComponent() throws {
        var mapping = try Fixture.mapping
        mapping.select = nil
        let source = try SDMXSource(
            path: Fixture.path("structurespecific21.xml"), kind: .sdmx21StructureSpecific, mapping: mapping,
            catalog: Fixture.catalog)
        #expect {
            try drain(source)
        } throws: { error in
            String(describing: error).contains("'KØN' is neither mapped nor selected")
        }
    }

    @Test("A code outside the code map is an error naming the code")
    func unknownCode() throws {
        var mapping = try Fixture.mapping
        mapping.dimensions?["ydelse"]?.codes = ["KON": "kontanthjaelp"]
        let source = try SDMXSource(
            path: Fixture.path("generic20.xml"), kind: .sdmx20Generic, mapping: mapping, catalog: Fixture.catalog)
        #expect {
            try drain(source)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("generic20.xml:") && text.contains("'SYG'")
        }
    }

    @Test("A mapping that does not fit the catalog is refused before reading")
    func badMapping() throws {
        let yaml = """
            measure: ydelse.fuldtidspersoner
            area: { from: OMRÅDE }
            dimensions:
              ydelse: { from: YDELSESTYPE, codes: { KON: kontanthjalp } }
            """
        let mapping = try MappingFile.parse(yaml, file: "m.yaml")
        #expect {
            try SDMXSource(path: Fixture.path("generic20.xml"), kind: .sdmx20Generic, mapping: mapping, catalog: Fixture.catalog)
        } throws: { error in
            String(describing: error).contains("did you mean 'kontanthjaelp'?")
        }
        #expect(throws: ImportError.self) { try MappingFile.parse("measure: [", file: "m.yaml") }
        #expect(throws: ImportError.self) { try MappingFile.parse("name: x", file: "m.yaml") }
    }
}

@Suite("SDMX-ML in segments")
struct SDMXSegmentTests {
    /// What each segment's source yields, together, against what the whole file yields.
    /// 2.0 cross-sectional data has no series to cut between: it is read whole.
    @Test("Every flavour cut into segments yields the whole file's observations and skips",
          arguments: SDMXTests.files.filter { $0.1 != .sdmx20CrossSectional })
    func segmentsAddUp(file: String, kind: XMLDocumentKind) throws {
        let path = Fixture.path(file)
        let whole = try SDMXSource(path: path, kind: kind, mapping: try Fixture.mapping, catalog: Fixture.catalog)
        let expected = try drain(whole)
        let segments = try #require(try SDMXSource.segments(path: path, parts: 3, minimumSize: 0))
        #expect(segments.count > 1)
        var actual: [Observation] = []
        var skipped = 0
        for segment in segments {
            let source = try SDMXSource(path: path, kind: kind, mapping: try Fixture.mapping, catalog: Fixture.catalog, segment: segment)
            actual += try drain(source)
            skipped += source.skipped.total
        }
        #expect(actual == expected)
        #expect(skipped == whole.skipped.total)
    }

    @Test("A segment that meets a second data set fails, so the file is read whole")
    func secondDataSet() throws {
        let text = try String(contentsOfFile: Fixture.path("generic21-series.xml"), encoding: .utf8)
            .replacingOccurrences(
                of: "    <generic:Series><generic:SeriesKey><generic:Value id=\"OMRÅDE\" value=\"081\"/>",
                with: "  </message:DataSet>\n  <message:DataSet structureRef=\"OTHER\">\n    <generic:Series><generic:SeriesKey><generic:Value id=\"OMRÅDE\" value=\"081\"/>")
        let path = try Fixture.write("two-datasets.xml", text)
        let segments = try #require(try SDMXSource.segments(path: path, parts: 2, minimumSize: 0))
        #expect(segments.count == 2)
        // The segment that meets the second data set fails, and says why.
        #expect(throws: Never.self) {
            try drain(SDMXSource(path: path, kind: .sdmx21Generic, mapping: Fixture.mapping, catalog: Fixture.catalog, segment: segments[0]))
        }
        #expect {
            try drain(SDMXSource(path: path, kind: .sdmx21Generic, mapping: Fixture.mapping, catalog: Fixture.catalog, segment: segments[1]))
        } throws: { error in
            (error as? ImportError)?.message == "a segment meets a second data set"
        }
        // Read whole, the file gives the same observations as the one-data-set original.
        let whole = try drain(SDMXSource(path: path, kind: .sdmx21Generic, mapping: Fixture.mapping, catalog: Fixture.catalog))
        let original = try drain(SDMXSource(
            path: Fixture.path("generic21-series.xml"), kind: .sdmx21Generic, mapping: Fixture.mapping, catalog: Fixture.catalog))
        #expect(whole == original)
        #expect(whole.count == 4)
    }
}
