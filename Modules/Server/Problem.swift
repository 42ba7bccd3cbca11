import Foundation
import HTTPTypes
import Hummingbird
import AppSupport
import PlanFormat

/// An RFC 9457 problem: a stable `type` for scripts, a Danish `title` and `detail` for people.
/// Every error a client sees is one of these; nothing else (no stack trace, SQL or path) leaves.
struct Problem: Error, Sendable, Codable {
    /// A plan's problem, at its line and column.
    struct Located: Sendable, Codable {
        var line: Int
        var column: Int
        var message: String
    }

    var type: String
    var title: String
    var status: Int
    var detail: String?
    var errors: [Located]?

    init(_ status: HTTPResponse.Status, _ kind: String, title: String, detail: String? = nil) {
        type = "urn:beskplan:problem:\(kind)"
        self.title = title
        self.status = status.code
        self.detail = detail
    }

    static func unauthenticated(_ detail: String = "Log ind, eller send et API-token.") -> Problem {
        Problem(.unauthorized, "unauthenticated", title: "Du er ikke logget ind", detail: detail)
    }

    static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, "forbidden", title: "Du har ikke adgang", detail: detail)
    }

    static func notFound(_ detail: String) -> Problem {
        Problem(.notFound, "not-found", title: "Findes ikke", detail: detail)
    }

    static func badRequest(_ detail: String) -> Problem {
        Problem(.badRequest, "bad-request", title: "Forespørgslen kan ikke bruges", detail: detail)
    }

    static func invalidPlan(_ errors: [PlanError]) -> Problem {
        var problem = Problem(
            .unprocessableContent, "invalid-plan", title: "Planen kan ikke gemmes",
            detail: errors.prefix(3).map { "linje \($0.line), kolonne \($0.column): \($0.message)" }.joined(separator: "; "))
        problem.errors = errors.map { Located(line: $0.line, column: $0.column, message: $0.message) }
        return problem
    }

    /// A rule a service refused by: its kind is the problem's type, and the status says which
    /// rule — 409 for the plan's state, 412/428 for the version an edit started from, 422 for
    /// what was sent, 400 for a date that cannot be read.
    init(_ refusal: Refusal) {
        let status: HTTPResponse.Status = switch refusal.kind {
        case .planFrozen, .approveSeparately, .alreadyApproved, .noPlan, .planExists, .ownAccount, .usernameTaken: .conflict
        case .versionConflict: .preconditionFailed
        case .versionRequired: .preconditionRequired
        case .notesMissing, .unknownTarget, .noteRequired, .invalidStatus: .unprocessableContent
        case .invalidDate: .badRequest
        }
        self.init(status, refusal.kind.rawValue, title: refusal.title, detail: refusal.detail)
    }

    /// What a service threw, as a problem, if it is one of the errors the services speak in.
    static func from(_ error: any Error) -> Problem? {
        switch error {
        case let problem as Problem: problem
        case let refusal as Refusal: Problem(refusal)
        case let missing as PlanNotFound: .notFound(missing.description)
        case let errors as PlanErrors: .invalidPlan(errors.errors)
        default: nil
        }
    }

    static func tooLarge(limit: Int) -> Problem {
        Problem(.contentTooLarge, "too-large", title: "Indholdet er for stort", detail: "Højst \(limit / 1_048_576) MB.")
    }

    /// The response: `application/problem+json`.
    func response(headers extra: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(self)) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        headers.append(contentsOf: extra)
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
