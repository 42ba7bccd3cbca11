import BeskplanCore
import Reports
import Spreadsheet

/// Every table of a report as a sheet of a workbook: the figures as the report shows them, but
/// as numbers (a Danish `4.720` is 4720, `−1,5 %` is −1.5 shown with " %"), so that an analyst
/// computes on from what the committee read. A sheet is named by the table's caption, else by
/// the heading it stands under.
enum ReportTables {
    static func sheets(_ document: ReportDocument) -> [SheetTable] {
        var heading = document.title
        var sheets: [SheetTable] = []
        for block in document.blocks {
            switch block {
            case .heading(let h): heading = h.text
            case .table(let table): sheets.append(sheet(table, title: table.caption ?? heading, note: document.titlePage.note))
            default: continue
            }
        }
        return sheets
    }

    static func sheet(_ table: ReportTable, title: String, note: String) -> SheetTable {
        func cells(_ row: [String]) -> [SheetTable.Cell] {
            row.enumerated().map { column, text in
                if text.isEmpty { return .empty }
                guard table.numeric.contains(column), let number = Self.number(text) else { return .text(text) }
                return .number(number.value, decimals: number.decimals, percent: number.percent)
            }
        }
        return SheetTable(
            title: title, headers: table.header, rows: table.rows.map(cells) + (table.total.map { [cells($0)] } ?? []),
            source: source(table.source, note: note))
    }

    /// The table's own source, with the report's "data pr. …" where the table does not say it.
    static func source(_ own: String?, note: String) -> String? {
        let asOf = note.range(of: "data pr. ").map { String(note[$0.lowerBound...]).trimmingCharacters(in: .init(charactersIn: ".")) }
        guard let own else { return asOf.map { "Kilde: beskplan, \($0)" } }
        let trimmed = own.trimmingCharacters(in: .init(charactersIn: ". "))
        guard !trimmed.contains("data pr."), let asOf else { return trimmed }
        return "\(trimmed), \(asOf)"
    }

    /// A number as the reports write it (`4.720`, `12,3 %`, `−1,5`, `+0,4 pct.-point`), or `nil` for text.
    static func number(_ text: String) -> (value: Double, decimals: Int, percent: Bool)? {
        var body = text.trimmingCharacters(in: .whitespaces)
        let percent = body.hasSuffix("%")
        for suffix in [" %", "%", " pct.-point", " procentpoint"] where body.hasSuffix(suffix) {
            body = String(body.dropLast(suffix.count))
        }
        body = body.replacingOccurrences(of: "\u{2212}", with: "-").replacingOccurrences(of: "+", with: "")
            .replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
        guard body.range(of: #"^-?[0-9]+(,[0-9]+)?$"#, options: .regularExpression) != nil,
            let value = Double(body.replacingOccurrences(of: ",", with: "."))
        else { return nil }
        let decimals = body.firstIndex(of: ",").map { body.distance(from: $0, to: body.endIndex) - 1 } ?? 0
        return (value, decimals, percent)
    }
}
