import AppSupport
import ArgumentParser
import Foundation

/// `beskplan kommuner`: the 98 kommuner with their region.
struct KommunerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kommuner", abstract: "List the 98 kommuner with their DST code and region.")

    @Option(help: "Only kommuner in this region (code or name, e.g. 081 or Nordjylland).")
    var region: String?

    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    func run() throws {
        let areas = AreaCatalog.standard
        var kommuner = areas.kommuner
        if let region {
            let area = try areas.lookup(region)
            guard area.kind == .region else { throw UserError("'\(region)' is not a region") }
            kommuner = kommuner.filter { $0.region == area.code }
        }
        let rows = kommuner.map { k -> [String] in
            let region = k.region.flatMap { areas[$0] }
            return [k.code.rawValue, k.name, k.slug, region?.code.rawValue ?? "", region?.name ?? ""]
        }
        let headers = ["code", "name", "slug", "region", "region_name"]
        print(try Listing(headers: headers, rows: rows).render(format))
    }
}

/// The same rows as a table, CSV or JSON objects.
struct Listing {
    var headers: [String]
    var rows: [[String]]
    var rightAligned: Set<Int> = []

    func render(_ format: OutputFormat) throws -> String {
        switch format {
        case .table:
            var table = TextTable(headers, rightAligned: rightAligned)
            rows.forEach { table.append($0) }
            return table.render()
        case .markdown:
            let align = headers.indices.map { rightAligned.contains($0) ? "---:" : "---" }
            return ([headers, align] + rows).map { "| " + $0.map(Self.markdownCell).joined(separator: " | ") + " |" }
                .joined(separator: "\n")
        case .csv:
            return ([headers] + rows).map { $0.map(Self.csvField).joined(separator: ";") }.joined(separator: "\n")
        case .json:
            let objects = rows.map { Dictionary(uniqueKeysWithValues: zip(headers, $0)) }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
    }

    static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
