/// One file format beskplan imports. Each format is one type that recognises its files by their
/// content, says what a file holds (`beskplan import --inspect`), and reads it as observations
/// through a mapping. The formats are listed once (`ImportFormats.builtIn` in AppSupport); a
/// plugin adds its own for a local system (`KommunePlugin.importFormats`).
public protocol ImportFormat: Sendable {
    /// The name `--format` takes: `px`.
    var id: String { get }
    /// The name people read: `PX (PC-Axis)`.
    var name: String { get }
    /// Whether the file needs a mapping to import (a beskplan feed does not).
    var needsMapping: Bool { get }
    /// Whether a file that starts with `head` (its first 4 KB) is of this format.
    func matches(head: [UInt8]) -> Bool
    /// What the file holds, read whole without a mapping.
    func inspect(_ file: ImportFile) throws -> ImportInspection
    /// The file's observations through `mapping`, as one or more sources read in turn (the
    /// datasets of a bundle).
    func sources(_ file: ImportFile, mapping: ImportMapping?, catalog: ImportCatalog) throws -> [any ObservationSource & ReadProgress]
}

/// A file to read, with the choices a format may need.
public struct ImportFile: Sendable {
    public var path: String
    /// What messages call the file (an upload's own name, not the server's temporary path).
    public var name: String
    /// PX: one of the file's `LANGUAGES` (default: its own).
    public var language: String?
    /// CSV: the encoding, where detection should not decide.
    public var encoding: String?
    /// A bundle or message group: the one dataset to read (default: all).
    public var dataset: String?

    public init(path: String, name: String? = nil, language: String? = nil, encoding: String? = nil, dataset: String? = nil) {
        self.path = path
        self.name = name ?? path
        self.language = language
        self.encoding = encoding
        self.dataset = dataset
    }
}

/// What a file holds, the same for every format: its components with their values and how many
/// observations carry each, the time it covers, and how many series and observations an import
/// would find.
public struct ImportInspection: Sendable {
    public struct Component: Sendable {
        public var id: String
        /// The values with their counts, most frequent first (at most 50).
        public var values: [(value: String, count: Int)]
        /// How many distinct values the component has.
        public var distinct: Int

        public init(id: String, values: [(value: String, count: Int)], distinct: Int) {
            self.id = id
            self.values = values
            self.distinct = distinct
        }
    }

    /// The format's name, and what else is worth saying (title, encoding, languages, units), in English.
    public var format: String
    public var details: [(label: String, value: String)]
    public var components: [Component]
    public var timeComponent: String?
    public var firstPeriod: Period?
    public var lastPeriod: Period?
    public var seriesCount: Int
    public var observationCount: Int
    public var missingCount: Int

    public init(
        format: String, details: [(label: String, value: String)] = [], components: [Component], timeComponent: String?,
        firstPeriod: Period?, lastPeriod: Period?, seriesCount: Int, observationCount: Int, missingCount: Int
    ) {
        self.format = format
        self.details = details
        self.components = components
        self.timeComponent = timeComponent
        self.firstPeriod = firstPeriod
        self.lastPeriod = lastPeriod
        self.seriesCount = seriesCount
        self.observationCount = observationCount
        self.missingCount = missingCount
    }
}
