import AppSupport
import ArgumentParser
import Evaluation
import Foundation
import Spreadsheet

/// `beskplan evaluate`: every target of a plan against the stored figures.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate every target of a stored plan: figure, benchmark, status and a Danish explanation.",
        discussion: "The JSON format is described in docs/evaluation.md.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var ref: PlanCommand.PlanRef

    @Option(help: "Only data of periods over by this date (YYYY-MM-DD) counts. Default: today.")
    var asOf: String?

    @Option(help: "Output format: table, json, markdown or xlsx (an Excel workbook; see --out).")
    var format: FigureFormat = .table

    @OptionGroup var workbook: WorkbookOutput

    @Flag(help: "Also project each target whose period is running to the period's end (prognose), with the status that gives.")
    var forecast = false

    func run() async throws {
        let env = try await database.environment()
        let day = try AsOf.day(asOf, clock: env.clock)
        let service = PlanService(env)
        let stored = try await service.require(try env.scope(ref.kommune), year: ref.year).forYear(ref.year)
        let evaluations = try await service.evaluate(stored.plan, asOf: day, for: .members)
        if forecast {
            guard [.table, .markdown].contains(format) else { throw UserError("--forecast is shown in the table and markdown formats") }
            print(try EvaluationListing(evaluations).render(format.listing ?? .table))
            let forecasts = try await ForecastService(env).forecasts(stored.plan, asOf: day)
            print("\nPrognoser pr. \(day.danishText) (fremskrivninger, ikke tal):")
            print(forecasts.isEmpty
                ? "Ingen mål har en løbende periode med tal at fremskrive."
                : forecasts.map { "\($0.target): \($0.status.label) — \($0.explanation)" }.joined(separator: "\n"))
            return
        }
        switch format {
        case .json: print(try EvaluationDocument(stored.info, year: ref.year, asOf: day, evaluations).json())
        case .xlsx:
            let kommune = env.areas[stored.plan.kommune]?.name ?? stored.plan.kommune.rawValue
            try workbook.write([FigureTables.evaluation(evaluations, kommune: kommune, year: stored.plan.year, asOf: day)])
        case .table, .markdown, .csv: print(try EvaluationListing(evaluations).render(format.listing ?? .table))
        }
    }
}

/// Evaluations as a terminal table (the JSON is `EvaluationDocument`'s, as the API's).
struct EvaluationListing {
    let evaluations: [TargetEvaluation]

    init(_ evaluations: [TargetEvaluation]) { self.evaluations = evaluations }

    func render(_ format: OutputFormat) throws -> String {
        let rows = evaluations.map { e in
            [
                e.target, e.value.map { Self.number($0, e.unit) } ?? "–", e.benchmark.map { Self.number($0, e.unit) } ?? "–",
                e.status.label, e.explanation,
            ]
        }
        return try Listing(headers: ["target", "figure", "benchmark", "status", "explanation"], rows: rows, rightAligned: [1, 2])
            .render(format)
    }

    static func number(_ value: Double, _ unit: MeasureUnit?) -> String {
        unit.map { DanishNumber.format(value, unit: $0) } ?? DanishNumber.format(value, decimals: 1)
    }
}
