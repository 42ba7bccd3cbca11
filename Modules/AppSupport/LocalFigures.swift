import Foundation
import Storage

/// The kommune's own figures a plan reads — those no public source publishes — typed in on the
/// data page or filled into a template in Excel. Both become an import like any file: all or
/// nothing, recorded and audited, through the shipped mapping `beskplan-egne-tal`; a later save
/// of the same series and period replaces the value, and the summary says how many it replaced.
public struct LocalFigures: Sendable {
    /// One series the plan reads of a local measure, and the periods its rules read.
    public struct Series: Sendable, Hashable, Identifiable {
        public let measure: MeasureID
        public let name: String
        public let office: String
        public let dimensions: [String: String]
        public let periods: [Period]

        /// A stable name for a form field (`samsoe.opkvalificeringsforloeb|ydelse=i_alt`).
        public var id: String {
            ([measure] + dimensions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: "|")
        }
    }

    /// The mapping a template and a typed-in save are read with.
    public static let mapping = "beskplan-egne-tal"

    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    /// Every series of the kommune's own measures the plan's rules read, for the kommune only.
    public func series(_ plan: Plan) -> [Series] {
        environment.registry.evaluator.requirements(plan, areas: environment.areas, measures: environment.measures).compactMap { need in
            guard let m = environment.measures[need.measure], m.kind == .local, need.areas.contains(plan.kommune) else { return nil }
            return Series(
                measure: m.id, name: m.name, office: m.office ?? "", dimensions: need.dimensions, periods: need.periods.sorted())
        }
    }

    /// The template: a row per local series and period, values empty, as Danish Excel reads and
    /// writes CSV (`;`, decimal comma, UTF-8 with BOM, CRLF). Filled in and saved, it imports back
    /// with `beskplan import FILE --mapping beskplan-egne-tal`.
    public func template(_ plan: Plan, values: [String: [Period: Double]] = [:]) -> String {
        rows(series(plan), kommune: plan.kommune, values: values, comment: "")
    }

    /// The rows of a table in the template's layout: dimension columns for every dimension the
    /// series use, then the period, the value (empty where there is none) and the source comment.
    func rows(_ series: [Series], kommune: AreaCode, values: [String: [Period: Double]], comment: String) -> String {
        let dimensions = Array(Set(series.flatMap(\.dimensions.keys))).sorted()
        let area = environment.areas[kommune]?.name ?? kommune.rawValue
        var lines = [(["MAALING", "NAVN", "OMRÅDE"] + dimensions.map { $0.uppercased() } + ["TID", "INDHOLD", "KILDE"]).joined(separator: ";")]
        for s in series {
            for period in s.periods {
                let value = values[s.id]?[period].map { DanishNumber.format($0, decimals: Self.decimals($0)) } ?? ""
                let cells = [s.measure, s.name, area] + dimensions.map { s.dimensions[$0] ?? "" } + [period.description, value, comment]
                lines.append(cells.map(Self.field).joined(separator: ";"))
            }
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The stored figures of one series for the kommune, by period.
    public func stored(_ series: Series, kommune: AreaCode) async throws -> [Period: Double] {
        let rows = try await environment.store.observations(
            ObservationQuery(measure: series.measure, areas: [kommune], dimensions: series.dimensions))
        return Dictionary(rows.filter { $0.series.dimensions == series.dimensions }.map { ($0.period, $0.value) }, uniquingKeysWith: { _, b in b })
    }

    /// The typed values that differ from what is stored: a form shows the stored figures, and
    /// only what was changed is saved (and counted as replaced).
    public func changed(_ values: [String: [Period: Double]], plan: Plan) async throws -> [String: [Period: Double]] {
        var result: [String: [Period: Double]] = [:]
        for s in series(plan) {
            guard let typed = values[s.id] else { continue }
            let stored = try await stored(s, kommune: plan.kommune)
            let fresh = typed.filter { period, value in stored[period].map { abs($0 - value) >= 1e-9 * max(1, abs($0)) } ?? true }
            if !fresh.isEmpty { result[s.id] = fresh }
        }
        return result
    }

    /// Saves typed-in values of the plan's local series (by series id and period) as one import.
    /// `comment` is where the figures come from ("kilde"), kept with the import.
    public func save(
        _ values: [String: [Period: Double]], plan: Plan, comment: String, actor: String
    ) async throws -> FileImporter.Summary {
        let wanted = series(plan).filter { values[$0.id]?.isEmpty == false }
        guard !wanted.isEmpty else { throw StoreError("no figure was given") }
        let text = rows(wanted, kommune: plan.kommune, values: values, comment: comment)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-egne-tal-\(UUID().uuidString).csv").path
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw StoreError("cannot write a temporary file")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let kilde = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        let importer = FileImporter(
            environment, actor: actor, onlyArea: environment.areas[plan.kommune],
            origin: ImportOrigin(source: "egne tal", file: kilde.isEmpty ? "indtastet på datasiden" : "indtastet på datasiden: \(kilde)", actor: actor))
        return try await importer.importFile(path, format: .csv, mapping: try FileImporter.mapping(Self.mapping, environment: environment))
    }

    /// As few decimals as the value needs (up to 4), so a typed value reads back as typed.
    public static func decimals(_ value: Double) -> Int {
        for d in 0...4 where (value * pow(10, Double(d))).rounded() == value * pow(10, Double(d)) { return d }
        return 4
    }

    /// A field quoted when it holds the separator, a quote or a line break.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
