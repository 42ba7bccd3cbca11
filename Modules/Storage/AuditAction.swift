import BeskplanCore
import Foundation

/// What an audit row records: the one list of the store's audited actions, written the same by
/// every backend. `AuditEntry.action` keeps the raw text, since a log may hold a later version's.
public enum AuditAction: String, Sendable, CaseIterable {
    case login
    case loginFailed = "login.failed"
    case logout
    case userAdd = "user.add"
    case userPassword = "user.passwd"
    case userDisable = "user.disable"
    case userUpdate = "user.update"
    case tokenCreate = "token.create"
    case tokenRevoke = "token.revoke"
    case observationsImport = "observations.import"
    case planSave = "plan.save"
    case assessmentSave = "assessment.save"
    case published = "kommune.published"
    case unpublished = "kommune.unpublished"
    case followUpFinal = "kommune.followup.final"
    case fetchRun = "fetch.run"
    case reportApproved = "report.approved"
    case migrate = "db.migrate"

    /// The action a kommune's decision is recorded as.
    public init(_ kind: KommuneEvent.Kind) {
        switch kind {
        case .published: self = .published
        case .unpublished: self = .unpublished
        case .followUpFinal: self = .followUpFinal
        }
    }

    /// Whether the row leaves the store's revision as it was: a sign-in only adds a session (a new
    /// key), and failed ones, which anyone can cause, must not empty every cache.
    package var keepsRevision: Bool { self == .login || self == .loginFailed }
}

/// What an audit row names as its subject, the same in every backend.
package enum AuditSubject {
    package static func user(_ username: String) -> String { "user \(username)" }
    package static func token(_ id: Int64) -> String { "token \(id)" }
    package static func importRun(_ id: Int64) -> String { "import \(id)" }
    package static func plan(_ plan: Plan, version: Int) -> String { "plan \(plan.kommune)/\(plan.year) v\(version)" }
    package static func target(_ a: Assessment) -> String { "target \(a.kommune)/\(a.year)/\(a.target)" }
    package static func report(_ r: ApprovedReport) -> String { "report \(r.kind) \(r.kommune)/\(r.year) v\(r.planVersion) as of \(r.asOf)" }
}

/// A scheduled fetch's failed request: which table, and what went wrong (never a key: the
/// messages are `FetchError`'s).
public struct FetchFailure: Sendable, Hashable, Codable {
    /// The table asked for; empty for a failure of the whole source (no API key).
    public var table: String
    public var message: String

    public init(table: String, message: String) {
        self.table = table
        self.message = message
    }
}

extension FetchRun {
    /// The failures as a fetch run row keeps them: JSON.
    package var storedErrors: String {
        guard !errors.isEmpty, let data = try? JSONEncoder.sorted.encode(errors) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The failures from a row; rows written before they were JSON hold one `table: message` line each.
    package static func errors(stored text: String) -> [FetchFailure] {
        guard !text.isEmpty else { return [] }
        if let decoded = try? JSONDecoder().decode([FetchFailure].self, from: Data(text.utf8)) { return decoded }
        return text.components(separatedBy: "\n").map { line in
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 ? FetchFailure(table: parts[0], message: parts[1]) : FetchFailure(table: "", message: line)
        }
    }
}

extension JSONEncoder {
    fileprivate static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
