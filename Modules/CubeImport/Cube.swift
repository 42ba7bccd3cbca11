import BeskplanCore

/// A data cube, as PX and JSON-stat publish statistics: variables in order, each with its values
/// (texts, and codes where the file has them), and one cell per combination, the last variable
/// varying fastest.
public struct Cube: Sendable {
    public struct Variable: Sendable {
        public var name: String
        /// Other names the variable goes by: in a PX file read in another language, its name in
        /// the file's own (a mapping names `OMRÅDE` whichever language the values are read in).
        public var aliases: [String] = []
        public var texts: [String]
        public var codes: [String]?
        /// The variable holds the periods (PX `TIMEVAL`, JSON-stat's time role).
        public var isTime = false
        /// The variable holds different contents (PX `CONTVARIABLE`, JSON-stat's metric role).
        public var isContent = false

        public init(name: String, texts: [String], codes: [String]? = nil) {
            self.name = name
            self.texts = texts
            self.codes = codes
        }

        /// A value as the mapping reads it: its code, where asked for and present, else its text.
        func label(_ index: Int, codes useCodes: Bool) -> String {
            if useCodes, let codes, index < codes.count { return codes[index] }
            return texts[index]
        }
    }

    public var title: String?
    public var variables: [Variable]
    /// The unit of each content value (or of the whole cube), as the file says.
    public var units: [String]
    public var decimals: Int?

    /// How many cells the variables make.
    public var cellCount: Int { variables.reduce(1) { $0.multipliedReportingOverflow(by: $1.texts.count).partialValue } }

    /// `område (99) × tid (76)`: the sizes, for messages.
    public var shape: String { variables.map { "\($0.name) (\($0.texts.count))" }.joined(separator: " × ") }
}

/// One cell of a cube: a number, or a missing value with the symbol the file wrote.
public enum CubeCell: Sendable, Equatable {
    case number(Double)
    case missing(String)
}

/// The cells of a cube in order, read as they come.
public protocol CubeCells: AnyObject {
    /// The next cell, or `nil` after the last.
    func next() throws(ImportError) -> CubeCell?
    /// The line the last cell was on, for messages (0 where a format has no lines worth naming).
    var line: Int { get }
    var bytesRead: Int64 { get }
    var totalBytes: Int64 { get }
}
