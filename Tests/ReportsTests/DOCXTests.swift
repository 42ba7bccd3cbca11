import AppSupport
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Reports
import Testing
import ZIPFoundation

@Suite("DOCX")
struct DOCXTests {
    static func parts(_ data: Data) throws -> [String: Data] {
        let archive = try Archive(data: data, accessMode: .read)
        var parts: [String: Data] = [:]
        for entry in archive {
            var content = Data()
            _ = try archive.extract(entry) { content.append($0) }
            parts[entry.path] = content
        }
        return parts
    }

    @Test("Every part is well-formed XML; heading styles, tables, page numbers and the charts are there")
    func structure() async throws {
        let env = try await DemoReports.environment()
        let document = try await DemoReports.document(env, "vesthimmerland", 2020, .plan)
        let parts = try Self.parts(try DOCXRenderer.render(document))
        for name in ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/footer1.xml", "word/_rels/document.xml.rels"] {
            #expect(parts[name] != nil, "missing \(name)")
        }
        for (name, data) in parts where name.hasSuffix(".xml") || name.hasSuffix(".rels") || name.hasSuffix(".svg") {
            let parser = XMLParser(data: data)
            #expect(parser.parse(), "\(name) is not well-formed: \(String(describing: parser.parserError))")
        }
        let styles = String(decoding: parts["word/styles.xml"]!, as: UTF8.self)
        for style in ["Heading1", "Heading2", "Heading3", "Title", "TOC1"] { #expect(styles.contains("w:styleId=\"\(style)\"")) }
        #expect(styles.contains("<w:outlineLvl w:val=\"0\"/>"))
        let body = String(decoding: parts["word/document.xml"]!, as: UTF8.self)
        #expect(body.contains("<w:tbl>"))
        #expect(body.contains("<w:tblHeader/>"))
        #expect(body.contains(" TOC \\o"))
        #expect(body.contains("Borgere i Vesthimmerland (16-66 år)"))
        #expect(String(decoding: parts["word/footer1.xml"]!, as: UTF8.self).contains(" PAGE "))
        #expect(parts.keys.contains("word/media/chart1.svg"))
    }

    @Test("LibreOffice opens the DOCX and converts it to PDF", .enabled(if: PDFConverter.available != nil, "no LibreOffice or Chromium: DOCX → PDF not checked"))
    func convertsToPDF() async throws {
        let env = try await DemoReports.environment()
        let document = try await DemoReports.document(env, "samsoe", 2024, .plan)
        let pdf = try ReportService.render(document, as: .pdf)
        #expect(pdf.starts(with: Data("%PDF".utf8)))
        #expect(pdf.count > 10_000)
    }
}
