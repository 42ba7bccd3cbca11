/// A hand assessment of a target (a milestone, or a note on any target): what was decided,
/// by whom and when.
public struct Assessment: Hashable, Sendable, Codable {
    public var kommune: AreaCode
    public var year: Int
    public var target: String
    public var status: EvaluationStatus
    public var note: String
    /// ISO date `YYYY-MM-DD`.
    public var date: String
    public var author: String

    public init(
        kommune: AreaCode, year: Int, target: String, status: EvaluationStatus, note: String, date: String,
        author: String
    ) {
        self.kommune = kommune
        self.year = year
        self.target = target
        self.status = status
        self.note = note
        self.date = date
        self.author = author
    }
}
