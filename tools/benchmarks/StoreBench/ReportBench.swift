import AppSupport
import Foundation
import Reports

/// `beskplan-bench reports FEED`: the five seed plans in every format but PDF, and 98 template
/// plans over the SYNTHETIC feed to HTML.
func reportBench(feed: String) async throws {
    let clock = ContinuousClock()
    let asOf = Day(year: 2026, month: 1, day: 15)

    // The five seed kommuner, plan and follow-up, HTML + Markdown + DOCX.
    let env = try await AppEnvironment.open(database: .memory)
    try await Demo.loadBundledData(into: env)
    let seeds: [(AreaCode, Int)] = [("849", 2021), ("773", 2021), ("707", 2024), ("741", 2024), ("820", 2020)]
    var files = 0
    var bytes = 0
    let five = try await clock.measure {
        for (code, year) in seeds {
            for kind in ReportKind.allCases {
                let document = try await ReportService(env).document(kind, kommune: env.areas[code]!, year: year, asOf: asOf)
                for format in [ReportService.Format.html, .md, .docx] {
                    bytes += try ReportService.render(document, as: format).count
                    files += 1
                }
            }
        }
    }
    print("five seed plans: \(files) files, \(bytes / 1024) KB, \(five)")

    // 98 template plans over the synthetic national feed, plan report as HTML.
    let national = try await AppEnvironment.open(database: .memory)
    _ = try await FileImporter(national).importFile(feed)
    for kommune in AreaCatalog.standard.kommuner {
        try await PlanService(national).save(templatePlan(kommune.code), expecting: 0, author: "bench")
    }
    var htmlBytes = 0
    let all = try await clock.measure {
        for kommune in AreaCatalog.standard.kommuner {
            let document = try await ReportService(national).document(.plan, kommune: kommune, year: 2024, asOf: asOf)
            htmlBytes += try ReportService.render(document, as: .html).count
        }
    }
    print("98 template plans to HTML: \(htmlBytes / 1024) KB, \(all)")
}
