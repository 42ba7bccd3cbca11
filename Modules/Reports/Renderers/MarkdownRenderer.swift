/// GitHub-flavoured Markdown. Charts become their caption, description and source (Markdown
/// viewers cannot be relied on to show inline SVG).
public enum MarkdownRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var out: [String] = []
        let t = document.titlePage
        out.append("# \(t.title)")
        out.append("**\(t.kommune)** · \(t.jobcenter) · \(t.status)")
        if !t.approvals.isEmpty { out.append("Godkendelse: " + t.approvals.joined(separator: " → ")) }
        out.append("_\(t.note)_")
        for block in document.blocks {
            switch block {
            case .heading(let h):
                out.append(String(repeating: "#", count: min(h.level + 1, 6)) + " " + h.text)
            case .paragraph(let text):
                out.append(escape(text))
            case .list(let items):
                out.append(items.map { "- " + escape($0) }.joined(separator: "\n"))
            case .table(let table):
                out.append(render(table))
            case .figure(let figure):
                out.append("**\(figure.caption)**\n\n\(figure.description)\n\n_\(figure.source)_")
            case .note(let text):
                out.append("_\(escape(text))_")
            case .contents:
                out.append(document.outline.map { String(repeating: "  ", count: $0.level - 1) + "- [\($0.text)](#\($0.anchor))" }.joined(separator: "\n"))
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    static func render(_ table: ReportTable) -> String {
        var lines: [String] = []
        if let caption = table.caption { lines.append("**\(caption)**\n") }
        func row(_ cells: [String]) -> String { "| " + cells.map(cell).joined(separator: " | ") + " |" }
        lines.append(row(table.header))
        lines.append("| " + table.header.indices.map { table.numeric.contains($0) ? "---:" : "---" }.joined(separator: " | ") + " |")
        lines += table.rows.map(row)
        if let total = table.total { lines.append(row(total.map { $0.isEmpty ? "" : "**\($0)**" })) }
        if let source = table.source { lines.append("\n_\(source)_") }
        return lines.joined(separator: "\n")
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func escape(_ text: String) -> String {
        // Only what would change the meaning at the start of a paragraph.
        if let first = text.first, "#>".contains(first) { return "\\" + text }
        return text
    }
}
