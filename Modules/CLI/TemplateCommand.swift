import AppSupport
import ArgumentParser
import Foundation

/// `beskplan template`: the file an analyst fills in with the kommune's own figures.
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write a CSV of every figure of the kommune's own that a plan reads, to fill in and import.",
        discussion: """
            One row per series and period the plan's rules read of measures no public source publishes \
            (beskplan measures says which), with the value empty. The file is as Danish Excel reads and writes \
            CSV: semicolons, decimal comma, UTF-8 with BOM. Fill in INDHOLD (and KILDE, where the figure comes \
            from), save it as CSV, and import it: beskplan import FILE --mapping beskplan-egne-tal. An empty \
            INDHOLD is skipped and counted.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var ref: PlanCommand.PlanRef

    @Option(help: "Write the file here instead of to standard output.")
    var out: String?

    func run() async throws {
        let env = try await database.environment()
        let kommune = try env.kommune(ref.kommune)
        guard let (plan, stored) = try await PlanService(env).currentOrBundled(kommune, year: ref.year) else {
            throw UserError("no plan for \(kommune.name) \(ref.year): import one first (beskplan plan import FILE)")
        }
        if !stored { FileHandle.standardError.write(Data("note: no stored plan for \(kommune.name) \(ref.year); using the one its plugin ships\n".utf8)) }
        let figures = LocalFigures(env)
        let series = figures.series(plan)
        let text = figures.template(plan)
        if let out {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out))
            let rows = series.reduce(0) { $0 + $1.periods.count }
            FileHandle.standardError.write(Data("wrote \(out): \(rows) row\(rows == 1 ? "" : "s") of \(series.count) series to fill in\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if series.isEmpty {
            FileHandle.standardError.write(Data("note: the plan reads none of the kommune's own figures; the file has its header only\n".utf8))
        }
    }
}
