/// Column widths for a DOCX table, in twips, and the font size that lets them fit: every column
/// is at least as wide as its longest word (so Word never splits "Uddannelseshjælp" across
/// lines), and the rest of the text width goes to the columns with the most text. A table whose
/// words cannot all fit at 9 pt is set smaller, down to 6 pt.
enum DOCXColumns {
    /// The text width of an A4 page with beskplan's margins.
    static let textWidth = 9298
    /// The table text's size in half-points (the TableText style: Arial 9 pt), and the smallest.
    static let standardSize = 18
    static let smallestSize = 12
    /// A generous average width of an Arial character at 9 pt, bold in headers; and cell margins.
    static let characterWidth = 112
    static let cellMargins = 230

    struct Layout: Equatable {
        var widths: [Int]
        /// Half-points; `standardSize` unless the table had to be set smaller.
        var size: Int
    }

    static func layout(_ table: ReportTable, total: Int = textWidth) -> Layout {
        let columns = max(table.header.count, 1)
        let rows = [table.header] + table.rows + (table.total.map { [$0] } ?? [])
        func cells(_ i: Int) -> [String] { rows.compactMap { i < $0.count ? $0[i] : nil } }
        let longestWord = (0..<columns).map { i in
            cells(i).flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\n" }) }.map(\.count).max() ?? 1
        }
        let longestText = (0..<columns).map { i in max(cells(i).map(\.count).max() ?? 1, longestWord[i]) }
        var size = standardSize
        while size > smallestSize, longestWord.map({ width($0, size) }).reduce(0, +) > total { size -= 1 }
        let minimum = longestWord.map { width($0, size) }
        let wanted = longestText.map { width($0, size) }
        let needed = minimum.reduce(0, +)
        guard needed < total else {
            // Even at the smallest size the words are wider than the page: shrink in proportion.
            return Layout(widths: minimum.map { $0 * total / needed }, size: size)
        }
        let extra = wanted.enumerated().map { $1 - minimum[$0] }
        let extraSum = extra.reduce(0, +)
        let spare = total - needed
        var widths: [Int]
        if extraSum >= spare {
            widths = minimum.enumerated().map { $1 + extra[$0] * spare / extraSum }
        } else {
            let wantedSum = wanted.reduce(0, +)
            widths = wanted.map { $0 + (spare - extraSum) * $0 / wantedSum }
        }
        widths[widths.count - 1] += total - widths.reduce(0, +)
        return Layout(widths: widths, size: size)
    }

    /// The width of `characters` characters at `size` half-points, with the cell margins.
    static func width(_ characters: Int, _ size: Int) -> Int {
        characters * characterWidth * size / standardSize + cellMargins
    }
}
