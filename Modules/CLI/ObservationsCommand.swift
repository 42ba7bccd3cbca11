import AppSupport
import ArgumentParser
import Storage
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

    @Option(help: "Output format: table, csv, json, markdown or xlsx (an Excel workbook; see --out).")
    var format: FigureFormat = .table

    @OptionGroup var workbook: WorkbookOutput

    func run() async throws {
        let env = try await database.environment()
        let query = try makeQuery(env)
        let observations = try await ObservationService(env).read(query)
        let definition = env.measures[query.measure]
        let dimensionNames = definition?.dimensions ?? []
        guard let listing = format.listing else {
            let table = FigureTables.observations(
                observations, measure: query.measure, definition: definition, areas: env.areas, asOf: env.clock.today)
            return try workbook.write([table])
        }
        print(try ObservationListing(observations, dimensions: dimensionNames, unit: definition?.unit, areas: env.areas).render(listing))
    }

    private func makeQuery(_ env: AppEnvironment) throws -> ObservationQuery {
        do {
            return try ObservationRequest.query(env, measure: measure, areas: area, dimensions: dimensions, from: from, to: to)
        } catch let error as ObservationRequest.InvalidInput {
            throw UserError(error.description)
        }
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
            return ObservationRequest.csv(observations, dimensions: dimensions)
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
        FigureTables.decimals(value, least: unit == .procent || unit == .procentpoint ? 1 : 0)
    }
}
