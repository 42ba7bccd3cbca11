import BeskplanCore
import Foundation

/// Danmarks Statistik's Statistikbanken API (`api.statbank.dk/v1`, no key): `POST /v1/data`
/// with the table, the format and each variable's values; `GET /v1/tableinfo/{table}` for the
/// table's `updated` stamp.
public enum Statistikbanken {
    public static let defaultBaseURL = "https://api.statbank.dk"
    /// The most cells one answer may hold; a larger request is split.
    public static let cellLimit = 1_000_000

    /// The requests for a table's selection, split along its longest list of values when they
    /// would make more than `limit` cells (a `*` counts as one value: it is used where a table
    /// has one). `format` is `CSV` (or `JSONSTAT`); values come as Danish texts, which the
    /// shipped mappings read.
    public static func dataRequests(
        table: String, variables: [(code: String, values: [String])], format: String = "CSV", baseURL: String = defaultBaseURL,
        limit: Int = cellLimit
    ) -> [SourceRequest] {
        let cells = variables.reduce(1) { $0 * max($1.values.count, 1) }
        if cells > limit, let longest = variables.indices.max(by: { variables[$0].values.count < variables[$1].values.count }),
            variables[longest].values.count > 1
        {
            let others = cells / variables[longest].values.count
            let perPart = max(1, limit / max(others, 1))
            return stride(from: 0, to: variables[longest].values.count, by: perPart).flatMap { start in
                var part = variables
                part[longest].values = Array(variables[longest].values[start..<min(start + perPart, variables[longest].values.count)])
                return dataRequests(table: table, variables: part, format: format, baseURL: baseURL, limit: limit)
            }
        }
        let body: [String: Any] = [
            "table": table, "format": format, "lang": "da",
            "variables": variables.map { ["code": $0.code, "values": $0.values] },
        ]
        let summary = "\(table): " + variables.map { "\($0.code) \($0.values.count == 1 ? $0.values[0] : "\($0.values.count) values")" }
            .joined(separator: " × ") + " (\(cells) cells)"
        return [SourceRequest(
            source: .dst, table: table, method: "POST", url: SourceRequest.trimmed(baseURL) + "/v1/data", body: SourceRequest.json(body),
            summary: summary)]
    }

    /// The request for a table's description, whose `updated` says when it was last published.
    public static func tableInfoRequest(table: String, baseURL: String = defaultBaseURL) -> SourceRequest {
        SourceRequest(
            source: .dst, table: table, method: "GET",
            url: SourceRequest.trimmed(baseURL) + "/v1/tableinfo/\(table.addingPercentEncoding(withAllowedCharacters: SourceRequest.pathSegment) ?? table)?format=JSON",
            body: nil, summary: "\(table): when it was updated")
    }

    /// A period as the API's `TID` codes write it: `2024`, `2024K1`, `2024M03`, `2024H1`.
    public static func periodCode(_ period: Period) -> String { period.description }
}
