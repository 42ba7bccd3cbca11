/// Applies an `ImportMapping` to one observation's components: the series it belongs to, or why
/// it is skipped. Checked against the catalogs once, when it is made. A class: importers consult
/// it for every row, and a struct this size would be copied each time.
public final class MappingResolver: Sendable {
    public enum Outcome: Equatable, Sendable {
        case series(SeriesKey)
        /// Not selected, or an area that is no kommune, region or the country: skipped and counted.
        case skipped(String)
    }

    public let mapping: ImportMapping
    public let measure: MeasureDefinition
    private let areas: AreaCatalog
    private let dimensionCatalog: DimensionCatalog
    private let missingStatuses: Set<String>
    /// Value texts that mean missing (`..`, `-`, …): a handful, so a list beats hashing.
    private let missingValues: [String]
    /// `select:` as component → accepted values, in a fixed order.
    private let selections: [(component: String, values: Set<String>)]
    /// The mapping's `skipAreas:`, as written (any case).
    private let skipAreas: Set<String>
    /// The area code map's texts and the areas they name; the fixed area of `area: value:`.
    private let mappedAreas: [String: Area]
    private let fixedArea: Area?
    /// Every component the mapping accounts for.
    public let knownComponents: Set<String>

    /// Checks the mapping: the measure exists, its dimensions are bound, code maps give allowed values.
    /// `measure` overrides the mapping's own (for mappings with a measure per column or row).
    public init(
        _ mapping: ImportMapping, measure id: MeasureID? = nil, measures: MeasureCatalog,
        dimensions: DimensionCatalog = .standard, areas: AreaCatalog = .standard
    ) throws(MappingError) {
        guard let id = id ?? mapping.measure else {
            throw MappingError("the mapping names no measure (measure:, measureFrom: or measures:)")
        }
        do {
            measure = try measures.lookup(id)
        } catch {
            throw MappingError(error.description)
        }
        let bound = Set((mapping.dimensions ?? [:]).keys)
        if let unknown = bound.subtracting(measure.dimensions).sorted().first {
            throw MappingError("\(measure.id) has no dimension '\(unknown)' (it has: \(Self.list(measure.dimensions)))")
        }
        if mapping.dimensionColumns != true, let unbound = Set(measure.dimensions).subtracting(bound).sorted().first {
            throw MappingError("dimension '\(unbound)' of \(measure.id) is not bound; add it under dimensions:")
        }
        for (name, binding) in mapping.dimensions ?? [:] {
            guard (binding.from == nil) != (binding.value == nil) else {
                throw MappingError("dimension '\(name)': give either from: or value:")
            }
            for value in Array((binding.codes ?? [:]).values) + [binding.value].compactMap({ $0 }) {
                do {
                    try dimensions.validate(dimension: name, value: value)
                } catch {
                    throw MappingError("dimension '\(name)': \(error)")
                }
            }
        }
        // Areas the mapping itself names (a code map's values, a fixed area) are read as a person
        // writes them; the file's own texts, in `resolve`, as the sources print them.
        var mappedAreas: [String: Area] = [:]
        for (text, code) in mapping.area.codes ?? [:] {
            guard let area = areas.find(code) else { throw MappingError("area code map: '\(code)' is not a known area") }
            mappedAreas[text] = area
        }
        if let value = mapping.area.value {
            guard let area = areas.find(value) else { throw MappingError("area value: '\(value)' is not a known area") }
            fixedArea = area
        } else {
            fixedArea = nil
        }
        self.mappedAreas = mappedAreas
        for (component, selection) in mapping.select ?? [:] where selection.values.isEmpty {
            throw MappingError("select: \(component) lists no value to keep")
        }
        self.mapping = mapping
        self.areas = areas
        self.dimensionCatalog = dimensions
        missingStatuses = Set(mapping.missing?.obsStatus ?? Array(ImportMapping.defaultMissingStatuses))
        missingValues = mapping.missingValueTexts.sorted()
        selections = (mapping.select ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, Set($0.value.values)) }
        skipAreas = Set((mapping.skipAreas ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        var known: Set<String> = [mapping.period?.from ?? "TIME_PERIOD"]
        if let area = mapping.area.from { known.insert(area) }
        if mapping.dimensionColumns == true { known.formUnion(measure.dimensions.map { $0.uppercased() }) }
        known.formUnion((mapping.dimensions ?? [:]).values.compactMap(\.from))
        known.formUnion((mapping.select ?? [:]).keys)
        known.formUnion(mapping.ignore ?? [])
        knownComponents = known
    }

    /// The component that holds the period.
    public var periodComponent: String { mapping.period?.from ?? "TIME_PERIOD" }

    /// The series of an observation with these components (area, dimensions, selections), or
    /// why it is skipped: a value `select:` does not keep, or a known non-area (a landsdel,
    /// abroad) or one the mapping's `skipAreas:` lists. An area text that is none of these is an
    /// error: skipping it would lose a kommune quietly (`Vesthimmerlands`). The values of the
    /// `select:` components are noted in `report`, with `line`, for a selection that never matches.
    public func resolve(
        _ components: [String: String], line: Int = 0, report: inout SkipReport
    ) throws(MappingError) -> Outcome {
        var deselected: String?
        for (component, wanted) in selections {
            guard let value = components[component] else {
                throw MappingError("component '\(component)' (in select:) is missing")
            }
            report.noteSelectValue(value, of: component, line: line)
            if deselected == nil, !wanted.contains(value) {
                deselected = "\(component) '\(value.clippedForMessage())' is not selected"
            }
        }
        if let deselected { return .skipped(deselected) }
        let area: Area
        if let fixedArea {
            area = fixedArea
        } else {
            guard let areaText = mapping.area.from.flatMap({ components[$0] }) else {
                throw MappingError("area component '\(mapping.area.from ?? "")' is missing")
            }
            switch try place(areaText) {
            case .area(let found): area = found
            case .skipped(let reason): return .skipped(reason)
            }
        }
        var dims: [String: String] = [:]
        if mapping.dimensionColumns == true {
            for name in measure.dimensions {
                guard let value = components[name.uppercased()] else {
                    throw MappingError("column '\(name.uppercased())' for dimension '\(name)' is missing", component: name.uppercased())
                }
                dims[name] = value
            }
        }
        for (name, binding) in mapping.dimensions ?? [:] {
            if let fixed = binding.value {
                dims[name] = fixed
                continue
            }
            guard let from = binding.from, let raw = components[from] else {
                throw MappingError("component '\(binding.from ?? name)' for dimension '\(name)' is missing")
            }
            if let codes = binding.codes {
                guard let value = codes[raw] else {
                    let known = codes.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
                    throw MappingError(
                        "\(from) code '\(raw.clippedForMessage())' is not in the code map of dimension '\(name)' "
                            + "(it maps \(known.clippedForMessage(120)))",
                        component: from)
                }
                dims[name] = value
            } else {
                dims[name] = raw
            }
        }
        for (name, value) in dims {
            do {
                try dimensionCatalog.validate(dimension: name, value: value)
            } catch {
                let binding = mapping.dimensions?[name]
                throw MappingError(
                    error.description, component: binding?.value == nil ? binding?.from ?? name.uppercased() : nil)
            }
        }
        return .series(SeriesKey(measure: measure.id, area: area.code, dimensions: dims))
    }

    private enum Placement {
        case area(Area)
        case skipped(String)
    }

    /// The area a file's area text names, or why its rows are skipped; else an error.
    private func place(_ text: String) throws(MappingError) -> Placement {
        if let mapped = mappedAreas[text] { return .area(mapped) }
        if !skipAreas.isEmpty, skipAreas.contains(text.trimmingCharacters(in: .whitespaces).lowercased()) {
            return .skipped("area '\(text.clippedForMessage())' is in the mapping's skipAreas:")
        }
        switch areas.match(text) {
        case .area(let found):
            return .area(found)
        case .nonArea(let nonArea):
            return .skipped("area '\(text.clippedForMessage())' is \(nonArea.kind.description)")
        case .unknown(let suggestion):
            var message = "unknown area '\(text.clippedForMessage())'"
            message += suggestion.map { "; did you mean '\($0)'?" } ?? "."
            message += " It is no kommune, region or the country beskplan knows; "
                + "map it under area: codes:, or list it under skipAreas: to skip its rows"
            throw MappingError(message, component: mapping.area.from)
        }
    }

    /// Whether a value text or an observation status marks the value as missing.
    public func isMissing(value: String?, status: String?) -> Bool {
        guard let value else { return true }
        return isMissing(status: status) || missingValues.contains(value)
    }

    /// Whether an observation status marks the value as missing (SDMX `M`, `L`, `O` by default).
    public func isMissing(status: String?) -> Bool {
        status.map(missingStatuses.contains) ?? false
    }

    /// The value as stored: the mapping's scale applied.
    public func scaled(_ value: Double) -> Double { value * (mapping.scale ?? 1) }

    private static func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: ", ") }
}

/// A mapping that does not fit the catalogs or the data; `component` names the source component
/// (a CSV column) whose value is at fault, so the error can point at its field.
public struct MappingError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public let component: String?

    public init(_ description: String, component: String? = nil) {
        self.description = description
        self.component = component
    }
}
