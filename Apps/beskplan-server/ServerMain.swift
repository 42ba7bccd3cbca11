import AppSupport
import ArgumentParser

/// `beskplan-server`: the HTTP server for many kommuner, over the same wiring as the CLI.
@main
struct BeskplanServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beskplan-server",
        abstract: "Serve plans, evaluations and reports over HTTP.",
        discussion: "The HTTP routes arrive with the server issue; today the command checks its wiring and exits.")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Option(help: "SQLite file. Default: $BESKPLAN_DB, else ./beskplan.sqlite.")
    var db: String?

    func run() async throws {
        let env = try await AppEnvironment.open(database: .resolve(option: db))
        print("beskplan-server: database \(env.database), \(env.registry.entries.count) plugins.")
        print("beskplan-server: this build has no HTTP routes yet; nothing is listening on \(host):\(port).")
        throw ExitCode(2)
    }
}
