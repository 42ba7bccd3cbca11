import BeskplanCore

/// A PX (PC-Axis) file: its keywords read as a `Cube`, and its cells streamed. Reads STUB and
/// HEADING in order (the last variable fastest), `VALUES` and `CODES`, `TIMEVAL`, `CONTVARIABLE`
/// with each content's `UNITS`, `DECIMALS`, and language-suffixed keywords (`VALUES[en]("area")`)
/// for another language than the file's `LANGUAGE`.
public struct PXFile {
    public let cube: Cube
    /// The file's own language, and the others it holds.
    public let language: String?
    public let languages: [String]
    let header: PXHeader
    let path: String
    let file: String

    /// Reads the keywords of the file at `path`; `language` picks one of `LANGUAGES` (default: the file's).
    public init(path: String, displayName: String? = nil, language requested: String? = nil) throws(ImportError) {
        let file = displayName ?? path
        let header = try PXHeader(path: path, file: file)
        self.header = header
        self.path = path
        self.file = file
        func first(_ keyword: String, _ subkeys: [String] = [], _ language: String? = nil) -> PXHeader.Statement? {
            header.statements.first { $0.keyword == keyword && $0.language == language && $0.subkeys == subkeys }
        }
        func fail(_ line: Int, _ message: String) -> ImportError { ImportError(file: file, line: line, column: 1, message: message) }
        if let keys = header.statements.first(where: { $0.keyword == "KEYS" }) {
            throw fail(keys.line, "KEYS (a DATA block of keys and values) is not read; export the table with every cell")
        }
        language = first("LANGUAGE")?.values.first
        languages = first("LANGUAGES")?.values ?? language.map { [$0] } ?? []
        // The file's own language is written without a suffix.
        let suffix: String?
        if let requested, requested != language {
            guard languages.contains(requested) else {
                throw fail(1, "the file has no language '\(requested)' (it has \(languages.isEmpty ? "one, unnamed" : languages.joined(separator: ", ")))")
            }
            suffix = requested
        } else {
            suffix = nil
        }
        let stub = first("STUB")?.values ?? []
        let heading = first("HEADING")?.values ?? []
        let own = stub + heading
        guard !own.isEmpty else { throw fail(header.dataLine, "neither STUB nor HEADING names a variable") }
        let names = suffix.map { (first("STUB", [], $0)?.values ?? stub) + (first("HEADING", [], $0)?.values ?? heading) } ?? own
        guard names.count == own.count else {
            throw fail(1, "STUB and HEADING in '\(suffix ?? "")' name \(names.count) variables, in the file's language \(own.count)")
        }
        let contentName = first("CONTVARIABLE", [], suffix)?.values.first
        var variables: [Cube.Variable] = []
        for (name, ownName) in zip(names, own) {
            guard let values = first("VALUES", [name], suffix) ?? first("VALUES", [ownName]) else {
                throw fail(header.dataLine, "VALUES(\"\(name)\") is missing: every variable of STUB and HEADING lists its values")
            }
            let codes = (first("CODES", [name], suffix) ?? first("CODES", [ownName]))?.values
            if let codes, codes.count != values.values.count {
                throw fail(values.line, "\"\(name)\" has \(values.values.count) VALUES but \(codes.count) CODES")
            }
            var variable = Cube.Variable(name: name, texts: values.values, codes: codes)
            if ownName != name { variable.aliases = [ownName] }
            if let timeval = first("TIMEVAL", [name], suffix) ?? first("TIMEVAL", [ownName]) {
                variable.isTime = true
                // TIMEVAL("tid")=TLIST(Q1),"20071",…: the periods in the PX standard's form, as the codes.
                let periods = timeval.values.dropFirst()
                if variable.codes == nil, periods.count == values.values.count, !periods.contains(where: { $0.contains("\"-\"") }) {
                    let unit = timeval.values.first.flatMap { $0.split(separator: "(").dropFirst().first?.prefix(2) }.map(String.init)
                    variable.codes = periods.map { Self.period($0, unit: unit) }
                }
            }
            variable.isContent = name == contentName
            variables.append(variable)
        }
        if !variables.contains(where: \.isTime), let i = variables.firstIndex(where: { Self.timeNames.contains($0.name.lowercased()) }) {
            variables[i].isTime = true
        }
        var cells = 1
        for variable in variables {
            let (product, overflow) = cells.multipliedReportingOverflow(by: variable.texts.count)
            guard !overflow, product <= 1 << 40 else { throw fail(header.dataLine, "the variables make more cells than any file holds") }
            cells = product
        }
        var units: [String] = []
        if let content = variables.first(where: \.isContent) {
            units = content.texts.map { (first("UNITS", [$0], suffix) ?? first("UNITS", [$0]))?.values.first ?? "" }
        } else if let unit = (first("UNITS", [], suffix) ?? first("UNITS"))?.values.first {
            units = [unit]
        }
        cube = Cube(
            title: (first("TITLE", [], suffix) ?? first("TITLE"))?.values.first, variables: variables, units: units,
            decimals: first("DECIMALS")?.values.first.flatMap { Int($0) })
    }

    /// A `TLIST` period in beskplan's notation: `20071` in `TLIST(Q1)` is `2007K1`, `200705` in
    /// `TLIST(M1)` is `2007M05`; a period already in a known form stays as it is.
    static func period(_ code: String, unit: String?) -> String {
        let digits = code.allSatisfy(\.isNumber)
        switch unit {
        case "H1" where digits && code.count == 5: return "\(code.prefix(4))H\(code.suffix(1))"
        case "Q1" where digits && code.count == 5: return "\(code.prefix(4))K\(code.suffix(1))"
        case "M1" where digits && code.count == 6: return "\(code.prefix(4))M\(code.suffix(2))"
        case "W1" where digits && code.count == 6: return "\(code.prefix(4))U\(code.suffix(2))"
        default: return code
        }
    }

    /// The names a time variable goes by where `TIMEVAL` is missing.
    static let timeNames: Set<String> = ["tid", "time", "år", "year", "kvartal", "quarter", "måned", "month", "periode", "period"]

    /// The cells, streamed from `DATA=`.
    public func cells() throws(ImportError) -> any CubeCells {
        try PXCells(path: path, file: file, offset: header.dataOffset, line: header.dataLine, expected: cube.cellCount, shape: cube.shape)
    }

    /// The encoding the keywords were read in.
    public var encoding: String { header.encodingName }

    /// Whether a file's first bytes look like PX: a keyword statement such as `CHARSET=` or `AXIS-VERSION=`.
    public static func matches(head: [UInt8]) -> Bool {
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let text = String(decoding: bytes.prefix(400).map { $0 < 128 ? $0 : 32 }, as: UTF8.self)
        return ["CHARSET=", "AXIS-VERSION=", "CODEPAGE=", "LANGUAGE=", "CREATION-DATE=", "DECIMALS=", "MATRIX="].contains { text.hasPrefix($0) }
    }
}
