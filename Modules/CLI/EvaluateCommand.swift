import AppSupport
import ArgumentParser
import Foundation

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

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        let env = try await database.environment()
        let day = try AsOf.day(asOf)
        let service = PlanService(env)
        let stored = try await service.current(try env.kommune(ref.kommune), year: ref.year)
        let evaluations = try await service.evaluate(stored.plan, asOf: day)
        print(try EvaluationListing(evaluations).render(format))
    }
}

/// Evaluations as a terminal table or the stable JSON of docs/evaluation.md.
struct EvaluationListing {
    let evaluations: [TargetEvaluation]

    init(_ evaluations: [TargetEvaluation]) { self.evaluations = evaluations }

    func render(_ format: OutputFormat) throws -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(evaluations.map(EvaluationJSON.init)), as: UTF8.self)
        case .table, .markdown, .csv:
            let rows = evaluations.map { e in
                [
                    e.target, e.value.map { Self.number($0, e.unit) } ?? "–", e.benchmark.map { Self.number($0, e.unit) } ?? "–",
                    e.status.label, e.explanation,
                ]
            }
            return try Listing(headers: ["target", "figure", "benchmark", "status", "explanation"], rows: rows, rightAligned: [1, 2])
                .render(format)
        }
    }

    static func number(_ value: Double, _ unit: MeasureUnit?) -> String {
        unit.map { DanishNumber.format(value, unit: $0) } ?? DanishNumber.format(value, decimals: 1)
    }
}

/// The stable JSON shape of one evaluation (docs/evaluation.md).
struct EvaluationJSON: Encodable {
    let kommune: String
    let year: Int
    let goal: String
    let target: String
    let follows: String
    let rule: String
    let status: String
    let value: Double?
    let benchmark: Double?
    let unit: String?
    let explanation: String
    let missing: [String]
    let figures: [FigureJSON]

    struct FigureJSON: Encodable {
        let measure: String
        let area: String
        let dimensions: [String: String]
        let period: String
        let value: Double
        let observations: Int
        let complete: Bool
    }

    init(_ e: TargetEvaluation) {
        kommune = e.kommune.rawValue
        year = e.year
        goal = e.goal
        target = e.target
        follows = e.follows
        rule = e.rule
        status = e.status.rawValue
        value = e.value
        benchmark = e.benchmark
        unit = e.unit?.rawValue
        explanation = e.explanation
        missing = e.missing
        figures = e.figures.map {
            FigureJSON(
                measure: $0.measure, area: $0.area.rawValue, dimensions: $0.dimensions, period: $0.period.description,
                value: $0.value, observations: $0.observations, complete: $0.complete)
        }
    }

    func encode(to encoder: any Encoder) throws {
        // Explicit nulls: every key is always present, so scripts can rely on the shape.
        enum K: String, CodingKey {
            case kommune, year, goal, target, follows, rule, status, value, benchmark, unit, explanation, missing, figures
        }
        var c = encoder.container(keyedBy: K.self)
        try c.encode(kommune, forKey: .kommune)
        try c.encode(year, forKey: .year)
        try c.encode(goal, forKey: .goal)
        try c.encode(target, forKey: .target)
        try c.encode(follows, forKey: .follows)
        try c.encode(rule, forKey: .rule)
        try c.encode(status, forKey: .status)
        try c.encode(value, forKey: .value)
        try c.encode(benchmark, forKey: .benchmark)
        try c.encode(unit, forKey: .unit)
        try c.encode(explanation, forKey: .explanation)
        try c.encode(missing, forKey: .missing)
        try c.encode(figures, forKey: .figures)
    }
}
