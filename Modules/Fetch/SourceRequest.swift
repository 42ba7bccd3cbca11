import BeskplanCore
import Foundation

/// One request to a source's API: what `--dry-run` lists and what `Fetcher` sends. It never
/// holds a key: the key is added to the headers when the request is sent.
public struct SourceRequest: Sendable, Hashable {
    public let source: MeasureOrigin.Source
    /// The table asked for.
    public let table: String
    public let method: String
    /// The address, without a key (keys travel in a header).
    public let url: String
    /// A JSON body, for a POST.
    public let body: [UInt8]?
    /// What the request asks for, for people (`AUK01: OMRÅDE 3 values × TID 8 values`).
    public let summary: String

    public init(source: MeasureOrigin.Source, table: String, method: String, url: String, body: [UInt8]?, summary: String) {
        self.source = source
        self.table = table
        self.method = method
        self.url = url
        self.body = body
        self.summary = summary
    }

    /// `POST https://api.statbank.dk/v1/data (AUK01: …)`.
    public var line: String { "\(method) \(url) — \(summary)" }

    /// A body as compact JSON with sorted keys, so that a request reads the same every run.
    static func json(_ object: Any) -> [UInt8] {
        // The objects are built here from strings and lists only: they always serialise.
        [UInt8]((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }

    /// What a table id may keep unescaped in an address (`ptv_a02`, `AUK01`).
    static let pathSegment = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))

    /// A base address without a trailing slash.
    static func trimmed(_ base: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}
