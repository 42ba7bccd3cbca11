import BeskplanCore

/// A cube's cells as observations, through an `ImportMapping`: each variable is a component
/// named as in the file (also upper-cased, so a mapping written for Statistikbanken's CSV
/// headers fits), its value the text or, with `labels: code`, the code; the time variable gives
/// the period; a content variable gives the measure through `measures:`. Series are resolved
/// once per combination of the other variables, not once per cell.
public final class CubeSource: ObservationSource, ReadProgress {
    private let cube: Cube
    private let cells: any CubeCells
    private let mapping: ImportMapping
    private let catalog: ImportCatalog
    private let file: String
    private let timeIndex: Int
    private let periods: [Period]
    /// Per variable, the step its index adds to a series' number (0 for the time variable).
    private let seriesStride: [Int]
    private var indices: [Int]
    /// Each series' outcome, resolved once: a cache, emptied when it holds `outcomeLimit`, so that a
    /// cube of millions of series (most of them not selected) is read in bounded memory.
    private var outcomes: [Int: (outcome: MappingResolver.Outcome, resolver: MappingResolver?)] = [:]
    private static let outcomeLimit = 100_000
    private var resolvers: [MeasureID: MappingResolver] = [:]
    /// Which combination first gave each series: another giving it too would put two values in one cell.
    private var seriesOrigin: [SeriesKey: Int] = [:]
    private var pending: [SeriesKey: [DataPoint]] = [:]
    private var pendingPoints = 0
    private var ready: [ObservationChunk] = []
    private var report = SkipReport()
    private var done = false
    private static let flushPoints = 65_536

    public var skipped: SkipReport { report }
    public var bytesRead: Int64 { cells.bytesRead }
    public var totalBytes: Int64 { cells.totalBytes }

    public init(cube: Cube, cells: any CubeCells, mapping: ImportMapping, catalog: ImportCatalog, file: String) throws(ImportError) {
        func fail(_ message: String) -> ImportError { ImportError(file: file, line: 1, column: 1, message: message) }
        guard !cube.variables.isEmpty, cube.variables.allSatisfy({ !$0.texts.isEmpty }) else {
            throw fail("the cube has a variable without values (\(cube.shape))")
        }
        // The period: the variable the mapping names, else the file's time variable.
        let named = mapping.period?.from
        guard let time = named.flatMap({ name in
            cube.variables.firstIndex { ([$0.name] + $0.aliases).contains { $0 == name || $0.uppercased() == name.uppercased() } }
        })
            ?? cube.variables.firstIndex(where: \.isTime)
        else {
            throw fail("no variable holds the periods: name it with period: { from: … } (the variables are \(cube.variables.map(\.name).joined(separator: ", ")))")
        }
        var periods: [Period] = []
        for (i, text) in cube.variables[time].texts.enumerated() {
            let label = cube.variables[time].label(i, codes: true)
            guard let period = (try? Period(parsing: label)) ?? (try? Period(parsing: text)) else {
                throw fail("'\(text.clippedForMessage())' of \(cube.variables[time].name) is not a period")
            }
            periods.append(period)
        }
        var stride = Array(repeating: 0, count: cube.variables.count)
        var step = 1
        for i in cube.variables.indices.reversed() where i != time {
            stride[i] = step
            step = step.multipliedReportingOverflow(by: cube.variables[i].texts.count).partialValue
        }
        self.cube = cube
        self.cells = cells
        self.mapping = mapping
        self.catalog = catalog
        self.file = file
        timeIndex = time
        self.periods = periods
        seriesStride = stride
        indices = Array(repeating: 0, count: cube.variables.count)
    }

