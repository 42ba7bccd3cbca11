import AppSupport
import Foundation
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// Every route of the server, in the order a request meets them.
///
/// Middleware, outermost first: one write for a small answer (`WholeBody`), the metrics, problem
/// details and the request log (`ProblemMiddleware`), the body's size (`BodyLimit`), who is
/// calling (`Authenticator`), the request's scope for the API handlers (`RequestScope`).
/// Then the plain routes, open to all (health, the contract, the pages' assets); the web pages,
/// each behind `PageGate`; and the API under `/api/v1`: one route per operation of
/// `openapi.yaml`, every one behind `Access.Gate`. On the API's routes, `SentAnswers` answers a
/// repeated evaluation or report with the bytes sent before, if `Access.decide` lets the caller
/// in on what the gate decided the first time; the handlers keep what they made in `CachedReads`,
/// by what they decoded. All caches hang on one `RevisionClock`.
func buildRouter(configuration: ServerConfiguration, environment: AppEnvironment) throws -> Router<ServerContext> {
    let accounts = AccountService(environment)
    let sessions = SessionPolicy(
        service: SessionService(environment, idle: configuration.sessionIdle, lifetime: configuration.sessionLifetime),
        secureCookies: configuration.secureCookies)
    let clock = RevisionClock(environment, interval: configuration.revisionInterval)
    let router = Router(context: ServerContext.self)
    ServerMetrics.install()
    // Outermost: a small answer leaves in one write (after the metrics' closure has run on it).
    router.add(middleware: WholeBody())
    // It counts every answer by its route template and status, problems included.
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: BodyLimit(importSize: configuration.limits.importSize))
    router.add(middleware: Authenticator(
        accounts: accounts, sessions: sessions, trustedProxies: configuration.trustedProxies,
        callers: CallerCache(clock: clock, time: environment.clock)))
    router.add(middleware: RequestScope.Middleware(clock: clock))

    // The process is up.
    router.get("/healthz") { _, _ in "ok\n" }
    // The store answers, with the schema this binary was built for.
    router.get("/readyz") { _, _ -> Response in
        switch await environment.readiness() {
        case .ready(let schema):
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok: database answers, schema \(schema)\n")))
        case .unreachable:
            return Problem(.serviceUnavailable, "not-ready", title: "Databasen svarer ikke").response()
        case .schemaBehind(let have, let want):
            return Problem(
                .serviceUnavailable, "not-ready", title: "Databasens skema er ikke opdateret",
                detail: "Databasen har \(have), denne beskplan \(want): kør beskplan db migrate.").response()
        }
    }
    // The operator's, or a scraper on this machine's (docs/operations.md).
    router.get("/metrics") { request, context -> Response in
        let forwarded = request.headers[.init("X-Forwarded-For")!] != nil || request.headers[.init("Forwarded")!] != nil
        guard Access.mayReadMetrics(caller: context.caller?.account, address: context.address, forwarded: forwarded) else {
            throw Problem.forbidden("Kun operatøren, eller en adresse på serveren selv, må læse målingerne.")
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: ServerMetrics.exposition())))
    }
    // The contract.
    router.get("/api/v1/openapi.yaml") { _, _ -> Response in
        Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
    }

    // The pages' assets: our own stylesheet and script (no CDN), and each kommune's colours.
    router.get("/static/{file}") { _, context -> Response in
        guard let asset = PageRenderer.asset(context.parameters.get("file") ?? "") else { throw HTTPError(.notFound) }
        return Response(
            status: .ok, headers: [.contentType: asset.type, .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(bytes: asset.data)))
    }
    router.get("/brand/{file}") { _, context -> Response in
        let code = (context.parameters.get("file") ?? "").replacingOccurrences(of: ".css", with: "")
        guard let area = environment.areas[AreaCode(code)], area.kind == .kommune else { throw HTTPError(.notFound) }
        let branding = environment.registry.plugin(for: area.code)?.branding
        let css = ":root { --brand: \(branding?.primaryColor ?? "#1f4e79"); --accent: \(branding?.accentColor ?? "#c55a11"); }\n"
        return Response(
            status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: css)))
    }

    let publication = PublicationService(environment)
    let isPublished: (@Sendable (AreaCode) async throws -> Bool)? =
        configuration.publicPages ? { @Sendable in try await publication.isPublished($0) } : nil

    // The pages: one controller per area, each route behind `PageGate` with its need from `Access.need`.
    let renderer = try PageRenderer.load()
    let pages = PageSupport(environment: environment, renderer: renderer, clock: clock)
    let routes = PageRoutes(router: router) { page in
        PageGate(page: page, areas: environment.areas, renderer: renderer, isPublished: isPublished)
    }
    SignInController(pages: pages, signIn: SignIn(accounts: accounts, sessions: sessions)).addRoutes(to: routes)
    DashboardController(pages: pages).addRoutes(to: routes)
    TargetController(pages: pages).addRoutes(to: routes)
    PlanController(pages: pages).addRoutes(to: routes)
    FollowUpController(pages: pages).addRoutes(to: routes)
    try DataController(
        pages: pages, importSize: configuration.limits.importSize, fetchInterval: configuration.fetchInterval,
        uploadDirectory: configuration.uploadDirectory ?? PendingUploads.defaultDirectory(for: environment.database)
    ).addRoutes(to: routes)
    AdminController(pages: pages, accounts: accounts).addRoutes(to: routes)
    PublicController(pages: pages).addRoutes(to: routes)

    // Compact, sorted JSON: stable for scripts, and no bytes spent on indentation.
    let api = API(
        environment: environment, accounts: accounts, sessions: sessions, limits: configuration.limits, reads: CachedReads(clock: clock))
    try api.registerHandlers(
        on: router.group().add(middleware: SentAnswers(clock: clock, time: environment.clock)), serverURL: URL(string: "/api/v1")!,
        configuration: .init(jsonEncodingOptions: [.sortedKeys]), middlewares: [Access.Gate(areas: environment.areas, isPublished: isPublished)])
    return router
}

/// `openapi.yaml` as shipped in the module's resources.
enum OpenAPIDocument {
    static let bytes: [UInt8] = {
        guard let url = ServerResources.folder.file("openapi.yaml"),
            let data = try? Data(contentsOf: url)
        else { return [] }
        return Array(data)
    }()
}

/// The module's shipped files: the contract, the pages' templates and assets.
enum ServerResources {
    static let folder = ResourceFolder(module: "Server") { Bundle.module }
}
