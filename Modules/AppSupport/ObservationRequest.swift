import Foundation
import Storage

/// A request for stored observations as users type it (`beskplan observations`, `GET
/// /api/v1/observations`): measure id, areas by code, slug or name, `name=value` dimensions and
/// periods; and the answer as Statistikbanken-shaped CSV.
public enum ObservationRequest {
    /// A request that cannot be read, worded for the user.
    public struct InvalidInput: Error, CustomStringConvertible {
        public let description: String
    }

    public static func query(
        _ env: AppEnvironment, measure: String, areas: [String] = [], dimensions: [String] = [], from: String? = nil,
        to: String? = nil
    ) throws -> ObservationQuery {
        let definition = try env.measures.lookup(measure)
        let codes = try areas.map { try env.areas.lookup($0).code }
        var selection: [String: String] = [:]
        for pair in dimensions {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw InvalidInput(description: "--dim '\(pair)': expected name=value") }
            guard definition.dimensions.contains(parts[0]) else {
                let known = definition.dimensions.isEmpty ? "none" : definition.dimensions.joined(separator: ", ")
                throw InvalidInput(description: "\(definition.id) has no dimension '\(parts[0])' (dimensions: \(known))")
            }
            try env.dimensions.validate(dimension: parts[0], value: parts[1])
            selection[parts[0]] = parts[1]
        }
        return ObservationQuery(
            measure: definition.id, areas: codes, dimensions: selection,
            from: try from.map { try Period(parsing: $0) }, to: try to.map { try Period(parsing: $0) })
    }

    /// Statistikbanken's shape: `;`, upper-case variable codes, decimal comma, INDHOLD last.
    public static func csv(_ observations: [Observation], dimensions: [String]) -> String {
        let header = (["MAALING", "OMRÅDE"] + dimensions.map { $0.uppercased() } + ["TID", "INDHOLD"])
        let lines = observations.map { o in
            ([o.series.measure, o.series.area.rawValue] + dimensions.map { o.series.dimensions[$0] ?? "" }
                + [o.period.description, csvNumber(o.value)]).joined(separator: ";")
        }
        return ([header.joined(separator: ";")] + lines).joined(separator: "\n")
    }

    /// Full precision with a decimal comma and no grouping, so the file reads back exactly.
    static func csvNumber(_ value: Double) -> String {
        let text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        return text.replacingOccurrences(of: ".", with: ",")
    }
}

/// Stored figures, read: for `beskplan observations`, `GET /api/v1/observations` and the data page.
public struct ObservationService: Sendable {
    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    /// The observations a query selects, ordered by area, dimensions and period.
    public func read(_ query: ObservationQuery) async throws -> [Observation] {
        try await environment.store.observations(query)
    }
}
