import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem: a stable `type` for scripts, a Danish `title` and `detail` for people.
/// Every error a client sees is one of these; nothing else (no stack trace, SQL or path) leaves.
struct Problem: Error, Sendable, Codable {
    var type: String
    var title: String
    var status: Int
    var detail: String?

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
