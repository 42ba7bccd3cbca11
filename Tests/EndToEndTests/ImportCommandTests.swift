import Foundation
import GRDB
import Testing

/// `beskplan import` as a user meets it with real and mistaken files: nothing lost quietly, every
/// error at its field, a failed import leaves the database byte for byte as it was.
@Suite("Import from the command line")
struct ImportCommandTests {
    static let realAUK01 = Binary.repository.appendingPathComponent("Modules/AppSupport/RealData/dst-auk01-en.csv").path
    static let header = "OMRÅDE;YDELSESTYPE;KØN;ALDER;TID;INDHOLD\n"
    static let row = ";Net unemployed recipients of social assistance;Total;Age, total;2025Q4;"

    /// A database that already holds a seed kommune's demo figures.
    static func databaseWithData() throws -> String {
        let db = Binary.temporaryPath("held.sqlite")
        let feed = Binary.repository.appendingPathComponent("Plugins/Samsoe/Demo/samsoe-2024.xml").path
        let run = try Binary.beskplan.run(["import", feed, "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        return db
    }

    static func file(_ name: String, _ text: String) throws -> String {
        let path = Binary.temporaryPath(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every table's schema and rows, in rowid order, as text: what the database holds. (The file
    /// itself is not compared: GRDB writes a throwaway table on every open of a WAL database,
    /// which changes its header but nothing it holds.)
    static func contents(_ path: String) throws -> String {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in
            var dump = ""
            for table in try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name") {
                let name: String = table["name"]
                dump += "\(table["sql"] as String? ?? "")\n"
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(name)\" ORDER BY rowid") {
                    dump += row.databaseValues.map(\.description).joined(separator: "|") + "\n"
                }
            }
            return dump
        }
    }

    /// Runs a failing import and checks that it says `expected` on one line of stderr and leaves
    /// the database holding exactly what it held.
    static func expectRefused(_ arguments: [String], says expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let db = try databaseWithData()
        let before = try contents(db)
        #expect(before.contains("samsoe-2024.xml"), sourceLocation: sourceLocation)
        let run = try Binary.beskplan.run(["import", "--db", db] + arguments)
        #expect(run.status == 1, sourceLocation: sourceLocation)
        #expect(run.stderr == "error: \(expected)\n", sourceLocation: sourceLocation)
        #expect(try contents(db) == before, "the database changed", sourceLocation: sourceLocation)
    }

    @Test("The real AUK01 export: Vesthimmerland is there for every quarter, each skip is listed with its count and first line")
    func realExport() throws {
        let db = Binary.temporaryPath("real.sqlite")
        let run = try Binary.beskplan.run(["import", Self.realAUK01, "--mapping", "dst-auk01", "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(Self.realAUK01): CSV (Statistikbanken AUK01), 104 series, 7904 observations, 0 replaced, 988 skipped (import 1)")
        #expect(lines.count == 14, "the summary line and all 13 skip reasons")
        #expect(lines[1] == "  skipped 76: area 'Province Byen København' is a landsdel, not a kommune (first on line 154)")
        #expect(lines.last == "  skipped 76: area 'Abroad' is not a kommune (abroad) (first on line 8818)")
        let shown = try Binary.beskplan.run([
            "observations", "--measure", "kontanthjaelp.nettoledige_fuldtidspersoner", "--area", "vesthimmerland", "--format", "csv",
            "--db", db,
        ])
        #expect(shown.stdout.split(separator: "\n").count == 1 + 76)
    }

    @Test("The summary is the same on every run, and --format json gives it to scripts")
    func stableSummary() throws {
        let db = Binary.temporaryPath("stable.sqlite")
        let runs = try (0..<4).map { _ in
            try Binary.beskplan.run(["import", Self.realAUK01, "--mapping", "dst-auk01", "--dry-run", "--db", db]).stdout
        }
        #expect(Set(runs).count == 1)
        let json = try Binary.beskplan.run(["import", Self.realAUK01, "--mapping", "dst-auk01", "--dry-run", "--format", "json", "--db", db])
        #expect(json.status == 0)
        let files = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        let skips = files?.first?["skips"] as? [[String: Any]]
        #expect(files?.first?["observations"] as? Int == 7904)
        #expect(skips?.count == 13)
        #expect(skips?.last?["reason"] as? String == "area 'Abroad' is not a kommune (abroad)")
        #expect(skips?.last?["firstLine"] as? Int == 8818)
    }

    @Test("--dry-run never creates the database, nor changes one that exists")
    func dryRunWritesNothing() throws {
        let missing = Binary.temporaryPath("never.sqlite")
        let run = try Binary.beskplan.run(["import", Self.realAUK01, "--mapping", "dst-auk01", "--dry-run", "--db", missing])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("7904 observations, 0 replaced, 988 skipped (dry run: nothing written)"))
        let folder = URL(fileURLWithPath: missing).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)

        // An existing database is not even opened: not a byte of its file changes.
        let db = try Self.databaseWithData()
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let again = try Binary.beskplan.run(["import", Self.realAUK01, "--mapping", "dst-auk01", "--dry-run", "--db", db])
        #expect(again.status == 0)
        #expect(again.stdout.contains("7904 observations, 0 replaced"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: URL(fileURLWithPath: db).deletingLastPathComponent().path) == ["held.sqlite"])
    }

