/// A table as a spreadsheet holds it: a header row, rows of typed cells, and the line that says
/// where the figures come from. Numbers stay numbers (with their decimals as a display format),
/// periods and names are text, so that an analyst can go on computing in Excel.
public struct SheetTable: Sendable, Equatable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        /// A figure, shown with `decimals` decimals and thousands grouped; `percent` adds " %".
        case number(Double, decimals: Int, percent: Bool = false)
        case empty
    }

    /// The sheet's name (Excel allows 31 characters and none of `[]:*?/\`; it is cut to fit).
    public var title: String
    public var headers: [String]
    public var rows: [[Cell]]
    /// Under the table: `Kilde: …, data pr. …`.
    public var source: String?

    public init(title: String, headers: [String], rows: [[Cell]], source: String?) {
        self.title = title
        self.headers = headers
        self.rows = rows
        self.source = source
    }
}
