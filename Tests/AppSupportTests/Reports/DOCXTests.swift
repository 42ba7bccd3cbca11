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

    @Test("Table columns are wide enough that no Danish word is split across lines (Vesthimmerland's Uddannelseshjælp)")
    func columnsFitWords() async throws {
        let env = try await DemoReports.environment()
        for (year, kind) in [(2020, ReportKind.plan), (2020, .followup), (2019, .plan)] {
            let document = try await DemoReports.document(env, "vesthimmerland", year, kind)
            let body = String(decoding: try Self.parts(try DOCXRenderer.render(document))["word/document.xml"]!, as: UTF8.self)
            var tables = 0
            for table in body.components(separatedBy: "<w:tbl>").dropFirst().map({ $0.components(separatedBy: "</w:tbl>")[0] }) {
                tables += 1
                let grid = Self.numbers(in: table, after: "<w:gridCol w:w=\"")
                let size = Self.numbers(in: table, after: "<w:sz w:val=\"").first ?? 18
                #expect(size >= 12, "the table is set smaller than 6 pt")
                #expect(grid.reduce(0, +) <= 9298, "the table is wider than the page")
                for row in table.components(separatedBy: "<w:tr>").dropFirst() {
                    for (column, cell) in row.components(separatedBy: "<w:tc>").dropFirst().enumerated() {
                        let text = Self.texts(in: cell.components(separatedBy: "</w:tc>")[0])
                        let longest = text.split(separator: " ").map(\.count).max() ?? 0
                        // Arial averages under 100 twips a character at 9 pt, bold included; cell margins take 216.
                        #expect(grid[column] >= longest * 100 * size / 18 + 216, "'\(text)' does not fit \(grid[column]) twips (\(year) \(kind))")
                    }
                }
            }
            #expect(tables > 0)
        }
    }

    static func numbers(in text: String, after marker: String) -> [Int] {
        text.components(separatedBy: marker).dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
    }

    static func texts(in cell: String) -> String {
        cell.components(separatedBy: "<w:t xml:space=\"preserve\">").dropFirst().map { String($0.prefix { $0 != "<" }) }.joined()
    }

    @Test(
        "LibreOffice converts the DOCX to a PDF with every page, heading and figure",
        .enabled(if: PDFConverter.find("soffice") != nil, "LibreOffice (soffice) is not installed: DOCX → PDF not checked"),
        .enabled(if: PDFConverter.find("pdftotext") != nil, "poppler-utils (pdftotext) is not installed: the PDF cannot be read back"))
    func convertsToPDF() async throws {
        let env = try await DemoReports.environment()
        let document = try await DemoReports.document(env, "samsoe", 2024, .plan)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-pdf-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("samsoe.pdf")
        // With LibreOffice installed the DOCX is what is converted (Chromium would print the HTML).
        try PDFConverter.convert(docx: try DOCXRenderer.render(document), html: "", to: pdf)
        let info = try Self.tool("pdfinfo", [pdf.path])
        let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") }
        #expect(pages == 11, "the plan with its labour-market section (AUK01, LBESK69, FOLK1AM): \(info)")
        let text = try Self.tool("pdftotext", ["-layout", pdf.path, "-"])
        #expect(text.contains("Beskæftigelsesplan 2024"))
        #expect(text.contains("Samsø-mål 6: Alle unge efter folkeskolen er på vej i uddannelse eller job"))
        #expect(text.contains("Udviklingen i jobcentrets målgrupper"))
        #expect(text.contains("Kilde: Danmarks Statistik, AUK01"))
        #expect(text.contains("Hele landet"))
        #expect(text.range(of: #"4\. kvartal 2023\s+4\s+1\.695\s+9\.039"#, options: .regularExpression) != nil, "the AUK01 table's last row")
    }

    /// Runs a command-line tool and returns its standard output.
    static func tool(_ name: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(PDFConverter.find(name)))
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
