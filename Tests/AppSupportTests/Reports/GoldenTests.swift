import AppSupport
import Foundation
import Reports
import Testing

/// Each seed kommune's plan and follow-up report, compared with the files in Golden/;
/// Vesthimmerland's 2019 follow-up with real statuses, after the year and in the middle of it;
/// and the demo's Norddjurs plan for 2026–2027, one report per year.
/// Record them again after an intended change with `tools/record-goldens` (never in `tools/test`).
@Suite("Golden reports")
struct GoldenTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let slug: String
        let year: Int
        let kind: ReportKind
        let format: String
        /// Evaluated as of this day instead of `DemoReports.asOf` (named in the file).
        var asOf: Day?

        var file: String {
            "\(slug)-\(year)-\(kind.rawValue)" + (asOf.map { "-asof-\($0)" } ?? "") + ".\(format)"
        }

        var testDescription: String { file }
    }

    static let cases: [Case] = DemoReports.latest.flatMap { slug, year in
        ReportKind.allCases.flatMap { kind in ["md", "html"].map { Case(slug: slug, year: year, kind: kind, format: $0) } }
    } + ["md", "html"].flatMap { format in
        [nil, Day(year: 2019, month: 8, day: 15)].map { Case(slug: "vesthimmerland", year: 2019, kind: .followup, format: format, asOf: $0) }
    } + ["md", "html"].flatMap { format in
        // The demo's plan under today's rules, over 2026–2027: each year's report.
        [2026, 2027].map { Case(slug: "norddjurs", year: $0, kind: .plan, format: format) }
    }

    @Test("Markdown and HTML match the golden files", arguments: cases)
    func golden(_ c: Case) async throws {
        let env = try await DemoReports.environment()
        let document = try await DemoReports.document(env, c.slug, c.year, c.kind, asOf: c.asOf ?? DemoReports.asOf)
        let output = c.format == "md" ? MarkdownRenderer.render(document) : HTMLRenderer.render(document)
        let file = DemoReports.goldenDirectory.appendingPathComponent(c.file)
        let expected = try? String(contentsOf: file, encoding: .utf8)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            // Recording: the file is rewritten, and the test still reports what changed, so a
            // recording run never passes unseen.
            try output.write(to: file, atomically: true, encoding: .utf8)
        }
        #expect(output == expected, "\(c.file) differs; record with tools/record-goldens and read git diff")
    }
}
