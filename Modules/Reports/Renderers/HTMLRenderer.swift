/// One self-contained HTML file: inline CSS and SVG, no external requests; readable on a phone,
/// printable (goal sections start on a new page), `lang="da"`, status shown as a word.
public enum HTMLRenderer {
    public static func render(_ document: ReportDocument) -> String {
        let b = document.branding
        let t = document.titlePage
        var body = """
            <header class="title-page">
            <p class="kommune">\(e(t.kommune))</p>
            <h1>\(e(t.title))</h1>
            <p class="jobcenter">\(e(t.jobcenter))\(b.slogan.map { " · <em>\(e($0))</em>" } ?? "")</p>
            <p class="status status-\(e(t.status.lowercased()))">\(e(t.status))</p>
            \(t.approvals.isEmpty ? "" : "<p class=\"approvals\">Godkendelse: " + t.approvals.map(e).joined(separator: " → ") + "</p>")
            <p class="note">\(e(t.note))</p>
            </header>
            <main>

            """
        for block in document.blocks {
            body += render(block, document) + "\n"
        }
        body += "</main>\n"
        return """
            <!DOCTYPE html>
            <html lang="da">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(document.title)) — \(e(t.kommune))</title>
            <style>\(css(b))</style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    static func render(_ block: Block, _ document: ReportDocument) -> String {
        switch block {
        case .heading(let h):
            let level = min(h.level + 1, 6)
            let cls = h.pageBreak ? " class=\"page-break\"" : ""
            return "<h\(level) id=\"\(e(h.anchor))\"\(cls)>\(e(h.text))</h\(level)>"
        case .paragraph(let text):
            return "<p>\(e(text))</p>"
        case .list(let items):
            return "<ul>" + items.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        case .table(let table):
            return render(table)
        case .figure(let figure):
            return """
                <figure role="group" aria-label="\(e(figure.caption))">
                <div class="chart" aria-hidden="true">\(figure.svg)</div>
                <p class="visually-hidden">\(e(figure.description))</p>
                <figcaption>\(e(figure.caption)) <span class="source">\(e(figure.source))</span></figcaption>
                </figure>
                """
        case .note(let text):
            return "<p class=\"small\">\(e(text))</p>"
        case .contents:
            let items = document.outline.map { "<li class=\"toc-\($0.level)\"><a href=\"#\(e($0.anchor))\">\(e($0.text))</a></li>" }
            return "<nav aria-label=\"Indhold\"><h2>Indhold</h2><ol>" + items.joined() + "</ol></nav>"
        }
    }

    static func render(_ table: ReportTable) -> String {
        func cells(_ row: [String], tag: String, scopeFirst: Bool) -> String {
            row.enumerated().map { i, text in
                let cls = table.numeric.contains(i) ? " class=\"num\"" : ""
                if scopeFirst && i == 0 { return "<th scope=\"row\"\(cls)>\(e(text))</th>" }
                let scope = tag == "th" ? " scope=\"col\"" : ""
                return "<\(tag)\(scope)\(cls)>\(e(text))</\(tag)>"
            }.joined()
        }
        var html = "<div class=\"table-wrap\"><table>"
        if let caption = table.caption { html += "<caption>\(e(caption))</caption>" }
        html += "<thead><tr>" + cells(table.header, tag: "th", scopeFirst: false) + "</tr></thead><tbody>"
        html += table.rows.map { "<tr>" + cells($0, tag: "td", scopeFirst: true) + "</tr>" }.joined()
        html += "</tbody>"
        if let total = table.total { html += "<tfoot><tr class=\"total\">" + cells(total, tag: "td", scopeFirst: true) + "</tr></tfoot>" }
        html += "</table></div>"
        if let source = table.source { html += "<p class=\"small\">\(e(source))</p>" }
        return html
    }

    static func css(_ b: ReportBranding) -> String {
        """
        :root{--primary:\(b.primaryColor);--accent:\(b.accentColor)}
        body{font-family:Georgia,'Times New Roman',serif;color:#222;max-width:50rem;margin:0 auto;padding:1rem;line-height:1.5}
        h1,h2,h3,h4{font-family:Helvetica,Arial,sans-serif;color:var(--primary);line-height:1.25}
        .title-page{border-top:.6rem solid var(--primary);padding:2rem 0 1rem;margin-bottom:2rem}
        .title-page .kommune{font:600 1.1rem Helvetica,Arial,sans-serif;color:var(--primary);margin:0}
        .title-page h1{font-size:2.2rem;margin:.3rem 0}
        .status{display:inline-block;border:2px solid var(--accent);padding:.1rem .6rem;font:600 .9rem Helvetica,Arial,sans-serif}
        .note,.small,.source{font-size:.85rem;color:#555}
        .table-wrap{overflow-x:auto}
        table{border-collapse:collapse;width:100%;margin:1rem 0;font:.9rem Helvetica,Arial,sans-serif}
        caption{text-align:left;font-weight:600;padding:.3rem 0}
        th,td{border-bottom:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
        thead th{background:var(--primary);color:#fff}
        .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        tr.total td,tr.total th{font-weight:700;border-top:2px solid #333}
        figure{margin:1.5rem 0}
        .chart svg{max-width:100%;height:auto}
        figcaption{font:.9rem Helvetica,Arial,sans-serif}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        nav ol{list-style:none;padding-left:0}.toc-2{padding-left:1.2rem}
        a{color:var(--primary)}
        @media print{body{max-width:none;font-size:11pt}.page-break{break-before:page}a{color:inherit;text-decoration:none}
        thead{display:table-header-group}tr,figure{break-inside:avoid}}
        """
    }

    static func e(_ s: String) -> String { x(s) }
}
