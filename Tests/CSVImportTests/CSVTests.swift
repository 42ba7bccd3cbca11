import BeskplanCore
import CSVImport
import Foundation
import MappingFormat
import Storage
import Testing

enum CSVFixture {
    static let catalog = ImportCatalog(measures: .standard)

    static func write(_ name: String, _ bytes: Data) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try bytes.write(to: url)
        return url.path
    }

    static func write(_ name: String, _ text: String) throws -> String { try write(name, Data(text.utf8)) }

    static func mapping(_ yaml: String) throws -> ImportMapping { try MappingFile.parse(yaml, file: "m.yaml") }

    static let auk = """
        measure: ydelse.fuldtidspersoner
        area: { from: OMRÅDE }
        period: { from: TID }
        dimensions:
          ydelse: { from: YDELSESTYPE, codes: { "I alt": i_alt, "Kontanthjælp": kontanthjaelp } }
        select: { KØN: "Køn i alt" }
        missing: { values: ["..", "-"] }
        """

    static func drain(_ source: CSVSource) throws -> [String: Double] {
        var result: [String: Double] = [:]
        while let chunk = try source.nextChunk() {
            for p in chunk.points {
                result["\(chunk.series.area) \(chunk.series.dimensions.values.sorted().joined(separator: ",")) \(p.period)"] = p.value
            }
        }
        return result
    }

    static func store() async throws -> SQLiteStore {
        let store = try SQLiteStore()
        try await store.migrate()
        try await store.importObservations(
            ImportOrigin(source: "test"),
            from: ChunkList([ObservationChunk(series: SeriesKey(measure: "ledighed.procent", area: "820"), points: [DataPoint(period: .month(2019, 7), value: 3.2)])]),
            dryRun: false)
        return store
    }
}

@Suite("CSV import")
struct CSVTests {
    @Test("Statistikbanken long CSV in Windows-1252: names with æ/ø/å, decimal comma, thousands dot, '..' missing, Uoplyst skipped")
    func windows1252() throws {
        let text = """
            OMRÅDE;YDELSESTYPE;KØN;TID;INDHOLD\r
            Hele landet;I alt;Køn i alt;2019K2;"1.234,5"\r
            Region Nordjylland;Kontanthjælp;Køn i alt;2019K2;5.012\r
            Vesthimmerland;Kontanthjælp;Køn i alt;2019K2;391\r
            Læsø;Kontanthjælp;Køn i alt;2019K2;..\r
            Vesthimmerland;Kontanthjælp;Mænd;2019K2;200\r
            Uoplyst;Kontanthjælp;Køn i alt;2019K2;3\r

            """
        let path = try CSVFixture.write("auk01.csv", text.data(using: .windowsCP1252)!)
        let source = try CSVSource(path: path, mapping: try CSVFixture.mapping(CSVFixture.auk), catalog: CSVFixture.catalog)
        let values = try CSVFixture.drain(source)
        #expect(values == ["000 i_alt 2019K2": 1234.5, "081 kontanthjaelp 2019K2": 5012, "820 kontanthjaelp 2019K2": 391])
        #expect(source.skipped.total == 3)
        #expect(source.skipped.reasons.keys.contains { $0.contains("Uoplyst") })
    }

