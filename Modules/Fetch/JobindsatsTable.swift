import BeskplanCore
import Foundation

/// What `GET /v3/table/{id}` says of a table: the periods it publishes, its dimensions (each
/// with hierarchies of levels of values, a value named and addressed by an id path such as `/5/`)
/// and its measure groups. The catalogue names things; a request selects ids: `resolve` turns
/// one into the other, and says which table, which dimension and the nearest names when a name
/// is not there (the source renamed it, or the catalogue is wrong).
public struct JobindsatsTable: Sendable, Decodable {
    public struct PeriodType: Sendable, Decodable {
        public let periodtype_id: String
        public let values: [PeriodValue]
    }

    public struct PeriodValue: Sendable, Decodable {
        public let period_id: String
    }

    public struct Dimension: Sendable, Decodable {
        public let dimension_id: String
        public let dimension_name: String?
        public let hierarchies: [Hierarchy]
    }

    public struct Hierarchy: Sendable, Decodable {
        public let hierarchy_id: String
        public let levels: [Level]
    }

    public struct Level: Sendable, Decodable {
        public let level_id: String
        public let values: [Value]
    }

    public struct Value: Sendable, Decodable {
        public let value_id: String
        public let value_name: String
    }

    public struct MeasureGroup: Sendable, Decodable {
        public let mgroup_id: String
        public let mgroup_name: String
        /// The group's measures, where the answer lists them; else the whole group is asked for.
        public let measures: [Measure]?
    }

    public struct Measure: Sendable, Decodable {
        public let measure_id: String
        public let measure_name: String
    }

    public let periods: [PeriodType]
    public let dimensions: [Dimension]
    public let mgroups: [MeasureGroup]

    /// The dimension that holds the areas.
    static let areaDimension = "_omrade"

    /// Reads the answer; an answer of another shape is an error that quotes its first bytes.
    public static func decode(_ data: Data, table: String, url: String) throws(FetchError) -> JobindsatsTable {
        do {
            return try JSONDecoder().decode(JobindsatsTable.self, from: data)
        } catch {
            throw .unexpected(
                url: url,
                detail: "expected a table description {periods, dimensions, mgroups} for \(table); it begins "
                    + "'\(String(decoding: data.prefix(120), as: UTF8.self).clippedForMessage(120))'")
        }
    }

    /// The selectors that ask for the query's figures, and the periods it asked for that the table
    /// does not publish (yet), which are left out.
    public func resolve(_ query: Jobindsats.Query) throws(FetchError) -> (selectors: [(String, String)], unpublished: [Period]) {
        var selectors: [(String, String)] = []
        // Areas: each name is found in one of the area dimension's hierarchies.
        guard let area = dimensions.first(where: { $0.dimension_id == Self.areaDimension }) ?? dimensions.first(where: { $0.dimension_name == "Område" })
        else { throw .unknownName(table: query.table, dimension: Self.areaDimension, name: query.areas.first ?? "", nearest: dimensions.map(\.dimension_id)) }
        var byHierarchy: [String: [String]] = [:]
        var order: [String] = []
        for name in query.areas {
            guard let (hierarchy, id) = find(name, in: area.hierarchies) else {
                throw .unknownName(table: query.table, dimension: area.dimension_id, name: name, nearest: nearest(name, in: area.hierarchies))
            }
            if byHierarchy[hierarchy] == nil { order.append(hierarchy) }
            byHierarchy[hierarchy, default: []].append(id)
        }
        selectors += order.map { ("hierarchy.\($0)", byHierarchy[$0]!.joined(separator: ",")) }
        // Other hierarchies, by their values' names.
        let hierarchies = dimensions.flatMap(\.hierarchies)
        for (id, names) in query.hierarchies.sorted(by: { $0.key < $1.key }) {
            guard let hierarchy = hierarchies.first(where: { $0.hierarchy_id == id }) else {
                throw .unknownName(table: query.table, dimension: "hierarchies", name: id, nearest: DanishText.nearest(to: id, among: hierarchies.map(\.hierarchy_id)))
            }
            if names == ["*"] {
                selectors.append(("hierarchy.\(id)", "*"))
                continue
            }
            let ids = try names.map { name throws(FetchError) -> String in
                guard let (_, valueID) = find(name, in: [hierarchy]) else {
                    throw .unknownName(table: query.table, dimension: id, name: name, nearest: nearest(name, in: [hierarchy]))
                }
                return valueID
            }
            selectors.append(("hierarchy.\(id)", ids.joined(separator: ",")))
        }
        // Periods, by type, in the table's own list.
        var unpublished: [Period] = []
        var byType: [String: [String]] = [:]
        for period in query.periods {
            let code = Jobindsats.periodCode(period)
            guard let type = Jobindsats.periodType(period),
                periods.first(where: { $0.periodtype_id == type })?.values.contains(where: { $0.period_id == code }) == true
            else {
                unpublished.append(period)
                continue
            }
            byType[type, default: []].append(code)
        }
        selectors += byType.sorted { $0.key < $1.key }.map { ("period.\($0.key)", $0.value.joined(separator: ",")) }
        // Measurements: a measure of a group by its name (or `group: measure`), else a whole group by its name.
        var groups: [String: [String]] = [:]
        for name in query.measurements {
            if let (group, measure) = measure(named: name) {
                groups[group, default: []].append(measure)
            } else if let group = mgroups.first(where: { $0.mgroup_name == name }) {
                groups[group.mgroup_id] = ["*"]
            } else {
                let known = mgroups.flatMap { g in (g.measures ?? []).map(\.measure_name) + [g.mgroup_name] }
                throw .unknownName(table: query.table, dimension: "målinger", name: name, nearest: DanishText.nearest(to: name, among: known))
            }
        }
        selectors += groups.sorted { $0.key < $1.key }.map { ("mgroup.\($0.key)", $0.value.contains("*") ? "*" : $0.value.joined(separator: ",")) }
        return (selectors, unpublished)
    }

    private func measure(named name: String) -> (group: String, measure: String)? {
        for group in mgroups {
            for m in group.measures ?? [] where m.measure_name == name || "\(group.mgroup_name): \(m.measure_name)" == name {
                return (group.mgroup_id, m.measure_id)
            }
        }
        return nil
    }

    /// A value named so (case aside), and the hierarchy it is in.
    private func find(_ name: String, in hierarchies: [Hierarchy]) -> (String, String)? {
        let wanted = name.lowercased()
        for hierarchy in hierarchies {
            for level in hierarchy.levels {
                if let value = level.values.first(where: { $0.value_name.lowercased() == wanted }) { return (hierarchy.hierarchy_id, value.value_id) }
            }
        }
        return nil
    }

    private func nearest(_ name: String, in hierarchies: [Hierarchy]) -> [String] {
        DanishText.nearest(to: name, among: hierarchies.flatMap { $0.levels.flatMap { $0.values.map(\.value_name) } })
    }
}
