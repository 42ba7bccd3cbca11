import Evaluation
import Foundation
import Storage

/// A plan's evaluation as JSON: the one shape `beskplan evaluate --format json` prints and
/// `GET /api/v1/kommuner/{kommune}/plans/{year}/evaluation` answers (docs/evaluation.md). Keys
/// are sorted; a value that does not apply (`value`, `benchmark`, `unit`) is left out.
public struct EvaluationDocument: Codable, Sendable, Hashable {
    public struct Target: Codable, Sendable, Hashable {
        public var goal: String
        public var target: String
        public var follows: String
        public var rule: String
        public var status: EvaluationStatus
        /// The status in Danish words.
        public var statusText: String
        public var value: Double?
        public var benchmark: Double?
        public var unit: MeasureUnit?
        public var explanation: String
        public var missing: [String]
        public var figures: [Figure]
    }

    public struct Figure: Codable, Sendable, Hashable {
        public var measure: MeasureID
        public var area: String
        public var dimensions: [String: String]
        public var period: String
        public var value: Double
        public var observations: Int
        public var complete: Bool
    }

    public var kommune: String
    public var year: Int
    public var version: Int
    public var asOf: String
    public var targets: [Target]

    /// `year`: the year evaluated, which for a plan over several years need not be the one it is stored under.
    public init(_ info: PlanVersionInfo, year: Int? = nil, asOf: Day, _ evaluations: [TargetEvaluation]) {
        kommune = info.kommune.rawValue
        self.year = year ?? info.year
        version = info.version
        self.asOf = asOf.description
        targets = evaluations.map { e in
            Target(
                goal: e.goal, target: e.target, follows: e.follows, rule: e.rule, status: e.status, statusText: e.status.label,
                value: e.value, benchmark: e.benchmark, unit: e.unit, explanation: e.explanation, missing: e.missing,
                figures: e.figures.map {
                    Figure(
                        measure: $0.measure, area: $0.area.rawValue, dimensions: $0.dimensions, period: $0.period.description,
                        value: $0.value, observations: $0.observations, complete: $0.complete)
                })
        }
    }

    /// The document as the CLI prints it: sorted keys, indented.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
