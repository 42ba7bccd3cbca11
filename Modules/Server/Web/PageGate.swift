import AppSupport
import Foundation
import Hummingbird
import Storage

/// The gate of the web pages, as `Access.Gate` is the API's: the same table (`Access.need`)
/// and the same decision, before any page's controller runs. It resolves the kommune in the
/// path, sends an anonymous visitor to the login page, shows a friendly 403 or 404, holds every
/// POST to the session's CSRF token (and the sign-in form, which has no session yet, to this
/// site's origin), and scopes the audit rows the page writes.
struct PageGate: RouterMiddleware {
    let page: PageID
    let areas: AreaCatalog
    let renderer: PageRenderer
    /// Whether a kommune shows its approved plan to the public; `nil` without `--public`.
    let isPublished: (@Sendable (AreaCode) async throws -> Bool)?

    /// A POST's CSRF field; the forms' other fields are read by their pages.
    private struct CSRFField: Decodable { var csrf: String? }

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let frame = PageFrame(caller: context.caller)
        var context = context
        var kommune: Area?
        if let raw = context.parameters.get("kommune") {
            guard let area = Access.kommune(named: raw, in: areas) else {
                return renderer.error(.notFound, heading: "Siden findes ikke", message: "Der er ingen kommune, der hedder '\((raw.removingPercentEncoding ?? raw).prefix(64))'.", page: frame)
            }
            kommune = area
            // Resolved once: the page's controller acts for this kommune.
            context.scope = KommuneScope(area)
        }
        let need = Access.need(page)
        var published = false
        if need == .published, context.caller == nil, let kommune, let isPublished { published = try await isPublished(kommune.code) }
        switch Access.decide(need, caller: context.caller?.account, kommune: kommune?.code, published: published) {
        case .allow: break
        case .unauthenticated where need == .published:
            return renderer.error(.notFound, heading: "Siden findes ikke", message: "Kommunen viser ikke sin plan offentligt her.", page: frame)
        case .unauthenticated:
            let next = request.method == .get ? request.uri.path : "/"
            return PageRenderer.redirect("/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/"))
        case .forbidden(let why):
            return renderer.error(.forbidden, heading: "Du har ikke adgang", message: why, page: frame)
        }
        if request.method == .post, page == .login,
            !Access.fromThisSite(authority: request.head.authority, origin: request.headers[.origin], referer: request.headers[.referer])
        {
            return renderer.error(
                .forbidden, heading: "Log ind fra beskplans egen side",
                message: "En side på et andet websted forsøgte at logge dig ind. Åbn beskplan selv, og log ind her.", page: frame)
        }
        if request.method == .post, page != .login {
            let sent: String?
            if request.headers[.contentType].flatMap(Upload.boundary) != nil {
                // A file upload streams past the gate: its form carries the token in its address.
                sent = request.uri.queryParameters["csrf"].map(String.init)
            } else {
                var request = request
                sent = try? URLEncodedFormDecoder().decode(
                    CSRFField.self, from: String(buffer: try await request.collectBody(upTo: context.maxUploadSize))).csrf
            }
            guard let csrf = frame.csrf, sent == csrf else {
                return renderer.error(.forbidden, heading: "Formularen er udløbet", message: "Hent siden igen, og send formularen derfra.", page: frame)
            }
        }
        return try await AuditScope.$current.withValue(AuditScope(address: context.address, kommune: kommune?.code)) {
            try await next(request, context)
        }
    }
}
