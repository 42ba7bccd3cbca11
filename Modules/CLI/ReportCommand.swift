import AppSupport
import ArgumentParser
import Foundation
import Reports

/// `beskplan report …`: the reports kept as they were approved.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The reports kept when a plan was approved or a follow-up made final.",
        discussion: "Rendering reports in every format is beskplan-report's work; this checks what was kept.",
        subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Render a kept report again from the same plan version and data-as-of day; say whether it is reproduced byte for byte.",
            discussion: """
                Exits 0 when the new render is the kept document byte for byte, 1 when it differs (the first \
                differing line is named: the figures imported since, or a changed beskplan, render differently), \
                and 2 when nothing was kept.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var ref: PlanCommand.PlanRef

        enum Kind: String, ExpressibleByArgument, CaseIterable {
            case plan, followup
        }

        @Option(help: "Which report: plan (kept when the plan was approved) or followup (when the follow-up was made final).")
        var kind: Kind = .plan

        func run() async throws {
            let env = try await database.environment()
            let scope = try env.scope(ref.kommune)
            let verification: ApprovedReportService.Verification
            do {
                verification = try await ApprovedReportService(env).verify(scope, year: ref.year, kind: kind == .plan ? .plan : .followup)
            } catch let refusal as Refusal {
                FileHandle.standardError.write(Data("\(refusal.detail)\n".utf8))
                throw ExitCode(2)
            }
            let kept = verification.kept
            print("\(scope.name) \(ref.year), \(kind.rawValue): kept \(kept.at) by \(kept.author), plan version \(kept.planVersion), data as of \(kept.asOf)")
            print("kept     sha256 \(kept.sha256)")
            print("rendered sha256 \(verification.renderedSHA256)")
            if verification.reproduced {
                print("reproduced byte for byte")
            } else {
                print("NOT reproduced: the new render differs from line \(verification.firstDifference ?? 1)")
                throw ExitCode(1)
            }
        }
    }
}