    public func nextChunk() throws -> ObservationChunk? {
        while ready.isEmpty, !done {
            try readSome()
        }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    /// Reads cells until enough points wait, or the cells end.
    private func readSome() throws {
        while pendingPoints < Self.flushPoints {
            guard let cell = try cells.next() else {
                done = true
                break
            }
            defer { advance() }
            let line = cells.line
            guard case .number(let value) = cell else {
                if case .missing(let symbol) = cell { report.add("missing value (\"\(symbol)\")", line: line) }
                continue
            }
            var series = 0
            for i in indices.indices { series += indices[i] * seriesStride[i] }
            let resolved = try outcome(series, line: line)
            switch resolved.outcome {
            case .skipped(let reason): report.add(reason, line: line)
            case .series(let key):
                pending[key, default: []].append(DataPoint(period: periods[indices[timeIndex]], value: resolved.resolver?.scaled(value) ?? value))
                pendingPoints += 1
            }
        }
        for (key, points) in pending { ready.append(ObservationChunk(series: key, points: points)) }
        pending.removeAll(keepingCapacity: true)
        pendingPoints = 0
    }

    /// The next combination of indices: the last variable fastest.
    private func advance() {
        var i = indices.count - 1
        while i >= 0 {
            indices[i] += 1
            if indices[i] < cube.variables[i].texts.count { return }
            indices[i] = 0
            i -= 1
        }
    }

    /// Every variable must be mapped, selected or ignored: an unselected one would mix totals with their parts.
    private func checkAccountedFor(_ resolver: MappingResolver) throws {
        for (i, variable) in cube.variables.enumerated() where i != timeIndex {
            let names = ([variable.name] + variable.aliases).flatMap { [$0, $0.uppercased()] }
            let isMeasure = mapping.measures != nil && (variable.isContent || names.contains(mapping.measureFrom ?? "\u{0}"))
            guard !isMeasure, !names.contains(where: resolver.knownComponents.contains) else { continue }
            let values = variable.texts.prefix(3).map { "'\($0.clippedForMessage(30))'" }.joined(separator: ", ")
            throw ImportError(
                file: file, line: 1, column: 1,
                message: "variable '\(variable.name)' (\(values)\(variable.texts.count > 3 ? ", …" : "")) is not mapped, selected or ignored; "
                    + "select one of its values, or list it under ignore: if it does not split the data")
        }
    }

    /// The series of the current combination of the variables other than time, resolved once.
    private func outcome(_ series: Int, line: Int) throws -> (outcome: MappingResolver.Outcome, resolver: MappingResolver?) {
        if let known = outcomes[series] { return known }
        if outcomes.count >= Self.outcomeLimit { outcomes.removeAll(keepingCapacity: true) }
        let useCodes = mapping.labels == .code
        var components: [String: String] = [:]
        var measure = mapping.measure
        for (i, variable) in cube.variables.enumerated() where i != timeIndex {
            let label = variable.label(indices[i], codes: useCodes)
            for name in [variable.name] + variable.aliases {
                components[name] = label
                components[name.uppercased()] = label
            }
            if let measures = mapping.measures, variable.isContent || variable.name == mapping.measureFrom {
                measure = measures[label] ?? measures[variable.texts[indices[i]]]
                if measure == nil {
                    let found = (outcome: MappingResolver.Outcome.skipped("\(variable.name) '\(label.clippedForMessage())' is not in measures:"), resolver: MappingResolver?.none)
                    outcomes[series] = found
                    return found
                }
            }
        }
        guard let measure else {
            throw ImportError(file: file, line: 1, column: 1, message: "the mapping names no measure (measure:, or measures: for the content variable)")
        }
        let resolver: MappingResolver
        do {
            if let known = resolvers[measure] {
                resolver = known
            } else {
                resolver = try MappingResolver(mapping, measure: measure, measures: catalog.measures, dimensions: catalog.dimensions, areas: catalog.areas)
                try checkAccountedFor(resolver)
                resolvers[measure] = resolver
            }
            let outcome = try resolver.resolve(components, line: line, report: &report)
            if case .series(let key) = outcome {
                if let other = seriesOrigin[key], other != series {
                    throw ImportError(
                        file: file, line: line, column: 1,
                        message: "two combinations of values give one series (\(key.measure), area \(key.area.rawValue)\(key.dimensions.isEmpty ? "" : ", " + key.dimensionText)): "
                            + "the mapping maps two values to one; select one of them")
                }
                seriesOrigin[key] = series
            }
            let found = (outcome: outcome, resolver: Optional(resolver))
            outcomes[series] = found
            return found
        } catch let error as MappingError {
            throw ImportError(file: file, line: line, column: 1, message: error.description)
        }
    }
}
