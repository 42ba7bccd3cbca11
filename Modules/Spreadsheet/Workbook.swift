import CXLSXWriter
import Foundation

/// Writes tables as an Excel workbook (`.xlsx`), one sheet each, through libxlsxwriter.
///
/// A number's display format is the standard grouped one (`#,##0.0`): Excel shows it with the
/// reader's own separators, so a Danish Excel shows 1.234,5. The header row is bold and frozen;
/// the source line stands in italics one row below the table.
public enum Workbook {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The workbook's bytes.
    public static func data(_ tables: [SheetTable]) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("workbook.xlsx").path
        try write(tables, to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Writes the workbook to `path`, replacing what is there.
    public static func write(_ tables: [SheetTable], to path: String) throws {
        guard let workbook = workbook_new(path) else { throw Failure(description: "\(path): cannot create the workbook") }
        let formats = Formats(workbook)
        var names = Set<String>()
        for table in tables {
            let name = sheetName(table.title, taken: names)
            names.insert(name.lowercased())
            guard let sheet = workbook_add_worksheet(workbook, name) else {
                workbook_close(workbook)
                throw Failure(description: "\(path): cannot add the sheet '\(name)'")
            }
            do {
                try fill(sheet, with: table, formats: formats, path: path)
            } catch {
                workbook_close(workbook)
                try? FileManager.default.removeItem(atPath: path)
                throw error
            }
        }
        let status = workbook_close(workbook)
        guard status == LXW_NO_ERROR else {
            throw Failure(description: "\(path): \(String(cString: lxw_strerror(status)))")
        }
    }

    /// Excel's limits: rows per sheet, characters per cell.
    public static let maximumRows = 1_048_576
    static let maximumText = 32_767

    private static func fill(_ sheet: UnsafeMutablePointer<lxw_worksheet>, with table: SheetTable, formats: Formats, path: String) throws {
        // Header, rows, a blank row and the source line must fit.
        guard table.rows.count + 3 <= maximumRows else {
            throw Failure(description: "\(path): \(table.rows.count) rows do not fit in a sheet (Excel holds \(maximumRows)); choose fewer")
        }
        func check(_ status: lxw_error, _ row: Int) throws {
            guard status == LXW_NO_ERROR else {
                throw Failure(description: "\(path): row \(row + 1) of '\(table.title)': \(String(cString: lxw_strerror(status)))")
            }
        }
        func text(_ value: String) -> String { value.count > maximumText ? String(value.prefix(maximumText - 1)) + "…" : value }
        var widths = table.headers.map(\.count)
        for (column, header) in table.headers.enumerated() {
            try check(worksheet_write_string(sheet, 0, lxw_col_t(column), text(header), formats.header), 0)
        }
        for (r, row) in table.rows.enumerated() {
            let at = lxw_row_t(r + 1)
            for (column, cell) in row.enumerated() {
                let c = lxw_col_t(column)
                switch cell {
                case .text(let value):
                    try check(worksheet_write_string(sheet, at, c, text(value), nil), r + 1)
                    if column < widths.count { widths[column] = max(widths[column], value.count) }
                case .number(let value, let decimals, let percent):
                    try check(worksheet_write_number(sheet, at, c, value, formats.number(decimals: decimals, percent: percent)), r + 1)
                    if column < widths.count { widths[column] = max(widths[column], 12) }
                case .empty:
                    break
                }
            }
        }
        for (column, width) in widths.enumerated() {
            worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), Double(min(max(width, 8), 60)) + 2, nil)
        }
        worksheet_freeze_panes(sheet, 1, 0)
        if let source = table.source {
            try check(worksheet_write_string(sheet, lxw_row_t(table.rows.count + 2), 0, text(source), formats.source), table.rows.count + 2)
        }
    }

    /// A sheet name Excel accepts, unique within the workbook (case-insensitively, as Excel compares).
    static func sheetName(_ title: String, taken: Set<String>) -> String {
        let forbidden = Set("[]:*?/\\")
        let cleaned = String(title.map { forbidden.contains($0) ? "-" : $0 }).trimmingCharacters(in: CharacterSet(charactersIn: "' "))
        let base = shortened(cleaned.isEmpty ? "Tabel" : cleaned, to: 31)
        var name = base
        var n = 2
        while taken.contains(name.lowercased()) {
            let suffix = " (\(n))"
            name = String(base.prefix(31 - suffix.count)) + suffix
            n += 1
        }
        return name
    }

    /// `text` in at most `limit` characters, cut at a word where one is near.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let cut = text.prefix(limit)
        guard let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) >= limit / 2 else { return String(cut) }
        return String(cut[..<space]).trimmingCharacters(in: CharacterSet(charactersIn: " ,.-—"))
    }

    /// The workbook's formats, made once each (libxlsxwriter owns them).
    private final class Formats {
        let workbook: UnsafeMutablePointer<lxw_workbook>
        let header: UnsafeMutablePointer<lxw_format>
        let source: UnsafeMutablePointer<lxw_format>
        private var numbers: [String: UnsafeMutablePointer<lxw_format>] = [:]

        init(_ workbook: UnsafeMutablePointer<lxw_workbook>) {
            self.workbook = workbook
            header = workbook_add_format(workbook)
            format_set_bold(header)
            format_set_bottom(header, UInt8(LXW_BORDER_THIN.rawValue))
            source = workbook_add_format(workbook)
            format_set_italic(source)
        }

        func number(decimals: Int, percent: Bool) -> UnsafeMutablePointer<lxw_format> {
            let code = Workbook.numberFormat(decimals: decimals, percent: percent)
            if let known = numbers[code] { return known }
            let format = workbook_add_format(workbook)!
            format_set_num_format(format, code)
            numbers[code] = format
            return format
        }
    }

    /// `#,##0`, `#,##0.0`, `#,##0.0" %"`: grouped thousands, the decimals asked for.
    static func numberFormat(decimals: Int, percent: Bool) -> String {
        let places = max(0, min(decimals, 6))
        return "#,##0" + (places > 0 ? "." + String(repeating: "0", count: places) : "") + (percent ? "\" %\"" : "")
    }
}
