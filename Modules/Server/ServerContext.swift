import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import AppSupport
import Storage

/// What a request carries through the server: Hummingbird's own context, the caller the
/// authenticator found (if any) and the client's address (for the audit log).
struct ServerContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var caller: Caller?
    /// The kommune the path names, resolved once by the gate (`Access.Gate`, `PageGate`).
    var scope: KommuneScope?
    /// The client's address: the peer's, or what a trusted proxy says (`X-Forwarded-For`).
    var address: String
    /// What the layers of this request tell each other beside the values they pass on (one box,
    /// shared by every copy of the context).
    let notes = NIOLockedValueBox(RequestNotes())

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        address = source.channel.remoteAddress?.ipAddress ?? "-"
    }

    /// Whom the request reads for: the public where no one signed in (the gates let the public
    /// read only what a published kommune shows), else the members of the kommune in the path.
    var audience: Audience { caller == nil ? .public : .members }

    /// JSON bodies (sign-in, plans) are small; uploads stream and have their own limit.
    var maxUploadSize: Int { 4 << 20 }
}

/// What one request's layers leave for each other.
struct RequestNotes: Sendable {
    /// Headers a handler adds to its response (`Set-Cookie`, `ETag`, `Content-Disposition`). Set
    /// here, not through the generated code, which percent-encodes header values (a cookie's `=`
    /// and `;` would arrive as `%3D` and `%3B`, an ETag's quotes as `%22`).
    var responseHeaders: HTTPFields = [:]
    /// The key an evaluation or report handler filed its answer under (`CachedReads.Key`), for `SentAnswers`.
    var readKey: String?
    /// What `Access.Gate` let the request in on, for `SentAnswers` to decide again on a repeat.
    var admission: Access.Admission?
}

/// A signed-in caller, and how they proved it.
struct Caller: Sendable {
    enum Proof: Sendable {
        /// A browser's session cookie: writes must carry its CSRF token.
        case session(secretHash: String, csrfToken: String)
        case token
    }

    let account: Account
    let proof: Proof
    /// When a cached caller must be looked up again (a session is seen once a minute, and may
    /// expire); `nil` for a token, good while the store's revision holds.
    var recheckAt: Int64? = nil

    func isCurrent(at now: Int64) -> Bool { recheckAt.map { now < $0 } ?? true }
}

/// The request's context for the generated API handlers, which Hummingbird does not hand them.
enum RequestScope {
    @TaskLocal static var context: ServerContext?

    /// Binds the context for everything after it; after a write, the caches look at the store anew.
    struct Middleware: RouterMiddleware {
        let clock: RevisionClock

        func handle(
            _ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response
        ) async throws -> Response {
            let writes = ![.get, .head, .options].contains(request.method)
            defer { if writes { clock.invalidate() } }
            var response = try await RequestScope.$context.withValue(context) { try await next(request, context) }
            response.headers.append(contentsOf: context.notes.withLockedValue { $0.responseHeaders })
            return response
        }
    }
}
