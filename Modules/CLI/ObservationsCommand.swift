import AppSupport
import ArgumentParser
import Foundation

/// `beskplan observations`: read figures from the database.
struct ObservationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "observations",
        abstract: "Show stored observations of one measure.",
        discussion: """
            Areas are codes (820), slugs (vesthimmerland) or names (Vesthimmerland, Region Nordjylland, \
            Hele landet). Periods: \(Period.acceptedForms).
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Measure id, e.g. ydelse.fuldtidspersoner.")
    var measure: String

    @Option(help: "Area (repeatable). Default: every area.")
    var area: [String] = []

    @Option(name: .customLong("dim"), help: "Dimension value as name=value, e.g. ydelse=kontanthjaelp (repeatable).")
    var dimensions: [String] = []

    @Option(help: "First period, e.g. 2018K2.")
    var from: String?

    @Option(help: "Last period, e.g. 2019K2.")
    var to: String?

    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    func run() async throws {
        let env = try await database.environment()
        let query = try makeQuery(env)
        let observations = try await env.store.observations(query)
        let definition = env.measures[query.measure]
        let dimensionNames = definition?.dimensions ?? []
        print(try ObservationListing(observations, dimensions: dimensionNames, unit: definition?.unit, areas: env.areas).render(format))
    }

    private func makeQuery(_ env: AppEnvironment) throws -> ObservationQuery {
        let definition = try env.measures.lookup(measure)
        let areas = try area.map { try env.areas.lookup($0).code }
        var selection: [String: String] = [:]
        for pair in dimensions {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw UserError("--dim '\(pair)': expected name=value") }
            guard definition.dimensions.contains(parts[0]) else {
                let known = definition.dimensions.isEmpty ? "none" : definition.dimensions.joined(separator: ", ")
                throw UserError("\(definition.id) has no dimension '\(parts[0])' (dimensions: \(known))")
            }
            try env.dimensions.validate(dimension: parts[0], value: parts[1])
            selection[parts[0]] = parts[1]
        }
        return ObservationQuery(
            measure: definition.id, areas: areas, dimensions: selection,
            from: try from.map { try Period(parsing: $0) }, to: try to.map { try Period(parsing: $0) })
    }
}

/// Observations as a table (Danish numbers), DST-style CSV, or JSON for scripts.
struct ObservationListing {
    let observations: [Observation]
    let dimensions: [String]
    let unit: MeasureUnit?
    let areas: AreaCatalog

    init(_ observations: [Observation], dimensions: [String], unit: MeasureUnit?, areas: AreaCatalog) {
        self.observations = observations
        self.dimensions = dimensions
        self.unit = unit
        self.areas = areas
    }

    func render(_ format: OutputFormat) throws -> String {
        switch format {
        case .table, .markdown:
            guard !observations.isEmpty else { return "No observations." }
            let rows = observations.map { o in
                [o.series.area.rawValue, areas[o.series.area]?.name ?? ""]
                    + dimensions.map { o.series.dimensions[$0] ?? "" }
                    + [o.period.description, DanishNumber.format(o.value, decimals: Self.decimals(o.value, unit))]
            }
            return try Listing(
                headers: ["area", "name"] + dimensions + ["period", "value"], rows: rows,
                rightAligned: [dimensions.count + 3]
            ).render(format)
        case .csv:
            // Statistikbanken's shape: `;`, upper-case variable codes, decimal comma, INDHOLD last.
            let header = (["MAALING", "OMRÅDE"] + dimensions.map { $0.uppercased() } + ["TID", "INDHOLD"])
            let lines = observations.map { o in
                ([o.series.measure, o.series.area.rawValue] + dimensions.map { o.series.dimensions[$0] ?? "" }
                    + [o.period.description, Self.csvNumber(o.value)]).joined(separator: ";")
            }
            return ([header.joined(separator: ";")] + lines).joined(separator: "\n")
        case .json:
            let objects: [[String: Any]] = observations.map { o in
                [
                    "measure": o.series.measure, "area": o.series.area.rawValue,
                    "dimensions": o.series.dimensions, "period": o.period.description, "value": o.value,
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// As many decimals as the value has (up to 3); shares always show at least one.
    static func decimals(_ value: Double, _ unit: MeasureUnit?) -> Int {
        let least = unit == .procent || unit == .procentpoint ? 1 : 0
        return (least...3).first { d in
            let scale = pow(10, Double(d))
            return abs((value * scale).rounded() - value * scale) < 1e-6
        } ?? 3
    }

    /// Full precision with a decimal comma and no grouping, so the file reads back exactly.
    static func csvNumber(_ value: Double) -> String {
        let text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        return text.replacingOccurrences(of: ".", with: ",")
    }
}
