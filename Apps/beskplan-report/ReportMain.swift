import AppSupport
import ArgumentParser

/// `beskplan-report`: renders a kommune's plan or follow-up report.
@main
struct BeskplanReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beskplan-report",
        abstract: "Render a kommune's plan or follow-up report (HTML, Markdown, DOCX, PDF).",
        discussion: "KOMMUNE is a code (741), a slug (samsoe) or a name (Samsø).")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case plan, followup }
    enum Format: String, ExpressibleByArgument, CaseIterable { case html, md, docx, pdf }

    @Argument(help: "The kommune.")
    var kommune: String

    @Argument(help: "The plan year.")
    var year: Int

    @Option(help: "plan or followup.")
    var kind: Kind = .plan

    @Option(help: "html, md, docx or pdf.")
    var format: Format = .html

    @Option(help: "Output file. Default: <slug>-<year>-<kind>.<format>.")
    var out: String?

    @Option(help: "SQLite file. Default: $BESKPLAN_DB, else ./beskplan.sqlite.")
    var db: String?

    func run() async throws {
        let env = try await AppEnvironment.open(database: .resolve(option: db))
        let area = try env.kommune(kommune)
        guard let stored = try await env.store.currentPlan(kommune: area.code, year: year) else {
            throw ValidationError("no plan for \(area.name) \(year) in \(env.database); import one first")
        }
        print("beskplan-report: \(stored.plan.title), version \(stored.info.version).")
        print("beskplan-report: this build cannot render reports yet; no file was written.")
        throw ExitCode(2)
    }
}
