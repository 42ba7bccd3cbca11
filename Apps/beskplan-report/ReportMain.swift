import AppSupport
import ArgumentParser
import Foundation
import Reports

/// `beskplan-report`: renders a kommune's plan or follow-up report.
@main
struct BeskplanReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beskplan-report",
        abstract: "Render a kommune's plan or follow-up report (HTML, Markdown, DOCX, PDF), or its tables to Excel (XLSX).",
        discussion: "KOMMUNE is a code (741), a slug (samsoe) or a name (Samsø). PDF needs LibreOffice or Chromium.")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case plan, followup }
    enum Format: String, ExpressibleByArgument, CaseIterable { case html, md, docx, pdf, xlsx }

    @Argument(help: "The kommune.")
    var kommune: String

    @Argument(help: "The plan year.")
    var year: Int

    @Option(help: "plan or followup.")
    var kind: Kind = .plan

    @Option(help: "html, md, docx, pdf, or xlsx (the report's tables as an Excel workbook).")
    var format: Format = .html

    @Option(help: "Output file. Default: <slug>-<year>-<kind>.<format>.")
    var out: String?

    @Option(help: "Evaluate as of this date (YYYY-MM-DD). Default: today.")
    var asOf: String?

    @Option(help: "SQLite file. Default: $BESKPLAN_DB, else ./beskplan.sqlite.")
    var db: String?

    func run() async throws {
        let env = try await AppEnvironment.open(database: .resolve(option: db))
        let area = try env.kommune(kommune)
        let day = try asOf.map { try DateInput.day($0, name: "--as-of") } ?? env.clock.today
        let document = try await ReportService(env).document(
            ReportKind(rawValue: kind.rawValue)!, kommune: area, year: year, asOf: day)
        let data = try ReportService.render(document, as: ReportService.Format(rawValue: format.rawValue)!)
        let path = out ?? "\(area.slug)-\(year)-\(kind.rawValue).\(format.rawValue)"
        try data.write(to: URL(fileURLWithPath: path))
        print("\(path): \(document.title), \(area.name) (\(data.count) bytes)")
    }
}
