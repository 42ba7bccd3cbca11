/// Column widths for a DOCX table, in twips: every column is at least as wide as its longest
/// word (so Word never splits "Uddannelseshjælp" across lines), and the rest of the text width
/// goes to the columns with the most text.
enum DOCXColumns {
    /// The text width of an A4 page with beskplan's margins.
    static let textWidth = 9298
    /// Arial 9 pt, bold in headers: a generous average character width, and the cell margins.
    static let characterWidth = 112
    static let cellMargins = 230

    static func widths(_ table: ReportTable, total: Int = textWidth) -> [Int] {
        let columns = max(table.header.count, 1)
        let rows = [table.header] + table.rows + (table.total.map { [$0] } ?? [])
        func cells(_ i: Int) -> [String] { rows.compactMap { i < $0.count ? $0[i] : nil } }
        func width(_ characters: Int) -> Int { characters * characterWidth + cellMargins }
        let minimum = (0..<columns).map { i in
            width(cells(i).flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\n" }) }.map(\.count).max() ?? 1)
        }
        let wanted = (0..<columns).map { i in max(minimum[i], width(cells(i).map(\.count).max() ?? 1)) }
        let needed = minimum.reduce(0, +)
        guard needed < total else {
            // Words longer than the page allows: shrink in proportion (rare; numbers-only tables).
            return minimum.map { $0 * total / needed }
        }
        let extra = wanted.enumerated().map { $1 - minimum[$0] }
        let extraSum = extra.reduce(0, +)
        let spare = total - needed
        var result: [Int]
        if extraSum >= spare {
            result = minimum.enumerated().map { $1 + extra[$0] * spare / extraSum }
        } else {
            let wantedSum = wanted.reduce(0, +)
            result = wanted.map { $0 + (spare - extraSum) * $0 / wantedSum }
        }
        result[result.count - 1] += total - result.reduce(0, +)
        return result
    }
}
