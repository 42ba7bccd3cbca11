import AppSupport
import Foundation
import Reports

/// The demo data in a database in memory, evaluated and reported at fixed dates so that the
/// output is the same on every run.
enum DemoReports {
    static let asOf = Day(year: 2026, month: 1, day: 15)
    static let generated = Day(year: 2026, month: 1, day: 15)

    static func environment() async throws -> AppEnvironment {
        let env = try await AppEnvironment.open(database: .memory)
        try await Demo.loadBundledData(into: env)
        try await Demo.storePlanUnderTodaysRules(env)
        return env
    }

    /// (kommune slug, year) of each seed kommune's latest plan.
    static let latest: [(String, Int)] = [
        ("jammerbugt", 2021), ("morsoe", 2021), ("norddjurs", 2024), ("samsoe", 2024), ("vesthimmerland", 2020),
    ]

    static func document(
        _ env: AppEnvironment, _ slug: String, _ year: Int, _ kind: ReportKind, asOf: Day = DemoReports.asOf
    ) async throws -> ReportDocument {
        try await ReportService(env).document(kind, kommune: try env.kommune(slug), year: year, asOf: asOf, generated: generated)
    }

    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
}
