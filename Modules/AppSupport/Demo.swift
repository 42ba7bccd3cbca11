import Foundation
import PlanFormat
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

    /// The kommune, years and seed of the demo's plan under today's rules.
    static let todaysRules = (kommune: AreaCode("707"), from: 2024, year: 2026, through: 2027)

    /// A plan for 2026–2027 made by the demo, not by a kommune: Norddjurs' 2024 plan carried
    /// forward, with what the rules forced made and listed, and the 75 % rule's goal for 2027.
    /// It says in its title and first section who made it.
    public static func storePlanUnderTodaysRules(_ environment: AppEnvironment, progress: (String) -> Void = { _ in }) async throws {
        let (code, from, year, through) = todaysRules
        guard let scope = environment.areas[code].flatMap(KommuneScope.init) else { return }
        let plans = PlanService(environment)
        guard try await environment.store.currentPlan(kommune: code, year: year) == nil,
            let seed = try await plans.current(scope, year: from)
        else { return }
        let carried = PlanCarryForward.carry(
            from: seed.plan, year: from, to: year, through: through, ministermaal: environment.ministermaal)
        var plan = carried.plan
        plan.title = "Beskæftigelsesplan \(plan.periodLabel) (lavet af beskplans demo)"
        var rule = SeventyFivePercent.goal(year: through)
        rule.targets = rule.targets.map { var t = $0; t.year = through; return t }
        plan.goals.append(rule)
        let changes = carried.changes.map(\.description) + [
            "Tilføjet af demoen: mål 75 for 75 %-reglen i \(through) (kommunens egne tal; ingen offentlig tabel har dem).",
        ]
        plan.sections.insert(Section(
            id: "demo", title: "Om denne plan",
            text: "Denne plan er lavet af beskplans demo og er ikke vedtaget af \(scope.name) Kommune. Den er kommunens plan "
                + "for \(from) ført videre til \(plan.periodLabel) efter de regler, der gælder nu; mål og tal er fra \(from)-planen "
                + "med perioderne flyttet. Det, reglerne ændrede, og det, en analytiker skal tage stilling til:\n\n"
                + changes.map { "- \($0)" }.joined(separator: "\n")),
            at: 0)
        let info = try await plans.save(plan, expecting: 0, author: "beskplan demo")
        progress("stored the demo's plan for \(scope.name) \(plan.periodLabel) as version \(info.version) (\(carried.changes.count) forced changes)")
    }

    public func run(progress: (String) -> Void) async throws -> [Row] {
        try await Self.loadBundledData(into: environment, progress: progress)
        try await Self.storePlanUnderTodaysRules(environment, progress: progress)
        let reports = ReportService(environment)
        var rows: [Row] = []
        var years: [(kommune: AreaCode, year: Int)] = []
        for info in try await environment.store.plans() {
            let period = try await environment.store.currentPlan(kommune: info.kommune, year: info.year)?.plan.years
            years += (period ?? info.year...info.year).map { (info.kommune, $0) }
        }
        for stored in years {
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
