import Crypto
import Foundation
import Reports
import Storage

/// What was approved stays as approved: when a plan is approved, or a year's follow-up made
/// final, its report is rendered once as the public reads it and kept with the plan version,
/// the data-as-of day and a SHA-256. The public page and the API serve that document from then
/// on; a new render is a new document. `verify` renders it again from the same plan version and
/// day, and says whether the kept one is reproduced byte for byte.
public struct ApprovedReportService: Sendable {
    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    /// Renders and keeps the `kind` report of `stored` (a plan over several years: of each year
    /// `years` names) as of `asOf`.
    public func keep(_ kind: ReportKind, _ stored: StoredPlan, years: [Int], asOf: Day, author: String) async throws {
        for year in years {
            let generated = environment.clock.today
            let content = try await render(kind, stored.forYear(year), asOf: asOf, generated: generated)
            try await environment.store.saveApprovedReport(ApprovedReport(
                kommune: stored.plan.kommune, year: year, kind: kind.rawValue, planVersion: stored.info.version,
                asOf: asOf.description, generated: generated.description, format: "html", sha256: Self.sha256(content),
                content: content, author: author))
        }
    }

    /// The kept report of a kommune's plan year, if one was kept.
    public func kept(_ scope: KommuneScope, year: Int, kind: ReportKind) async throws -> ApprovedReport? {
        try await environment.store.approvedReport(kommune: scope.code, year: year, kind: kind.rawValue)
    }

    /// The kept report beside a new render from the same plan version, data-as-of day and
    /// making day.
    public struct Verification: Sendable {
        public let kept: ApprovedReport
        public let renderedSHA256: String
        /// The first line (from 1) where the new render differs; `nil` when it is the same.
        public let firstDifference: Int?
        public var reproduced: Bool { renderedSHA256 == kept.sha256 && firstDifference == nil }
    }

    public func verify(_ scope: KommuneScope, year: Int, kind: ReportKind) async throws -> Verification {
        guard let kept = try await kept(scope, year: year, kind: kind) else {
            throw Refusal(
                .noPlan, title: "Der er ingen gemt rapport",
                description: "\(scope.name) har ingen gemt rapport for \(kind == .plan ? "den godkendte plan" : "den endelige opfølgning") for \(year).")
        }
        guard let stored = try await PlanService(environment).version(scope, year: year, version: kept.planVersion),
            let asOf = Day(iso: kept.asOf), let generated = Day(iso: kept.generated)
        else {
            throw Refusal(
                .noPlan, title: "Planversionen findes ikke",
                description: "Version \(kept.planVersion) af \(scope.name)s plan for \(year) findes ikke længere i databasen.")
        }
        let content = try await render(kind, stored.forYear(year), asOf: asOf, generated: generated)
        let old = kept.content.split(separator: "\n", omittingEmptySubsequences: false)
        let new = content.split(separator: "\n", omittingEmptySubsequences: false)
        let differs = zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? (old.count == new.count ? nil : min(old.count, new.count))
        return Verification(kept: kept, renderedSHA256: Self.sha256(content), firstDifference: differs.map { $0 + 1 })
    }

    private func render(_ kind: ReportKind, _ stored: StoredPlan, asOf: Day, generated: Day) async throws -> String {
        let document = try await ReportService(environment).document(
            kind, kommune: try environment.kommune(stored.plan.kommune.rawValue), plan: stored, asOf: asOf, generated: generated, for: .public)
        return HTMLRenderer.render(document)
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
