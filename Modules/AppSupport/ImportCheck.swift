import BeskplanCore

/// What an import must satisfy once the whole file is read, whatever its format: it stores at
/// least one observation, and every `select:` matches a value the file holds. Either failure is
/// an error that says why, and the import is rolled back.
struct ImportCheck: Sendable {
    let file: String
    let mapping: ImportMapping?
    /// The 1-based column of a component (a CSV header), for the error's position.
    let column: @Sendable (String) -> Int?

    init(file: String, mapping: ImportMapping?, column: @escaping @Sendable (String) -> Int? = { _ in nil }) {
        self.file = file
        self.mapping = mapping
        self.column = column
    }

    /// Throws when the import would store nothing.
    func callAsFunction(_ report: SkipReport, _ observations: Int) throws {
        guard observations == 0 else { return }
        for (component, selection) in (mapping?.select ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let seen = report.selectValues[component], !seen.isEmpty,
                !seen.keys.contains(where: selection.values.contains)
            else { continue }
            let wanted = selection.values.map { "'\($0)'" }.joined(separator: " or ")
            let values = seen.keys.sorted()
            // At most 200 characters of the file's values, however many there are.
            var listed = values.prefix(10).map { "'\($0.clippedForMessage(40))'" }.joined(separator: ", ").clippedForMessage(200)
            if values.count > 10 { listed += " and \(values.count - 10) more" }
            throw ImportError(
                file: file, line: seen.values.filter { $0 > 0 }.min() ?? 1, column: column(component) ?? 1,
                message: "select: \(component): \(wanted) never occurs in the file; its \(component) values are \(listed)")
        }
        guard report.total > 0 else {
            throw ImportError(file: file, line: 1, column: 1, message: "nothing to import: the file holds no observation")
        }
        // Three reasons at most (each quotes at most 60 characters of the file); the summary has them all.
        let reasons = report.sorted.prefix(3).map { "\($0.reason) (\($0.count), first on line \($0.firstLine))" }
        let more = report.entries.count > 3 ? "; and \(report.entries.count - 3) more reasons" : ""
        throw ImportError(
            file: file, line: report.sorted.first.map(\.firstLine) ?? 1, column: 1,
            message: "nothing to import: all \(report.total) observations were skipped: \(reasons.joined(separator: "; "))\(more)")
    }
}
