/// What a plan or an import mapping a user sends may not be, before the YAML parser sees it:
/// neither has need of anchors and aliases (the "billion laughs" that expand a small file into a
/// huge tree) or of nesting deeper than a few levels. Checked on the text, one pass; each finding
/// at its line and column. Hand-written: Yams resolves aliases while it parses, too late to refuse them.
public enum YAMLGuard {
    public static let maximumDepth = 40

    /// A place the text breaks the rule.
    public struct Finding: Sendable, Hashable {
        public let line: Int
        public let column: Int
        public let message: String
    }

    /// Up to 20 findings; none for a text a plan or mapping may be.
    public static func findings(in text: String) -> [Finding] {
        var line = 1
        var found: [Finding] = []
        for row in text.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { line += 1 }
            let indent = row.prefix { $0 == " " }.count
            let body = row.dropFirst(indent)
            if indent / 2 > maximumDepth || body.prefix(while: { $0 == "[" || $0 == "{" || $0 == "-" || $0 == " " }).count > maximumDepth {
                found.append(Finding(line: line, column: 1, message: "nested deeper than a plan or mapping is (\(maximumDepth) levels)"))
            }
            // An anchor or alias starts a value: after ': ', '- ', '[', ',' or at the line's start.
            for (offset, marker) in [(body.range(of: ": &"), "&"), (body.range(of: ": *"), "*"), (body.range(of: "- &"), "&"),
                                     (body.range(of: "- *"), "*"), (body.range(of: "[*"), "*"), (body.range(of: ", *"), "*")]
            where offset != nil {
                let column = indent + body.distance(from: body.startIndex, to: offset!.lowerBound) + 3
                found.append(Finding(
                    line: line, column: column,
                    message: "YAML \(marker == "&" ? "anchors" : "aliases") are not used here; write the value out"))
                break
            }
            if body.hasPrefix("&") || body.hasPrefix("*") {
                found.append(Finding(line: line, column: indent + 1, message: "YAML anchors and aliases are not used here; write the value out"))
            }
            if found.count >= 20 { break }
        }
        return found
    }
}