    @Test("--db before the subcommand, as the README writes it")
    func dbBeforeSubcommand() throws {
        let db = Binary.temporaryPath("first.sqlite")
        let run = try Binary.beskplan.run(["--db", db, "import", Self.realAUK01, "--mapping", "dst-auk01"])
        #expect(run.status == 0, "\(run.stderr)")
        let shown = try Binary.beskplan.run([
            "--db=\(db)", "observations", "--measure", "kontanthjaelp.nettoledige_fuldtidspersoner", "--area", "101", "--from", "2025K4",
        ])
        #expect(shown.stdout.contains("2025K4    846"), "\(shown.stdout)")
    }

    @Test("An area text beskplan does not know is an error at its field, with a did-you-mean")
    func unknownArea() throws {
        let path = try Self.file("typo.csv", Self.header + "All Denmark" + Self.row + "9168\n" + "Vesthimerlands" + Self.row + "64\n")
        try Self.expectRefused(
            [path, "--mapping", "dst-auk01"],
            says: "\(path):3:1: unknown area 'Vesthimerlands'; did you mean 'Vesthimmerlands'? It is no kommune, region or the "
                + "country beskplan knows; map it under area: codes:, or list it under skipAreas: to skip its rows")
    }

    @Test("A mapping may skip an area text on purpose (skipAreas:), and the summary says so")
    func skipAreas() throws {
        let path = try Self.file("skip.csv", Self.header + "All Denmark" + Self.row + "9168\n" + "Ertholmene" + Self.row + "0\n")
        let mapping = try Self.file("skip.yaml", """
            measure: kontanthjaelp.nettoledige_fuldtidspersoner
            area: { from: OMRÅDE }
            period: { from: TID }
            select: { YDELSESTYPE: "Net unemployed recipients of social assistance", KØN: Total, ALDER: "Age, total" }
            skipAreas: [Ertholmene]
            """)
        let run = try Binary.beskplan.run(["import", path, "--mapping", mapping, "--db", Binary.temporaryPath("s.sqlite")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("1 observations, 0 replaced, 1 skipped"))
        #expect(run.stdout.contains("skipped 1: area 'Ertholmene' is in the mapping's skipAreas: (first on line 3)"))
    }

    @Test("A select: value that never occurs is an error that lists the values that do")
    func neverSelected() throws {
        let path = try Self.file("danish.csv", Self.header
            + "Hele landet;Net unemployed recipients of social assistance;Mænd;Age, total;2025Q4;5000\n"
            + "Hele landet;Net unemployed recipients of social assistance;Kvinder;Age, total;2025Q4;4168\n")
        try Self.expectRefused(
            [path, "--mapping", "dst-auk01"],
            says: "\(path):2:3: select: KØN: 'Total' or 'I alt' or 'TOT' never occurs in the file; its KØN values are 'Kvinder', 'Mænd'")
    }

    @Test("An import that would store nothing is an error that says why")
    func nothingToImport() throws {
        let path = try Self.file("landsdele.csv", Self.header + "Province Fyn" + Self.row + "400\n" + "Abroad" + Self.row + "..\n")
        try Self.expectRefused(
            [path, "--mapping", "dst-auk01"],
            says: "\(path):2:1: nothing to import: all 2 observations were skipped: area 'Province Fyn' is a landsdel, not a kommune "
                + "(1, first on line 2); missing value (1, first on line 3)")
    }

    @Test("A code outside a code map is an error in the column of its field")
    func codeMapColumn() throws {
        let path = try Self.file("codes.csv", "TID;YDELSE;OMRÅDE;INDHOLD\n2024M01;KON;820;10\n2024M01;XYZ;820;11\n")
        let mapping = try Self.file("codes.yaml", """
            measure: ydelse.fuldtidspersoner
            area: { from: OMRÅDE }
            period: { from: TID }
            dimensions: { ydelse: { from: YDELSE, codes: { KON: kontanthjaelp, SYG: sygedagpenge } } }
            """)
        try Self.expectRefused(
            [path, "--mapping", mapping],
            says: "\(path):3:2: YDELSE code 'XYZ' is not in the code map of dimension 'ydelse' (it maps 'KON', 'SYG')")
    }

    @Test("--format csv on an XML file names what the file is, without printing it")
    func wrongFormat() throws {
        let feed = Binary.repository.appendingPathComponent("Plugins/Samsoe/Demo/samsoe-2024.xml").path
        try Self.expectRefused(
            [feed, "--format", "csv", "--mapping", "dst-auk01"],
            says: "\(feed):1:1: --format csv, but the file is feed XML (it starts with '<'); leave out --format to detect it")
        try Self.expectRefused(
            [Self.realAUK01, "--format", "sdmx"],
            says: "\(Self.realAUK01):1:1: --format sdmx, but the file is not XML (it looks like CSV); use --format csv with a --mapping")
    }

    @Test("An error never repeats more than 200 characters of the input")
    func longInput() throws {
        let longHeader = (1...300).map { "COLUMN_WITH_A_LONG_NAME_\($0)" }.joined(separator: ";")
        let wide = try Self.file("wide.csv", longHeader + "\n" + String(repeating: "1;", count: 299) + "1\n")
        let run = try Binary.beskplan.run(["import", wide, "--mapping", "dst-auk01", "--db", Binary.temporaryPath("w.sqlite")])
        #expect(run.status == 1)
        #expect(run.stderr.count - wide.count < 300, "\(run.stderr.count) characters: \(run.stderr.prefix(400))")
        #expect(run.stderr.contains("no column 'INDHOLD' (value); the columns are COLUMN_WITH_A_LONG_NAME_1, "))

        let longValue = String(repeating: "x", count: 5000)
        let value = try Self.file("value.csv", Self.header + "All Denmark" + Self.row + longValue + "\n")
        let second = try Binary.beskplan.run(["import", value, "--mapping", "dst-auk01", "--db", Binary.temporaryPath("v.sqlite")])
        #expect(second.status == 1)
        #expect(second.stderr.count - value.count < 200, "\(second.stderr.prefix(400))")
    }

    @Test("A cell given twice is an error naming both lines, not a quiet overwrite")
    func cellGivenTwice() throws {
        // Line 3 meant Svendborg, but its area text reads as København's.
        let path = try Self.file("twice.csv", Self.header + "København" + Self.row + "846\n" + "Kobenhavn Kommune" + Self.row + "85\n"
            + "Copenhagen" + Self.row + "85\n")
        try Self.expectRefused(
            [path, "--mapping", "dst-auk01"],
            says: "\(path):3:1: unknown area 'Kobenhavn Kommune'; did you mean 'København Kommune'? It is no kommune, region or the "
                + "country beskplan knows; map it under area: codes:, or list it under skipAreas: to skip its rows")
        let twice = try Self.file("twice2.csv", Self.header + "København" + Self.row + "846\n" + "Svendborg" + Self.row + "85\n"
            + "Copenhagen" + Self.row + "85\n")
        try Self.expectRefused(
            [twice, "--mapping", "dst-auk01"],
            says: "\(twice):4:1: København, 4. kvartal 2025 (nettoledige kontanthjælpsmodtagere (fuldtidspersoner)) is given twice, "
                + "on line 2 and here; a table has one value per cell: is an area text on one of the lines another area's?")
    }

    @Test("Area texts are matched as the sources print them: a near miss is refused with the text it resembles", arguments: [
        ("Lasø", "Læsø"), ("Arhus", "Aarhus"), ("Aarhus!", "Aarhus"), ("Vest-himmerland", "Vesthimmerland"),
    ])
    func nearMiss(text: String, suggestion: String) throws {
        let path = try Self.file("near.csv", Self.header + text + Self.row + "5\n")
        let run = try Binary.beskplan.run(["import", path, "--mapping", "dst-auk01", "--dry-run", "--db", Binary.temporaryPath("n.sqlite")])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: \(path):2:1: unknown area '\(text)'; did you mean '\(suggestion)'?"), "\(run.stderr)")
    }

    @Test("Files that are missing, a folder, empty or without a header say so", arguments: [
        ("missing", "no such file"), ("folder", "is a folder, not a file"), ("empty", "the file is empty"),
        ("blank", "1:1: the file is empty"),
    ])
    func unreadable(kind: String, message: String) throws {
        let path: String
        switch kind {
        case "missing": path = Binary.temporaryPath("nope.csv")
        case "folder":
            path = Binary.temporaryPath("folder")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        case "empty": path = try Self.file("empty.csv", "")
        default: path = try Self.file("blank.csv", "\n\n\n")
        }
        let run = try Binary.beskplan.run(["import", path, "--mapping", "dst-auk01", "--dry-run", "--db", Binary.temporaryPath("u.sqlite")])
        #expect(run.status == 1)
        let separator = message.first?.isNumber == true ? ":" : ": "
        #expect(run.stderr == "error: \(path)\(separator)\(message)\n")
    }

    @Test("A number too large, or a period of 100,000 characters, is located and never echoed whole")
    func hugeFields() throws {
        let large = try Self.file("large.csv", Self.header + "Læsø" + Self.row + String(repeating: "9", count: 400) + "\n")
        let run = try Binary.beskplan.run(["import", large, "--mapping", "dst-auk01", "--db", Binary.temporaryPath("l.sqlite")])
        #expect(run.stderr == "error: \(large):2:6: '\(String(repeating: "9", count: 59))…' is too large for a number\n")

        let period = String(repeating: "2019K", count: 20_000)
        let long = try Self.file("period.csv", Self.header + "Læsø;Net unemployed recipients of social assistance;Total;Age, total;"
            + period + ";5\n")
        let second = try Binary.beskplan.run(["import", long, "--mapping", "dst-auk01", "--db", Binary.temporaryPath("p.sqlite")])
        #expect(second.status == 1)
        #expect(second.stderr.count - long.count < 300, "\(second.stderr.prefix(400))")
        #expect(second.stderr.hasPrefix("error: \(long):2:5: '2019K2019K"))
    }

    @Test("--inspect describes a CSV file: its columns, values, periods and which area texts an import refuses")
    func inspectCSV() throws {
        let run = try Binary.beskplan.run(["import", "--inspect", Self.realAUK01])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(Self.realAUK01): CSV (utf-8, separator ';'), 8892 rows; it imports with a --mapping")
        #expect(lines.contains("  time (TID): 2007K1 … 2025K4"))
        #expect(lines.contains("      areas: 104 known, 13 skipped as no area (landsdele, abroad, …)"))
        #expect(lines.contains("    KØN: Total (8892)"))

        let typo = try Self.file("typo.csv", Self.header + "All Denmark" + Self.row + "9168\n" + "Vesthimerlands" + Self.row + "64\n")
        let inspected = try Binary.beskplan.run(["import", "--inspect", typo])
        #expect(inspected.stdout.contains("      areas: 1 known, 0 skipped as no area (landsdele, abroad, …); unknown, an import refuses them: 'Vesthimerlands'"))
    }

    @Test("--inspect counts the series of a flat SDMX file as its import does")
    func inspectFlat() throws {
        let file = Binary.repository.appendingPathComponent("Tests/XMLImportTests/Fixtures/generic21-flat.xml").path
        let run = try Binary.beskplan.run(["import", "--inspect", file])
        #expect(run.stdout.contains("layout: flat  series: 5  observations: 8  missing: 2"), "\(run.stdout)")
    }
}
