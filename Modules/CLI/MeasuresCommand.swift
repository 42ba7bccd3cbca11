import AppSupport
import ArgumentParser

/// `beskplan measures`: the measure catalog, standard and local.
struct MeasuresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measures", abstract: "List the measures beskplan knows: unit, dimensions, and where the figures come from.",
        discussion: """
            Each measure is of one kind: offentlig kilde (a public table beskplan fetch asks: Jobindsats or \
            Statistikbanken), beregnet (computed by beskplan from other measures), or kommunens egne tal (typed in or \
            uploaded by the office named).
            """)

    @Option(help: "Output format: table, csv, json or markdown.")
    var format: OutputFormat = .table

    func run() throws {
        let registry = try AppEnvironment.builtInPlugins()
        let areas = AreaCatalog.standard
        let catalog = registry.measures
        let rows = catalog.all.map { m in
            // How sure the catalogue is of each table it names (SOURCES.md: high, med, low).
            var seen = Set<String>()
            let sure = (m.origins ?? []).map { "\($0.table) \($0.confidence?.rawValue ?? "?")" }.filter { seen.insert($0).inserted }
            return [
                format == .markdown ? "`\(m.id)`" : m.id, m.name, m.unit.rawValue, m.dimensions.joined(separator: ", "), m.polarity.rawValue,
                m.kind?.label ?? "ingen kilde", m.kindDescription(catalog), sure.joined(separator: ", "),
                m.usedBy.compactMap { areas[$0]?.name }.joined(separator: ", "),
            ]
        }
        let headers = ["id", "name", "unit", "dimensions", "better", "kind", "where from", "confidence", "seeds"]
        print(try Listing(headers: headers, rows: rows).render(format))
    }
}
