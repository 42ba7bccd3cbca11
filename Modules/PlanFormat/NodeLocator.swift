import BeskplanCore
import Yams

/// Finds the YAML line and column of a path in the document (`goals[2].targets[0].rule.measure`).
struct NodeLocator {
    enum Key: Equatable {
        case name(String)
        case index(Int)
    }

    let root: Node
    let file: String

    /// The node at the path, or the deepest one on the way.
    func node(_ path: [Key]) -> Node {
        var current = root
        for key in path {
            switch (key, current) {
            case (.name(let name), .mapping(let mapping)):
                guard let value = mapping.first(where: { $0.key.string == name })?.value else { return current }
                current = value
            case (.index(let i), .sequence(let sequence)):
                guard i < sequence.count else { return current }
                current = sequence[i]
            default:
                return current
            }
        }
        return current
    }

    func error(_ path: [Key], _ message: String) -> PlanError {
        let mark = node(path).mark
        return PlanError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message)
    }

    /// A decoding error located at its coding path, worded for a plan author.
    func error(for error: DecodingError) -> PlanError {
        func keys(_ path: [any CodingKey]) -> [Key] {
            path.map { $0.intValue.map(Key.index) ?? .name($0.stringValue) }
        }
        func dotted(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = dotted(context.codingPath)
            return self.error(keys(context.codingPath), "missing '\(key.stringValue)'" + (at.isEmpty ? "" : " in \(at)"))
        case .typeMismatch(let type, let context):
            return self.error(keys(context.codingPath), "\(dotted(context.codingPath)): expected \(Self.describe(type))")
        case .valueNotFound(_, let context):
            return self.error(keys(context.codingPath), "\(dotted(context.codingPath)): a value is needed")
        case .dataCorrupted(let context):
            return self.error(keys(context.codingPath), "\(dotted(context.codingPath)): \(Self.reword(context))")
        @unknown default:
            return PlanError(file: file, line: 1, column: 1, message: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Double.Type: "a number"
        case is Array<Any>.Type: "a list"
        default: "\(type)"
        }
    }

    /// Yams says "Cannot initialize Frequency from invalid String value x"; say what is allowed.
    private static func reword(_ context: DecodingError.Context) -> String {
        let text = context.debugDescription
        let field = context.codingPath.last?.stringValue
        let allowed: [String: [String]] = [
            "frequency": FollowUp.Frequency.allCases.map(\.rawValue),
            "kind": ["minister", "local"],
            "status": ["udkast", "godkendt"],
            "aggregate": Aggregate.allCases.map(\.rawValue),
            "op": Comparison.allCases.map(\.rawValue),
            "direction": ChangeRule.Direction.allCases.map(\.rawValue),
            "offsetUnit": ["procentpoint", "percent"],
            "mark": ["nyt", "videreført"],
        ]
        if text.contains("invalid"), let field, let values = allowed[field] {
            let given = text.components(separatedBy: "value ").last ?? ""
            let suggestion = DanishText.closest(to: given, among: values).map { "; did you mean '\($0)'?" } ?? ""
            return "'\(given)' is not one of \(values.joined(separator: ", "))\(suggestion)"
        }
        return text
    }
}
