import Foundation
import ZIPFoundation

/// Office Open XML (Word) through ZIPFoundation: real Heading styles (navigation pane, table of
/// contents), real tables, charts as embedded images, page numbers in the footer, a title page.
public enum DOCXRenderer {
    public static func render(_ document: ReportDocument, generated: Date = Date(timeIntervalSince1970: 0)) throws -> Data {
        var body = DOCXBody()
        body.titlePage(document.titlePage)
        for block in document.blocks { body.add(block, outline: document.outline) }
        let parts: [(String, Data)] = [
            ("[Content_Types].xml", Data(DOCXParts.contentTypes(images: body.images.count).utf8)),
            ("_rels/.rels", Data(DOCXParts.rootRelationships.utf8)),
            ("docProps/core.xml", Data(DOCXParts.core(title: document.title, subject: document.subtitle).utf8)),
            ("word/document.xml", Data(body.xml().utf8)),
            ("word/styles.xml", Data(DOCXParts.styles(primary: document.branding.primaryColor).utf8)),
            ("word/settings.xml", Data(DOCXParts.settings.utf8)),
            ("word/footer1.xml", Data(DOCXParts.footer(document.branding.kommuneName).utf8)),
            ("word/_rels/document.xml.rels", Data(DOCXParts.documentRelationships(images: body.images.count).utf8)),
        ] + body.images.enumerated().map { ("word/media/chart\($0.offset + 1).svg", Data($0.element.utf8)) }
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in parts {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: generated,
                compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }
}

/// The body of `word/document.xml`, paragraph by paragraph.
struct DOCXBody {
    private var parts: [String] = []
    private(set) var images: [String] = []

    mutating func titlePage(_ t: TitlePage) {
        parts.append(paragraph(t.kommune, style: "Subtitle"))
        parts.append(paragraph(t.title, style: "Title"))
        parts.append(paragraph(t.jobcenter, style: "Subtitle"))
        parts.append(paragraph(t.status, style: "Status"))
        for approval in t.approvals { parts.append(paragraph("Godkendelse: \(approval)", style: "Note")) }
        parts.append(paragraph(t.note, style: "Note"))
        parts.append("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>")
    }

    mutating func add(_ block: Block, outline: [(level: Int, text: String, anchor: String)]) {
        switch block {
        case .heading(let h):
            let level = min(h.level, 3)
            let breakBefore = h.pageBreak ? "<w:pageBreakBefore/>" : ""
            parts.append(
                "<w:p><w:pPr><w:pStyle w:val=\"Heading\(level)\"/>\(breakBefore)</w:pPr>"
                    + "<w:bookmarkStart w:id=\"\(parts.count)\" w:name=\"_\(x(h.anchor))\"/>\(run(h.text))"
                    + "<w:bookmarkEnd w:id=\"\(parts.count)\"/></w:p>")
        case .paragraph(let text):
            parts.append(paragraph(text))
        case .list(let items):
            for item in items { parts.append(paragraph("•\t" + item, style: "ListBullet")) }
        case .table(let table):
            if let caption = table.caption { parts.append(paragraph(caption, style: "Caption")) }
            parts.append(self.table(table))
            if let source = table.source { parts.append(paragraph(source, style: "Note")) }
        case .figure(let figure):
            images.append(figure.svg)
            parts.append(drawing(image: images.count, description: figure.description))
            parts.append(paragraph(figure.caption, style: "Caption"))
            parts.append(paragraph(figure.source, style: "Note"))
        case .note(let text):
            parts.append(paragraph(text, style: "Note"))
        case .contents:
            parts.append(paragraph("Indhold", style: "TOCHeading"))
            // A real TOC field (Word and LibreOffice can update it, with page numbers) whose
            // current result is the outline, so the list shows before any update.
            var field = "<w:p><w:pPr><w:pStyle w:val=\"TOC1\"/></w:pPr><w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>"
                + "<w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-2\" \\h \\z \\u </w:instrText></w:r>"
                + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
            for (i, entry) in outline.enumerated() {
                if i > 0 { field += "</w:p><w:p><w:pPr><w:pStyle w:val=\"TOC\(entry.level)\"/></w:pPr>" }
                field += run(entry.text)
            }
            field += "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
            parts.append(field)
        }
    }

    func xml() -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" \
        xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" \
        xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" \
        xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>\(parts.joined())\
        <w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="11906" w:h="16838"/>\
        <w:pgMar w:top="1440" w:right="1304" w:bottom="1440" w:left="1304" w:header="708" w:footer="708" w:gutter="0"/>\
        <w:titlePg/></w:sectPr></w:body></w:document>
        """
    }

    private func table(_ t: ReportTable) -> String {
        let layout = DOCXColumns.layout(t)
        let widths = layout.widths
        let size = layout.size == DOCXColumns.standardSize ? "" : "<w:sz w:val=\"\(layout.size)\"/>"
        func row(_ cells: [String], header: Bool = false, bold: Bool = false) -> String {
            let props = header ? "<w:trPr><w:tblHeader/></w:trPr>" : ""
            return "<w:tr>\(props)" + cells.enumerated().map { i, text in
                let align = t.numeric.contains(i) ? "<w:jc w:val=\"right\"/>" : ""
                let shade = header ? "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"D9E2F3\"/>" : ""
                return "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[min(i, widths.count - 1)])\" w:type=\"dxa\"/>\(shade)</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/>\(align)</w:pPr>\(run(text, bold: header || bold, size: size))</w:p></w:tc>"
            }.joined() + "</w:tr>"
        }
        return "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/>"
            + "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
            + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
            + row(t.header, header: true) + t.rows.map { row($0) }.joined()
            + (t.total.map { row($0, bold: true) } ?? "") + "</w:tbl>"
    }

    private func drawing(image: Int, description: String) -> String {
        // 640 × 320 px at 9525 EMU per pixel, scaled to 16 × 8 cm.
        let cx = 5_760_000, cy = 2_880_000
        return """
            <w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">\
            <wp:extent cx="\(cx)" cy="\(cy)"/><wp:docPr id="\(image)" name="Figur \(image)" descr="\(x(description))"/>\
            <a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">\
            <pic:pic><pic:nvPicPr><pic:cNvPr id="\(image)" name="chart\(image).svg"/><pic:cNvPicPr/></pic:nvPicPr>\
            <pic:blipFill><a:blip r:embed="rIdImage\(image)"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
            <pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="\(cx)" cy="\(cy)"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>\
            </pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
            """
    }

    private func paragraph(_ text: String, style: String? = nil) -> String {
        let props = style.map { "<w:pPr><w:pStyle w:val=\"\($0)\"/></w:pPr>" } ?? ""
        return "<w:p>\(props)\(run(text))</w:p>"
    }

    /// A run of text; `size` is an extra run property (`<w:sz …/>`) or empty.
    private func run(_ text: String, bold: Bool = false, size: String = "") -> String {
        let props = bold || !size.isEmpty ? "<w:rPr>\(bold ? "<w:b/>" : "")\(size)</w:rPr>" : ""
        let pieces = text.components(separatedBy: "\t").map { "<w:t xml:space=\"preserve\">\(x($0))</w:t>" }
        return "<w:r>\(props)" + pieces.joined(separator: "<w:tab/>") + "</w:r>"
    }
}

/// Escapes text for XML, HTML and SVG alike.
func x(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
