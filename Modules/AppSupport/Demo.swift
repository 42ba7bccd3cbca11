import Foundation
import Reports

/// `beskplan demo`: a database with every demo feed and seed plan, every plan evaluated, and its
/// plan and follow-up reports rendered (Vesthimmerland's 2019 plan is its 2019 resultatmål, whose
/// follow-up is the status section of the 2020 plan).
public struct Demo: Sendable {
    public struct Row: Sendable {
        public let kommune: String
        public let year: Int
        public let goals: Int
        public let targets: Int
        public let statuses: [EvaluationStatus: Int]
        public let files: [String]
    }

    let environment: AppEnvironment
    let folder: URL
    let asOf: Day
    let pdf: Bool

    public init(environment: AppEnvironment, folder: URL, asOf: Day, pdf: Bool = false) {
        self.environment = environment
        self.folder = folder
        self.asOf = asOf
        self.pdf = pdf
    }

    public func run(progress: (String) -> Void) async throws -> [Row] {
        let importer = FileImporter(environment)
        let plans = PlanService(environment)
        for entry in environment.registry.entries {
            for feed in entry.plugin.demoFeeds {
                let summary = try await importer.importFile(feed.path)
                progress("imported \(feed.lastPathComponent): \(summary.result.observations) observations")
            }
            for plan in entry.plugin.bundledPlans {
                let info = try await plans.importPlan(path: plan.path, author: "beskplan demo")
                progress("stored \(plan.lastPathComponent) as version \(info.version)")
            }
        }
        let reports = ReportService(environment)
        var rows: [Row] = []
        for stored in try await environment.store.plans() {
            let area = environment.areas[stored.kommune]!
            let evaluations = try await plans.evaluate(try await plans.current(area, year: stored.year).plan, asOf: asOf)
            var files: [String] = []
            for kind in ReportKind.allCases {
                let document = try await reports.document(kind, kommune: area, year: stored.year, asOf: asOf)
                let formats: [ReportService.Format] = pdf ? [.html, .docx, .md, .pdf] : [.html, .docx, .md]
                for format in formats {
                    let name = "\(area.slug)-\(stored.year)-\(kind.rawValue).\(format.fileExtension)"
                    try ReportService.render(document, as: format).write(to: folder.appendingPathComponent(name))
                    files.append(name)
                }
            }
            progress("rendered \(area.name) \(stored.year): \(files.count) files")
            let plan = try await plans.current(area, year: stored.year).plan
            rows.append(Row(
                kommune: area.name, year: stored.year, goals: plan.goals.count, targets: plan.targets.count,
                statuses: Dictionary(grouping: evaluations, by: \.status).mapValues(\.count), files: files))
        }
        return rows
    }
}
