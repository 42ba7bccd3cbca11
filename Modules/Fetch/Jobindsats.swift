import BeskplanCore
import Foundation

/// STAR's Jobindsats API, version 3 (`api.jobindsats.dk/v3`; version 2 was retired after
/// 30 September 2026). Every call takes `format=json` and the organisation's key as
/// `Authorization: Bearer …`, which `Fetcher` adds and never shows. Dimension values are selected
/// by id paths (`/5/`), which `JobindsatsTable` resolves from the names the catalogue uses.
public enum Jobindsats {
    public static let defaultBaseURL = "https://api.jobindsats.dk"
    /// What version 2 answered for a wrong or expired key (in the body, with status 200).
    public static let retiredBadKeyAnswer = "Forkert nøgle eller nøglen er udløbet."
    /// The sentence every refusal of version 2 ends with.
    public static let versionTwoRetired =
        "Jobindsats' API version 2 blev lukket efter 30. september 2026; beskplan bruger version 3 (https://api.jobindsats.dk/v3)"

    /// What a plan asks of one table, by name: resolved to ids when it is sent.
    public struct Query: Sendable, Hashable {
        public let table: String
        /// The measurements, as the table's columns name them (`Antal fuldtidspersoner`).
        public let measurements: [String]
        /// Areas by the names Jobindsats prints (`Vesthimmerlands`, `Region Nordjylland`, `Hele landet`).
        public let areas: [String]
        public let periods: [Period]
        /// Other hierarchies' values by name (`_ygrpa02: [Ydelsesgrupper i alt]`; `*` for all).
        public let hierarchies: [String: [String]]

        public init(table: String, measurements: [String], areas: [String], periods: [Period], hierarchies: [String: [String]] = [:]) {
            self.table = table
            self.measurements = measurements
            self.areas = areas
            self.periods = periods
            self.hierarchies = hierarchies
        }

        /// For people: `ptv_a02: Antal fuldtidspersoner for 3 areas, 2019M01–2020M12 (24 periods)`.
        public var summary: String {
            let codes = periods.map(Jobindsats.periodCode)
            return "\(table): \(measurements.joined(separator: ", ")) for \(areas.count == 1 ? areas[0] : "\(areas.count) areas"), "
                + (codes.count == 1 ? codes[0] : "\(codes.first ?? "")–\(codes.last ?? "") (\(codes.count) periods)")
        }
    }

    /// `GET /v3/table/{id}`: the table's periods, dimensions with their values' ids, and measure groups.
    public static func tableRequest(table: String, baseURL: String = defaultBaseURL) -> SourceRequest {
        SourceRequest(
            source: .jobindsats, table: table, method: "GET",
            url: versionBase(baseURL) + "/table/\(escaped(table))?format=json", body: nil,
            summary: "\(table): its dimensions and values")
    }

    /// `GET /v3/data/{id}` with the resolved selectors, or the request as it will be sent once
    /// resolved (`--dry-run` shows that: nothing is sent, so nothing is resolved).
    public static func dataRequest(_ query: Query, selectors: [(String, String)]?, baseURL: String = defaultBaseURL) -> SourceRequest {
        let parameters = (selectors ?? []) + [("format", "json")]
        let text = parameters.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: queryValue) ?? $0.1)" }
            .joined(separator: "&")
        return SourceRequest(
            source: .jobindsats, table: query.table, method: "GET",
            url: versionBase(baseURL) + "/data/\(escaped(query.table))?\(text)", body: nil,
            summary: query.summary + (selectors == nil ? " (names resolved through /v3/table/\(query.table) when sent)" : ""))
    }

    /// A period as version 3 writes it: months `2024M03`, quarters `2024Q04`, years `2024Y01`,
    /// rolling years `2024QMAT04`.
    public static func periodCode(_ period: Period) -> String {
        switch period {
        case .year(let y): "\(y)Y01"
        case .quarter(let y, let q): "\(y)Q0\(q)"
        default: period.description
        }
    }

    /// Version 3's period type of a period (`M`, `Q`, `Y`, `QMAT`); `nil` where it publishes none.
    public static func periodType(_ period: Period) -> String? {
        switch period {
        case .month: "M"
        case .quarter: "Q"
        case .year: "Y"
        case .rollingYear: "QMAT"
        case .half, .week: nil
        }
    }

    /// The base as given, without a version, then `/v3`; a base that names version 2 is refused.
    static func versionBase(_ base: String) -> String {
        var base = SourceRequest.trimmed(base)
        if base.hasSuffix("/v3") { base.removeLast(3) }
        return base + "/v3"
    }

    /// Whether an address names an API version other than the one served (`…/vN/…` with N ≠ 3,
    /// as the retired version's addresses do): such a request is refused before it is sent.
    public static func isVersionTwo(_ url: String) -> Bool {
        let path = URLComponents(string: url)?.path ?? url
        return path.split(separator: "/").contains { segment in
            segment.count >= 2 && segment.first == "v" && segment.dropFirst().allSatisfy(\.isNumber) && segment != "v3"
        }
    }

    private static func escaped(_ table: String) -> String {
        table.addingPercentEncoding(withAllowedCharacters: SourceRequest.pathSegment) ?? table
    }

    /// Id paths (`/5/,/11/`) and `latest:3` keep their slashes, commas and colons.
    private static let queryValue = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~/,:*"))
}
