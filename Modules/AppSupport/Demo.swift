import Foundation
import Reports
import Storage

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
        /// Targets whose figures all come from public sources (fetchable with a key).
        public let publicTargets: Int
        /// Targets that read at least one of the kommune's own figures.
        public let localTargets: Int
        /// Targets with a status from figures or an assessment (not mangler data, not awaiting one).
        public let evaluated: Int
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

    /// Imports the real published data (`RealData`), every plugin's demo feeds and bundled
    /// plans (the demo, tests and benchmarks share it).
    /// `realData`: the real files to import (tests that need less take less: each file is
    /// thousands of rows on every test database).
    public static func loadBundledData(
        into environment: AppEnvironment, realData: [RealData.File] = RealData.files, progress: (String) -> Void = { _ in }
    ) async throws {
        let importer = FileImporter(environment)
        let plans = PlanService(environment)
        for file in realData {
            let mapping = try FileImporter.mapping(file.mapping, environment: environment)
            let summary = try await importer.importFile(file.url.path, mapping: mapping)
            progress("imported \(file.url.lastPathComponent) (\(file.source)): \(summary.result.observations) observations")
        }
        for entry in environment.registry.entries {
            for feed in entry.plugin.demoFeeds {
                let summary = try await importer.importFile(feed.path)
                progress("imported \(feed.lastPathComponent): \(summary.result.observations) observations")
            }
            for file in entry.plugin.bundledPlans {
                let plan = try plans.validate(path: file.path)
                guard let scope = environment.areas[plan.kommune].flatMap(KommuneScope.init) else { continue }
                if let stored = try await plans.current(scope, year: plan.year) {
                    progress("kept \(file.lastPathComponent): stored already as version \(stored.info.version)")
                    continue
                }
                // A seed adopted by its kommune is recorded as adopted, with the chain its file gives.
                let info = try await PlanWorkflow(environment).recordAdopted(plan, author: "beskplan demo")
                progress("stored \(file.lastPathComponent) as version \(info.version)")
            }
        }
    }

    public func run(progress: (String) -> Void) async throws -> [Row] {
        try await Self.loadBundledData(into: environment, progress: progress)
        let reports = ReportService(environment)
        var rows: [Row] = []
        for stored in try await environment.store.plans() {
            let area = environment.areas[stored.kommune]!
            // One load and evaluation serves the summary and both reports.
            let context = try await reports.context(kommune: area, year: stored.year, asOf: asOf)
            var files: [String] = []
            for kind in ReportKind.allCases {
                let document = try reports.document(kind, context: context)
                let formats: [ReportService.Format] = pdf ? [.html, .docx, .md, .pdf] : [.html, .docx, .md]
                for format in formats {
                    let name = "\(area.slug)-\(stored.year)-\(kind.rawValue).\(format.fileExtension)"
                    try ReportService.render(document, as: format).write(to: folder.appendingPathComponent(name))
                    files.append(name)
                }
            }
            progress("rendered \(area.name) \(stored.year): \(files.count) files")
            let evaluator = environment.registry.evaluator
            let kinds = context.plan.targets.map { environment.measures.sourceKinds(evaluator.measures(of: $0)) }
            rows.append(Row(
                kommune: area.name, year: stored.year, goals: context.plan.goals.count, targets: context.plan.targets.count,
                statuses: Dictionary(grouping: context.evaluations, by: \.status).mapValues(\.count),
                publicTargets: kinds.filter { $0 == [.published] }.count, localTargets: kinds.filter { $0.contains(.local) }.count,
                evaluated: context.evaluations.filter { $0.status != .manglerData && $0.status != .afventerVurdering }.count, files: files))
        }
        return rows
    }
}
