import AppSupport
import ArgumentParser

/// `beskplan plugins`: the built-in kommune plugins.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins", abstract: "List the kommune plugins built into this beskplan.")

    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    func run() throws {
        let registry = try AppEnvironment.builtInPlugins()
        let rows = registry.entries.map { entry in
            [
                entry.kommune.code.rawValue, entry.kommune.name, entry.plugin.branding.jobcenterName,
                String(entry.plugin.measures.count), entry.typeName,
            ]
        }
        let headers = ["kommune", "name", "jobcenter", "local_measures", "plugin"]
        print(try Listing(headers: headers, rows: rows, rightAligned: [3]).render(format))
    }
}
