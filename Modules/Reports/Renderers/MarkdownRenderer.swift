/// GitHub-flavoured Markdown. Charts become their caption, description and source (Markdown
/// viewers cannot be relied on to show inline SVG). Every text from a plan or a note is escaped
/// (`text(_:)`): Markdown is often turned into HTML by whoever opens it, so a `<script>` or a
/// `[link](javascript:…)` in a plan must arrive as the characters it is.
public enum MarkdownRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var out: [String] = []
        let t = document.titlePage
        out.append("# \(text(t.title))")
        out.append("**\(text(t.kommune))** · \(text(t.jobcenter)) · \(text(t.status))")
        if !t.approvals.isEmpty { out.append("Godkendelse: " + t.approvals.map(text).joined(separator: " → ")) }
        out.append("_\(text(t.note))_")
        for block in document.blocks {
            switch block {
            case .heading(let h):
                out.append(String(repeating: "#", count: min(h.level + 1, 6)) + " " + text(h.text))
            case .paragraph(let paragraph):
                out.append(text(paragraph))
            case .list(let items):
                out.append(items.map { "- " + text($0) }.joined(separator: "\n"))
            case .table(let table):
                out.append(render(table))
            case .figure(let figure):
                out.append("**\(text(figure.caption))**\n\n\(text(figure.description))\n\n_\(text(figure.source))_")
            case .note(let note):
                out.append("_\(text(note))_")
            case .contents:
                out.append(document.outline.map { String(repeating: "  ", count: $0.level - 1) + "- [\(text($0.text))](#\($0.anchor))" }.joined(separator: "\n"))
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    static func render(_ table: ReportTable) -> String {
        var lines: [String] = []
        if let caption = table.caption { lines.append("**\(text(caption))**\n") }
        func row(_ cells: [String]) -> String { "| " + cells.map(cell).joined(separator: " | ") + " |" }
        lines.append(row(table.header))
        lines.append("| " + table.header.indices.map { table.numeric.contains($0) ? "---:" : "---" }.joined(separator: " | ") + " |")
        lines += table.rows.map(row)
        if let total = table.total { lines.append(row(total.map { $0.isEmpty ? "" : "**\($0)**" })) }
        if let source = table.source { lines.append("\n_\(text(source))_") }
        return lines.joined(separator: "\n")
    }

    static func cell(_ cell: String) -> String {
        text(cell).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Text as it reads: no HTML (`<` and `>` as entities), no links (brackets and backslashes
    /// escaped), and no heading where a paragraph starts with `#`.
    static func text(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\\": escaped += "\\\\"
            case "[": escaped += "\\["
            case "]": escaped += "\\]"
            default: escaped.append(character)
            }
        }
        if escaped.first == "#" { return "\\" + escaped }
        return escaped
    }
}
