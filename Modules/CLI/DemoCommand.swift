import AppSupport
import ArgumentParser
import Foundation

/// `beskplan demo`: everything once, from the bundled data — the main job of the README.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Import the demo feeds and seed plans, evaluate them, and render every report.",
        discussion: """
            Uses a new database in the output folder unless --db is given. Writes, for each seed \
            plan, the plan report and the follow-up report as HTML, DOCX and Markdown.
            """)

    @Option(help: "Output folder.")
    var out = "demo-out"

    @Option(help: "Database to use instead of a new one in the output folder.")
    var db: String?

    @Option(help: "Evaluate as of this date (YYYY-MM-DD). Default: today.")
    var asOf: String?

    @Flag(help: "Also write PDF (needs LibreOffice or Chromium).")
    var pdf = false

    func run() async throws {
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let location: DatabaseLocation
        if let db {
            location = .resolve(option: db)
        } else {
            let path = folder.appendingPathComponent("beskplan-demo.sqlite").path
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            location = .file(path)
        }
        let env = try await AppEnvironment.open(database: location)
        let day = try AsOf.day(asOf, clock: env.clock)
        let summary = try await Demo(environment: env, folder: folder, asOf: day, pdf: pdf).run { message in
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
        // Where the targets' figures come from: public (fetchable with a key), the kommune's own, and how many have a status.
        print(try Listing(
            headers: ["kommune", "plan", "goals", "targets", "public figures", "own figures", "evaluated"]
                + EvaluationStatus.allCases.map(\.label) + ["files"],
            rows: summary.map { r in
                [r.kommune, "\(r.year)", "\(r.goals)", "\(r.targets)", "\(r.publicTargets)", "\(r.localTargets)", "\(r.evaluated)"]
                    + EvaluationStatus.allCases.map { "\(r.statuses[$0] ?? 0)" } + ["\(r.files.count)"]
            },
            rightAligned: Set(2...(7 + EvaluationStatus.allCases.count))
        ).render(.table))
        print("""

            public figures: targets whose figures all come from Jobindsats or Statistikbanken (beskplan fetch --plan, with a key);
            own figures: targets that read the kommune's own figures (beskplan template, or the data page).
            Reports in \(folder.path)/; database \(env.database).
            """)
    }
}
