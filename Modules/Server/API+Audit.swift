import AppSupport
import Foundation
import OpenAPIRuntime
import Storage

/// The audit log: the installation's for the operator, a kommune's for its admins; JSON or CSV.
extension API {
    func listAudit(_ input: Operations.ListAudit.Input) async throws -> Operations.ListAudit.Output {
        let scope = try input.query.kommune.map { try environment.scope($0) }
        let entries = try await AuditService(environment).log(limit: Self.limit(input.query.limit), scope: scope)
        if input.query.format == .csv { return .ok(.init(body: .csv(HTTPBody(Self.csv(entries))))) }
        return .ok(.init(body: .json(entries.map(Self.entry))))
    }

    func listKommuneAudit(_ input: Operations.ListKommuneAudit.Input) async throws -> Operations.ListKommuneAudit.Output {
        let scope = try scope
        let entries = try await AuditService(environment).log(limit: Self.limit(input.query.limit), scope: scope)
        if input.query.format == .csv {
            addHeader(.contentDisposition, "attachment; filename=\"\(scope.area.slug)-audit.csv\"")
            return .ok(.init(body: .csv(HTTPBody(Self.csv(entries)))))
        }
        return .ok(.init(body: .json(entries.map(Self.entry))))
    }

    private static func limit(_ asked: Int?) -> Int { min(max(asked ?? 100, 1), 10_000) }

    private static func entry(_ e: AuditEntry) -> Components.Schemas.AuditEntry {
        .init(
            id: e.id, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail, kommune: e.kommune?.rawValue,
            address: e.address)
    }

    /// RFC 4180 CSV: a header, every field quoted, quotes doubled; a field that a spreadsheet
    /// would run as a formula (`=`, `+`, `-`, `@`, and TAB or CR before one, as OWASP lists) starts
    /// with an apostrophe.
    static func csv(_ entries: [AuditEntry]) -> String {
        let header = ["id", "at", "actor", "action", "subject", "detail", "kommune", "address"]
        let rows = entries.map { e in
            [String(e.id), e.at, e.actor, e.action, e.subject, e.detail, e.kommune?.rawValue ?? "", e.address ?? ""]
        }
        return ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    private static func field(_ text: String) -> String {
        let safe = text.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } == true ? "'" + text : text
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
