import AppSupport
import ArgumentParser
import Storage

/// `beskplan assess`: a hand assessment of a target (milestones).
struct AssessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess", abstract: "Record a hand assessment of a target (status, note, date, author).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var ref: PlanCommand.PlanRef

    @Argument(help: "Target id as in the plan (e.g. K1).")
    var target: String

    @Option(help: ArgumentHelp(
        "The assessment: \(AssessmentService.statuses.map(\.rawValue).joined(separator: ", ")).",
        valueName: "status"))
    var status: String

    @Option(help: "What was done, and the evidence.")
    var note: String

    @Option(help: "Date of the assessment (YYYY-MM-DD). Default: today.")
    var date: String?

    @Option(help: "Who assessed. Default: $USER.")
    var author: String?

    func run() async throws {
        let env = try await database.environment()
        let scope = try env.scope(ref.kommune)
        // Checked as the API and the target page check a note: the target in the plan, a note, a date.
        let assessment = try await AssessmentService(env).record(
            .init(target: target, status: status, note: note, date: date), scope: scope, year: ref.year,
            author: author ?? ImportOrigin.defaultActor)
        print("\(scope.name) \(ref.year) \(target): \(assessment.status.label) (\(assessment.date), \(assessment.author))")
    }
}
