import BeskplanCore
import Foundation

/// STAR's Jobindsats API, version 2 (`api.jobindsats.dk/v2`): `POST /v2/data/{table}/json` with
/// the areas, periods and measurements wanted; the organisation's key goes in the
/// `Authorization` header, which `Fetcher` adds and never shows.
public enum Jobindsats {
    public static let defaultBaseURL = "https://api.jobindsats.dk"
    /// What Jobindsats answers for a wrong or expired key.
    public static let badKeyAnswer = "Forkert nøgle eller nøglen er udløbet."

    /// The request for a table's figures: areas by the names Jobindsats prints, periods as it
    /// writes them (`2024M03`, `2024Q1`, `2024QMAT04`), measurements by their labels.
    public static func dataRequest(
        table: String, measurements: [String], areas: [String], periods: [String], baseURL: String = defaultBaseURL
    ) -> SourceRequest {
        let body: [String: Any] = ["area": areas, "period": periods, "measurement": measurements]
        let summary = "\(table): \(measurements.joined(separator: ", ")) for \(areas.count == 1 ? areas[0] : "\(areas.count) areas"), "
            + (periods.count == 1 ? periods[0] : "\(periods.first ?? "")–\(periods.last ?? "") (\(periods.count) periods)")
        return SourceRequest(
            source: .jobindsats, table: table, method: "POST",
            url: SourceRequest.trimmed(baseURL) + "/v2/data/\(table.addingPercentEncoding(withAllowedCharacters: SourceRequest.pathSegment) ?? table)/json",
            body: SourceRequest.json(body), summary: summary)
    }

    /// A period as Jobindsats writes it: months `2024M03`, quarters `2024Q1`, years `2024`,
    /// rolling years `2024QMAT04`.
    public static func periodCode(_ period: Period) -> String {
        switch period {
        case .quarter(let y, let q): "\(y)Q\(q)"
        default: period.description
        }
    }
}
