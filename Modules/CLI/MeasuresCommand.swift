import AppSupport
import ArgumentParser

/// `beskplan measures`: the measure catalog, standard and local.
struct MeasuresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measures", abstract: "List the measures beskplan knows, with unit, dimensions and source.")

    @Option(help: "Output format: table, csv, json or markdown.")
    var format: OutputFormat = .table

    func run() throws {
        let registry = try AppEnvironment.builtInPlugins()
        let areas = AreaCatalog.standard
        let rows = registry.measures.all.map { m in
            [
                format == .markdown ? "`\(m.id)`" : m.id, m.name, m.unit.rawValue, m.dimensions.joined(separator: ", "), m.polarity.rawValue,
                m.source, m.usedBy.compactMap { areas[$0]?.name }.joined(separator: ", "),
            ]
        }
        let headers = ["id", "name", "unit", "dimensions", "better", "source", "seeds"]
        print(try Listing(headers: headers, rows: rows).render(format))
    }
}
