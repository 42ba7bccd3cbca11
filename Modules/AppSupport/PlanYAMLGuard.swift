import PlanFormat

/// What a plan a user sends may not be, before the YAML parser sees it: a plan has no need of
/// anchors and aliases (the "billion laughs" that expand a small file into a huge tree) or of
/// nesting deeper than a few levels. Checked on the text, one pass, with line and column.
enum PlanYAMLGuard {
    static let maximumDepth = 40

    static func check(_ text: String, file: String = "plan.yaml") throws(PlanErrors) {
        var line = 1
        var errors: [PlanError] = []
        for row in text.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { line += 1 }
            let indent = row.prefix { $0 == " " }.count
            let body = row.dropFirst(indent)
            if indent / 2 > maximumDepth || body.prefix(while: { $0 == "[" || $0 == "{" || $0 == "-" || $0 == " " }).count > maximumDepth {
                errors.append(PlanError(file: file, line: line, column: 1, message: "nested deeper than a plan is (\(maximumDepth) levels)"))
            }
            // An anchor or alias starts a value: after ': ', '- ', '[', ',' or at the line's start.
            for (offset, marker) in [(body.range(of: ": &"), "&"), (body.range(of: ": *"), "*"), (body.range(of: "- &"), "&"),
                                     (body.range(of: "- *"), "*"), (body.range(of: "[*"), "*"), (body.range(of: ", *"), "*")]
            where offset != nil {
                let column = indent + body.distance(from: body.startIndex, to: offset!.lowerBound) + 3
                errors.append(PlanError(
                    file: file, line: line, column: column,
                    message: "YAML \(marker == "&" ? "anchors" : "aliases") are not used in plans; write the value out"))
                break
            }
            if body.hasPrefix("&") || body.hasPrefix("*") {
                errors.append(PlanError(file: file, line: line, column: indent + 1, message: "YAML anchors and aliases are not used in plans"))
            }
            if errors.count >= 20 { break }
        }
        guard errors.isEmpty else { throw PlanErrors(errors) }
    }
}
