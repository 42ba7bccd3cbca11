import AppSupport
import Foundation
import Reports
import Testing

/// What was approved stays as approved (issue 26, part 5).
struct ApprovedReportTests {
    @Test("Approval keeps each year's plan report with its version, day and hash; verify reproduces it, until the data changes")
    func keptAndVerified() async throws {
        let env = try await DemoReports.environment()
        let scope = try #require(KommuneScope(try env.kommune("norddjurs")))
        let service = ApprovedReportService(env)
        #expect(try await service.kept(scope, year: 2026, kind: .plan) == nil, "nothing is kept before approval")
        let draft = try await PlanService(env).require(scope, year: 2026)
        let info = try await PlanWorkflow(env).approve(draft, body: nil, date: Day(year: 2026, month: 12, day: 1), author: "udvalg")

        for year in [2026, 2027] {
            let kept = try #require(try await service.kept(scope, year: year, kind: .plan), "the plan's \(year) is kept")
            #expect(kept.planVersion == info.version && kept.asOf == env.clock.today.description && kept.author == "udvalg")
            #expect(kept.content.contains("<h1") && kept.content.contains("Beskæftigelsesplan 2026–2027"))
            #expect(kept.content.contains("Mål for beskæftigelsesindsatsen i \(year)"))
            #expect(kept.sha256.count == 64 && kept.sha256.allSatisfy(\.isHexDigit))
            let verification = try await service.verify(scope, year: year, kind: .plan)
            #expect(verification.reproduced && verification.renderedSHA256 == kept.sha256)
        }
        #expect(try await AuditService(env).log(limit: 20).contains { $0.action == "report.approved" && $0.subject.hasPrefix("report plan 707/2026 v\(info.version)") })

        // A figure imported since (Norddjurs' nettoledige in 4th quarter 2025, 64 when approved): the same plan version
        // and day render differently, and verify says where.
        let csv = "MAALING;OMRÅDE;TID;INDHOLD\r\nkontanthjaelp.nettoledige_fuldtidspersoner;Norddjurs;2025K4;99\r\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nettoledige-\(UUID().uuidString).csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try await FileImporter(env).importFile(path, format: .csv, mapping: try FileImporter.mapping(LocalFigures.mapping, environment: env))
        let after = try await service.verify(scope, year: 2026, kind: .plan)
        #expect(!after.reproduced && after.renderedSHA256 != after.kept.sha256)
        let line = try #require(after.firstDifference)
        #expect(after.kept.content.split(separator: "\n", omittingEmptySubsequences: false).count >= line)
        #expect(try await service.kept(scope, year: 2026, kind: .plan)?.sha256 == after.kept.sha256, "the kept document is as it was")
    }
}
