import AppSupport
import ArgumentParser

/// `beskplan assess`: a hand assessment of a target (milestones).
struct AssessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess", abstract: "Record a hand assessment of a target (status, note, date, author).")

    enum Status: String, ExpressibleByArgument, CaseIterable {
        case opfyldt, paa_vej, i_risiko, ikke_opfyldt, vurderet
    }

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var ref: PlanCommand.PlanRef

    @Argument(help: "Target id as in the plan (e.g. K1).")
    var target: String

    @Option(help: "opfyldt, paa_vej, i_risiko, ikke_opfyldt or vurderet.")
    var status: Status

    @Option(help: "What was done, and the evidence.")
    var note: String

    @Option(help: "Date of the assessment (YYYY-MM-DD). Default: today.")
    var date: String?

    @Option(help: "Who assessed. Default: $USER.")
    var author: String?

    func run() async throws {
        let env = try await database.environment()
        let area = try env.kommune(ref.kommune)
        let stored = try await PlanService(env).current(area, year: ref.year)
        guard stored.plan.targets.contains(where: { $0.id == target }) else {
            let ids = stored.plan.targets.map(\.id)
            let hint = DanishText.closest(to: target, among: ids).map { "; did you mean '\($0)'?" } ?? ""
            throw UserError("\(area.name) \(ref.year) has no target '\(target)'\(hint)")
        }
        if let date, Day(iso: date) == nil { throw UserError("--date '\(date)': expected YYYY-MM-DD") }
        let assessment = Assessment(
            kommune: area.code, year: ref.year, target: target, status: EvaluationStatus(rawValue: status.rawValue)!,
            note: note, date: date ?? PlanService.today.description, author: author ?? ImportOrigin.defaultActor)
        try await env.store.saveAssessment(assessment)
        print("\(area.name) \(ref.year) \(target): \(assessment.status.label) (\(assessment.date), \(assessment.author))")
    }
}