    @Test("UTF-8 with a BOM, English labels (All Denmark, Copenhagen), quarters as 2007Q1")
    func bom() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("OMRÅDE;YDELSESTYPE;KØN;TID;INDHOLD\nAll Denmark;I alt;Køn i alt;2007Q1;100,5\nCopenhagen;I alt;Køn i alt;2007Q1;7\nAbroad;I alt;Køn i alt;2007Q1;1\n".utf8))
        let path = try CSVFixture.write("bom.csv", data)
        let source = try CSVSource(path: path, mapping: try CSVFixture.mapping(CSVFixture.auk), catalog: CSVFixture.catalog)
        #expect(try CSVFixture.drain(source) == ["000 i_alt 2007K1": 100.5, "101 i_alt 2007K1": 7])
        #expect(source.skipped.total == 1)
    }

    @Test("A wide file: periods as columns")
    func wide() throws {
        let path = try CSVFixture.write("wide.csv", "OMRÅDE;YDELSESTYPE;KØN;2021M10;2021M11;2021M12\nSamsø;Kontanthjælp;Køn i alt;12;11,5;-\n")
        let mapping = try CSVFixture.mapping(CSVFixture.auk + "\nwide: true")
        let source = try CSVSource(path: path, mapping: mapping, catalog: CSVFixture.catalog)
        #expect(try CSVFixture.drain(source) == ["741 kontanthjaelp 2021M10": 12, "741 kontanthjaelp 2021M11": 11.5])
        #expect(source.skipped.total == 1)
    }

    @Test("Jobindsats: measures as columns, areas by name, quoted fields, comma-free numbers")
    func jobindsats() throws {
        let path = try CSVFixture.write("y60a02.csv", "Område;Periode;Antal personer;Antal fuldtidspersoner\n\"Hele landet\";2024M03;\"123.456\";98.765,4\nNorddjurs;2024M03;512;401,2\n")
        let yaml = """
            measures: { "Antal personer": ydelse.personer, "Antal fuldtidspersoner": ydelse.fuldtidspersoner }
            area: { from: Område }
            period: { from: Periode }
            dimensions: { ydelse: { value: kontanthjaelp } }
            """
        let source = try CSVSource(path: path, mapping: try CSVFixture.mapping(yaml), catalog: CSVFixture.catalog)
        var got: [String: Double] = [:]
        while let chunk = try source.nextChunk() {
            for p in chunk.points { got["\(chunk.series.measure) \(chunk.series.area) \(p.period)"] = p.value }
        }
        #expect(got == [
            "ydelse.personer 000 2024M03": 123_456, "ydelse.fuldtidspersoner 000 2024M03": 98_765.4,
            "ydelse.personer 707 2024M03": 512, "ydelse.fuldtidspersoner 707 2024M03": 401.2,
        ])
    }

    @Test("A column of CPR numbers fails the import and the database is unchanged", arguments: ["010190-1234", "3112851234"])
    func cpr(number: String) async throws {
        let path = try CSVFixture.write("cpr.csv", "OMRÅDE;YDELSESTYPE;KØN;TID;INDHOLD;CPR\nSamsø;I alt;Køn i alt;2019K2;1;\(number)\n")
        let mapping = try CSVFixture.mapping(CSVFixture.auk + "\nignore: [CPR]")
        let store = try await CSVFixture.store()
        await #expect {
            let source = try CSVSource(path: path, mapping: mapping, catalog: CSVFixture.catalog)
            try await store.importObservations(ImportOrigin(source: "csv"), from: source, dryRun: false)
        } throws: { error in
            String(describing: error) == "\(path):2:6: column 'CPR' holds what looks like a CPR number; beskplan holds "
                + "aggregate statistics only, so the file is refused"
        }
        #expect(try await store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner")).isEmpty)
        #expect(try await store.observations(ObservationQuery(measure: "ledighed.procent")).count == 1)
    }

    @Test("A CPR number anywhere is refused at its field: a mapped dimension, a selected column, the value column", arguments: [
        ("OMRÅDE;YDELSESTYPE;KØN;TID;INDHOLD\nSamsø;I alt;Køn i alt;2019K2;1\nSamsø;010190-1234;Køn i alt;2019K2;2\n", "3:2", "YDELSESTYPE"),
        ("OMRÅDE;YDELSESTYPE;KØN;TID;INDHOLD\nSamsø;I alt;3112851234;2019K2;1\n", "2:3", "KØN"),
        ("OMRÅDE;YDELSESTYPE;KØN;TID;INDHOLD\nSamsø;I alt;Køn i alt;2019K2;0101901234\n", "2:5", "INDHOLD"),
    ])
    func cprEverywhere(text: String, position: String, column: String) async throws {
        let path = try CSVFixture.write("cpr.csv", text)
        let store = try await CSVFixture.store()
        await #expect {
            let source = try CSVSource(path: path, displayName: "cpr.csv", mapping: try CSVFixture.mapping(CSVFixture.auk), catalog: CSVFixture.catalog)
            try await store.importObservations(ImportOrigin(source: "csv"), from: source, dryRun: false)
        } throws: { error in
            String(describing: error) == "cpr.csv:\(position): column '\(column)' holds what looks like a CPR number; beskplan holds "
                + "aggregate statistics only, so the file is refused"
        }
        #expect(try await store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner")).isEmpty)
    }

    @Test("A malformed number on the last line names file, line and column, and the database is unchanged")
    func malformedLastLine() async throws {
        var text = "OMRÅDE;YDELSESTYPE;KØN;TID;INDHOLD\n"
        for q in 1...4 { text += "Samsø;I alt;Køn i alt;2019K\(q);\(100 + q)\n" }
        text += "Samsø;I alt;Køn i alt;2020K1;l.234,5\n"
        let path = try CSVFixture.write("national.csv", text)
        let store = try await CSVFixture.store()
        await #expect {
            let source = try CSVSource(path: path, displayName: "national.csv", mapping: try CSVFixture.mapping(CSVFixture.auk), catalog: CSVFixture.catalog)
            try await store.importObservations(ImportOrigin(source: "csv"), from: source, dryRun: false)
        } throws: { error in
            String(describing: error) == "national.csv:6:5: 'l.234,5' is not a number in this file's format (decimal comma, thousands dot)"
        }
        #expect(try await store.observations(ObservationQuery(measure: "ydelse.fuldtidspersoner")).isEmpty)
    }

    @Test("A column the mapping does not account for is an error at the header")
    func unmappedColumn() throws {
        let path = try CSVFixture.write("x.csv", "OMRÅDE;YDELSESTYPE;KØN;ALDER;TID;INDHOLD\nSamsø;I alt;Køn i alt;Alder i alt;2019K2;1\n")
        #expect {
            _ = try CSVSource(path: path, displayName: "x.csv", mapping: try CSVFixture.mapping(CSVFixture.auk), catalog: CSVFixture.catalog)
        } throws: { error in
            String(describing: error).hasPrefix("x.csv:1:4: column 'ALDER' is neither mapped nor selected")
        }
    }

    @Test("Numbers are read strictly in the file's format")
    func numbers() throws {
        let path = try CSVFixture.write("n.csv", "OMRÅDE;YDELSESTYPE;KØN;TID;INDHOLD\nSamsø;I alt;Køn i alt;2019K2;1.23,4\n")
        let source = try CSVSource(path: path, mapping: try CSVFixture.mapping(CSVFixture.auk), catalog: CSVFixture.catalog)
        #expect(throws: ImportError.self) { try CSVFixture.drain(source) }
    }

    @Test("The shipped mappings load and fit the catalog")
    func shipped() throws {
        let names = ShippedMappings.all.keys.sorted()
        #expect(names.contains("dst-auk01") && names.contains("dst-frkm120") && names.contains("jobindsats-y60a02"))
        for (name, url) in ShippedMappings.all {
            let mapping = try MappingFile.load(path: url.path)
            for measure in [mapping.measure].compactMap({ $0 }) + (mapping.measures.map { Array($0.values) } ?? []) {
                #expect(throws: Never.self, "\(name)") { try MappingResolver(mapping, measure: measure, measures: .standard) }
            }
        }
    }
}
