import Foundation
import TestSupport
import Testing

/// `--format xlsx`, read back with openpyxl as an analyst's Excel would read it: numbers as
/// numbers with a grouped display format, periods and names as text, the header frozen, the
/// source under the table. The figures are the ones the text formats give.
@Suite(.serialized)
struct SpreadsheetTests {
    /// One demo database for the suite's tests.
    static let demo: String = {
        let folder = Binary.temporaryPath("xlsx-demo")
        let run = try? Binary.beskplan.run(["demo", "--out", folder, "--as-of", "2026-01-15"])
        precondition(run?.status == 0, "beskplan demo failed: \(run?.stderr ?? "")")
        return folder + "/beskplan-demo.sqlite"
    }()

    static func read(_ path: String) throws -> [ReadSheet] { try ReadSheet.read(path) }

    @Test("Observations to Excel: the CSV's figures as numbers, periods as text, the header frozen and the source under it")
    func observations() throws {
        let out = Binary.temporaryPath("observations.xlsx")
        let selection = ["observations", "--db", Self.demo, "--measure", "ydelse.fuldtidspersoner", "--area", "vesthimmerland",
                         "--dim", "ydelse=kontanthjaelp"]
        let written = try Binary.beskplan.run(selection + ["--format", "xlsx", "--out", out])
        #expect(written.status == 0, "\(written.stderr)")
        let csv = try Binary.beskplan.run(selection + ["--format", "csv"])
        let expected = csv.stdout.split(separator: "\n").dropFirst().map { line in
            Double(line.split(separator: ";").last!.replacingOccurrences(of: ",", with: "."))!
        }
        #expect(expected.count >= 2)

        let sheet = try #require(try Self.read(out).first)
        #expect(sheet.frozen == "A2")
        #expect(sheet.cell("A1")?.value == .text("Områdekode") && sheet.cell("A1")?.bold == true)
        #expect(sheet.cell("C1")?.value == .text("Ydelse"))
        #expect(sheet.cell("E1")?.value == .text("Fuldtidspersoner på offentlig forsørgelse"), "a person reads the measure's name, never its id")
        let figures = sheet.column("E")
        #expect(figures.map(\.value) == expected.map { .number($0) })
        #expect(figures.allSatisfy { ["int", "float"].contains($0.type) && $0.format.hasPrefix("#,##0") }, "\(figures.map(\.format))")
        let periods = sheet.column("D")
        #expect(periods.first?.value == .text("2. kvartal 2018") && periods.allSatisfy { $0.type == "str" })
        #expect(sheet.column("C").allSatisfy { $0.value == .text("Kontanthjælp") })
        let source = try #require(sheet.cells.last)
        #expect(source.ref == "A\(expected.count + 3)" && source.italic)
        guard case .text(let text) = source.value else { Issue.record("no source line"); return }
        #expect(text.hasPrefix("Kilde: Jobindsats (STAR), data pr. "), "\(text)")
    }

    @Test("The evaluation to Excel: each target's figure and comparison as numbers, as the JSON gives them; status and explanation in Danish")
    func evaluation() throws {
        let out = Binary.temporaryPath("evaluation.xlsx")
        let plan = ["evaluate", "vesthimmerland", "2019", "--db", Self.demo, "--as-of", "2026-01-15"]
        let written = try Binary.beskplan.run(plan + ["--format", "xlsx", "--out", out])
        #expect(written.status == 0, "\(written.stderr)")
        struct Document: Decodable {
            struct Target: Decodable {
                let target: String
                let value: Double?
                let benchmark: Double?
                let status: String
            }
            let targets: [Target]
        }
        let json = try JSONDecoder().decode(Document.self, from: Data(try Binary.beskplan.run(plan + ["--format", "json"]).stdout.utf8))
        #expect(json.targets.contains { $0.value != nil }, "the demo evaluates Vesthimmerland 2019 from its figures")

        let sheet = try #require(try Self.read(out).first)
        #expect(sheet.name == "Vurdering 2019" && sheet.frozen == "A2")
        #expect(sheet.cells.filter { $0.ref.hasSuffix("1") && $0.ref.count == 2 }.map(\.value)
            == ["Mål", "Hvad følges der op på", "Tal", "Sammenlignes med", "Enhed", "Status", "Forklaring"].map { .text($0) })
        for (index, target) in json.targets.enumerated() {
            let row = index + 2
            #expect(sheet.cell("A\(row)")?.value == .text(target.target))
            #expect(Self.same(sheet.cell("C\(row)")?.value, target.value), "target \(target.target)")
            #expect(Self.same(sheet.cell("D\(row)")?.value, target.benchmark), "target \(target.target)")
            if target.value != nil { #expect(sheet.cell("C\(row)")?.format.hasPrefix("#,##0") == true) }
            #expect(sheet.cell("F\(row)")?.value == .text(target.status.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "paa", with: "på")))
        }
        guard case .text(let source)? = sheet.cells.last?.value else { Issue.record("no source line"); return }
        #expect(source == "Kilde: beskplans vurdering af Vesthimmerlands beskæftigelsesplan 2019, data pr. 15. januar 2026")
    }

    @Test("beskplan-report --format xlsx: every table of Vesthimmerland's 2020 plan a sheet, its figures numbers, the seed's 4.720 among them")
    func reportTables() throws {
        let out = Binary.temporaryPath("vesthimmerland-2020.xlsx")
        let run = try Binary.report.run(["vesthimmerland", "2020", "--db", Self.demo, "--format", "xlsx", "--out", out, "--as-of", "2020-12-31"])
        #expect(run.status == 0, "\(run.stderr)")
        let sheets = try Self.read(out)
        #expect(sheets.count >= 5, "\(sheets.map(\.name))")
        #expect(sheets.allSatisfy { $0.frozen == "A2" })
        // The seed plan: 4.720 fuldtidspersoner on public support in Vesthimmerland, 2. kvartal 2019.
        let citizens = try #require(sheets.first { $0.name.hasPrefix("Borgere i Vesthimmerland") })
        #expect(citizens.cell("B2")?.value == .number(4720) && citizens.cell("B2")?.format == "#,##0")
        // No figure is left as text: a cell below the header that reads as a Danish number is a number.
        let danishNumber = #"^[−+-]?[0-9]{1,3}(\.[0-9]{3})*(,[0-9]+)?( %)?$"#
        for sheet in sheets {
            for cell in sheet.cells where cell.row > 1 {
                guard case .text(let text) = cell.value else { continue }
                #expect(text.range(of: danishNumber, options: .regularExpression) == nil, "\(sheet.name) \(cell.ref): '\(text)'")
            }
        }
    }

    /// The same figure: a workbook keeps 15 significant digits, as Excel does (3.6999999999999993 is 3.7 there).
    static func same(_ cell: ReadSheet.Value?, _ figure: Double?) -> Bool {
        switch (cell, figure) {
        case (nil, nil): true
        case (.number(let a)?, let b?): abs(a - b) <= 1e-12 * max(1, abs(b))
        default: false
        }
    }

    @Test("A workbook that cannot be written names the file, and the command fails")
    func unwritable() throws {
        let run = try Binary.beskplan.run(["evaluate", "vesthimmerland", "2019", "--db", Self.demo, "--format", "xlsx", "--out", "/nonexistent/folder/x.xlsx"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("/nonexistent/folder/x.xlsx"), "\(run.stderr)")
    }
}
