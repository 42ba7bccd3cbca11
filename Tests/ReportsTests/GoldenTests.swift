import AppSupport
import Foundation
import Reports
import Testing

/// Each seed kommune's plan and follow-up report, compared with the files in Golden/.
/// Regenerate after an intended change with `UPDATE_GOLDEN=1 swift test --filter GoldenTests`.
@Suite("Golden reports")
struct GoldenTests {
    static let cases: [(String, Int, ReportKind, String)] = DemoReports.latest.flatMap { slug, year in
        ReportKind.allCases.flatMap { kind in ["md", "html"].map { (slug, year, kind, $0) } }
    }

    @Test("Markdown and HTML match the golden files", arguments: cases)
    func golden(slug: String, year: Int, kind: ReportKind, format: String) async throws {
        let env = try await DemoReports.environment()
        let document = try await DemoReports.document(env, slug, year, kind)
        let output = format == "md" ? MarkdownRenderer.render(document) : HTMLRenderer.render(document)
        let file = DemoReports.goldenDirectory.appendingPathComponent("\(slug)-\(year)-\(kind.rawValue).\(format)")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try output.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(output == expected, "\(file.lastPathComponent) differs; see the diff with UPDATE_GOLDEN=1 and git diff")
    }
}
