/// An import failure located in its file: `feed.xml:12:7: unknown measure 'x'`.
public struct ImportError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// One line: `file:line:col: message`, or `file: message` for an error about the whole file.
    public var description: String {
        let flat = message.replacingOccurrences(of: "\n", with: " ")
        return line > 0 ? "\(file):\(line):\(column): \(flat)" : "\(file): \(flat)"
    }
}

extension String {
    /// Text from an input file, cut for a message: a message never repeats more than a few dozen
    /// characters of a field, and never more than 200 of the input in all.
    public func clippedForMessage(_ limit: Int = 60) -> String {
        count > limit ? prefix(limit - 1) + "…" : self
    }
}
