@testable import AppSupport
import Reports
@testable import Spreadsheet
import Testing

/// A report's tables as sheets: the numbers the committee read, as numbers.
struct ReportTablesTests {
    @Test("Danish numbers as the reports write them are read as numbers; text stays text", arguments: [
        ("4.720", 4720.0, 0, false), ("−1,5 %", -1.5, 1, true), ("+0,4", 0.4, 1, false), ("12,30", 12.3, 2, false),
        ("1.234.567,8", 1_234_567.8, 1, false), ("-3", -3.0, 0, false), ("0,2 pct.-point", 0.2, 1, false),
    ])
    func numbers(text: String, value: Double, decimals: Int, percent: Bool) {
        let read = ReportTables.number(text)
        #expect(read?.value == value && read?.decimals == decimals && read?.percent == percent, "\(text) → \(String(describing: read))")
    }

    @Test("Not numbers: a dash, a period, a word, a code", arguments: ["–", "2. kvartal 2019", "mangler data", "2019K2", "1,2,3", ""])
    func notNumbers(text: String) {
        #expect(ReportTables.number(text) == nil)
    }

    @Test("A table becomes a sheet: numeric columns as numbers, the total row kept, the report's data date in its source")
    func sheet() {
        let table = ReportTable(
            caption: "Fuldtidspersoner", header: ["Målgruppe", "2019", "Udvikling"],
            rows: [["A-dagpenge", "398", "4,2 %"], ["Kontanthjælp", "–", "−1,0 %"]], total: ["I alt", "4.720", "0,5 %"],
            numeric: [1, 2], source: "Kilde: Jobindsats.")
        let sheet = ReportTables.sheet(table, title: "Under en overskrift", note: "Udarbejdet 7. december 2026 med beskplan; data pr. 2. kvartal 2019.")
        #expect(sheet.title == "Under en overskrift")
        #expect(sheet.rows == [
            [.text("A-dagpenge"), .number(398, decimals: 0), .number(4.2, decimals: 1, percent: true)],
            [.text("Kontanthjælp"), .text("–"), .number(-1, decimals: 1, percent: true)],
            [.text("I alt"), .number(4720, decimals: 0), .number(0.5, decimals: 1, percent: true)],
        ])
        #expect(sheet.source == "Kilde: Jobindsats, data pr. 2. kvartal 2019")
        #expect(ReportTables.source("Kilde: AUK01, data pr. 4. kvartal 2024", note: "…; data pr. 1. kvartal 2025") == "Kilde: AUK01, data pr. 4. kvartal 2024")
    }

    @Test("Sheet names fit Excel: 31 characters cut at a word, no forbidden characters, unique without regard to case")
    func sheetNames() {
        #expect(Workbook.sheetName("Fuldtidspersoner på offentlig forsørgelse", taken: []) == "Fuldtidspersoner på offentlig")
        #expect(Workbook.sheetName("Mål 1/2: [status]?", taken: []) == "Mål 1-2- -status--")
        #expect(Workbook.sheetName("Vurdering", taken: ["vurdering"]) == "Vurdering (2)")
        #expect(Workbook.sheetName("", taken: []) == "Tabel")
    }
}
