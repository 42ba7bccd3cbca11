import BeskplanCore

/// PX (PC-Axis): Statistikbanken's and other statistics offices' cube files.
public struct PXFormat: ImportFormat {
    public init() {}
    public var id: String { "px" }
    public var name: String { "PX (PC-Axis)" }
    public var needsMapping: Bool { true }
    public func matches(head: [UInt8]) -> Bool { PXFile.matches(head: head) }

    public func inspect(_ file: ImportFile) throws -> ImportInspection {
        let px = try PXFile(path: file.path, displayName: file.name, language: file.language)
        var details: [(label: String, value: String)] = [("encoding", px.encoding)]
        if let title = px.cube.title { details.insert(("title", title), at: 0) }
        if !px.languages.isEmpty {
            details.append(("languages", px.languages.joined(separator: ", ")))
            details.append(("language", file.language ?? px.language ?? "-"))
        }
        return try px.cube.inspect(px.cells(), format: name, details: details)
    }

    public func sources(_ file: ImportFile, mapping: ImportMapping?, catalog: ImportCatalog) throws -> [any ObservationSource & ReadProgress] {
        let px = try PXFile(path: file.path, displayName: file.name, language: file.language)
        return [try CubeSource(cube: px.cube, cells: px.cells(), mapping: try Self.required(mapping, file), catalog: catalog, file: file.name)]
    }

    static func required(_ mapping: ImportMapping?, _ file: ImportFile) throws(ImportError) -> ImportMapping {
        guard let mapping else {
            throw ImportError(
                file: file.name, line: 1, column: 1,
                message: "the file needs a mapping (--mapping FILE.yaml); `beskplan import --inspect \(file.name)` shows its variables")
        }
        return mapping
    }
}

/// JSON-stat 1.x and 2.0: Statistikbanken's JSONSTAT answers and other offices' datasets.
public struct JSONStatFormat: ImportFormat {
    public init() {}
    public var id: String { "jsonstat" }
    public var name: String { "JSON-stat" }
    public var needsMapping: Bool { true }
    public func matches(head: [UInt8]) -> Bool { JSONStatFile.matches(head: head) }

    public func inspect(_ file: ImportFile) throws -> ImportInspection {
        let json = try JSONStatFile(path: file.path, displayName: file.name)
        let chosen = try Self.chosen(json, file)
        var inspections = try chosen.map {
            try $0.cube.inspect(json.cells($0), format: "\(name) \(json.version)", details: [("dataset", $0.name)] + ($0.cube.title.map { [("title", $0)] } ?? []))
        }
        // `chosen` is never empty: a file has a dataset, and --dataset names one that is there.
        var all = inspections.removeFirst()
        for more in inspections {
            all.details += more.details
            all.components += more.components
            all.seriesCount += more.seriesCount
            all.observationCount += more.observationCount
            all.missingCount += more.missingCount
        }
        return all
    }

    public func sources(_ file: ImportFile, mapping: ImportMapping?, catalog: ImportCatalog) throws -> [any ObservationSource & ReadProgress] {
        let json = try JSONStatFile(path: file.path, displayName: file.name)
        let mapping = try PXFormat.required(mapping, file)
        return try Self.chosen(json, file).map { try CubeSource(cube: $0.cube, cells: json.cells($0), mapping: mapping, catalog: catalog, file: file.name) }
    }

    /// The datasets to read: the one `--dataset` names, else all.
    static func chosen(_ json: JSONStatFile, _ file: ImportFile) throws(ImportError) -> [JSONStatFile.Dataset] {
        guard let wanted = file.dataset else { return json.datasets }
        guard let one = json.datasets.first(where: { $0.name == wanted }) else {
            throw ImportError(
                file: file.name, line: 1, column: 1,
                message: "no dataset '\(wanted)' (the file has \(json.datasets.map(\.name).joined(separator: ", ")))")
        }
        return [one]
    }
}

extension Cube {
    /// Reads every cell once: what `--inspect` shows, counted as an import would count.
    func inspect(_ cells: any CubeCells, format: String, details: [(label: String, value: String)] = []) throws -> ImportInspection {
        var counts = variables.map { Array(repeating: 0, count: $0.texts.count) }
        var indices = Array(repeating: 0, count: variables.count)
        var observations = 0
        var missing = 0
        while let cell = try cells.next() {
            if case .number = cell {
                observations += 1
                for (v, i) in indices.enumerated() { counts[v][i] += 1 }
            } else {
                missing += 1
            }
            var v = indices.count - 1
            while v >= 0 {
                indices[v] += 1
                if indices[v] < variables[v].texts.count { break }
                indices[v] = 0
                v -= 1
            }
        }
        let time = variables.first(where: \.isTime)
        let periods = time.map { t in t.texts.indices.compactMap { (try? Period(parsing: t.label($0, codes: true))) ?? (try? Period(parsing: t.texts[$0])) } } ?? []
        var details = details
        if !units.isEmpty, units.contains(where: { !$0.isEmpty }) { details.append(("units", units.joined(separator: ", "))) }
        if let decimals { details.append(("decimals", "\(decimals)")) }
        details.append(("variables", shape))
        return ImportInspection(
            format: format, details: details,
            components: variables.enumerated().map { v, variable in
                let values = variable.texts.indices.map { i in
                    (value: variable.codes.map { $0[i] == variable.texts[i] ? variable.texts[i] : "\($0[i]) \(variable.texts[i])" } ?? variable.texts[i], count: counts[v][i])
                }
                return ImportInspection.Component(
                    id: variable.name, values: Array(values.sorted { $0.count > $1.count }.prefix(50)), distinct: variable.texts.count)
            },
            timeComponent: time?.name, firstPeriod: periods.min(), lastPeriod: periods.max(),
            seriesCount: variables.filter { !$0.isTime }.reduce(1) { $0.multipliedReportingOverflow(by: $1.texts.count).partialValue }, observationCount: observations,
            missingCount: missing)
    }
}
