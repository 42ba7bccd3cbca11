import BeskplanCore

// Rows as every store holds them, read back the same way: each backend decodes its columns and
// hands them here, so that a value this version does not know reads alike in SQLite and PostgreSQL.

extension PlanVersionInfo {
    /// A plan version's row; a status this version does not know reads as udkast (never as approved).
    package init(kommune: String, year: Int, version: Int, author: String, savedAt: String, title: String, storedStatus: String) {
        self.init(
            kommune: AreaCode(kommune), year: year, version: version, author: author, savedAt: savedAt, title: title,
            status: Plan.Status(rawValue: storedStatus) ?? .udkast)
    }
}

extension Assessment {
    /// An assessment's row; a status this version does not know reads as vurderet.
    package init(kommune: String, year: Int, target: String, storedStatus: String, note: String, date: String, author: String) {
        self.init(
            kommune: AreaCode(kommune), year: year, target: target, status: EvaluationStatus(rawValue: storedStatus) ?? .vurderet,
            note: note, date: date, author: author)
    }
}

extension KommuneEvent {
    /// A decision's row; `nil` for a kind this version does not know (a later version's decision is not guessed at).
    package init?(id: Int64, kommune: String, storedKind: String, year: Int?, asOf: String?, author: String, at: String) {
        guard let kind = Kind(rawValue: storedKind) else { return nil }
        self.init(id: id, kommune: AreaCode(kommune), kind: kind, year: year, asOf: asOf, author: author, at: at)
    }
}
