import AppSupport
import Foundation
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// Every route of the server, in the order a request meets them.
///
/// Middleware, outermost first: problem details and the request log (`ProblemMiddleware`), the
/// body's size (`BodyLimit`), who is calling (`Authenticator`), the request's scope for the API
/// handlers (`RequestScope`). Inside the API, `Access.Gate` decides, then `CachedReads` answers
/// repeated reads of evaluations and reports. All caches hang on one `RevisionClock`.
/// Then the plain routes, open to all (health, the contract, the pages' assets); the web pages,
/// each behind `PageGate`; and the API under `/api/v1`: one route per operation of
/// `openapi.yaml`, every one behind `Access.Gate`.
func buildRouter(configuration: ServerConfiguration, environment: AppEnvironment) throws -> Router<ServerContext> {
    let accounts = AccountService(store: environment.store)
    let sessions = SessionPolicy(
        idle: configuration.sessionIdle, lifetime: configuration.sessionLifetime, secureCookies: configuration.secureCookies)
    let clock = RevisionClock(store: environment.store, interval: configuration.revisionInterval)
    let router = Router(context: ServerContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: BodyLimit(importSize: configuration.limits.importSize))
    router.add(middleware: Authenticator(
        accounts: accounts, sessions: sessions, trustedProxies: configuration.trustedProxies, callers: CallerCache(clock: clock)))
    router.add(middleware: RequestScope.Middleware(clock: clock))

    // The process is up.
    router.get("/healthz") { _, _ in "ok\n" }
    // The store answers.
    router.get("/readyz") { _, _ -> Response in
        do {
            _ = try await environment.store.appliedMigrations()
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        } catch {
            return Problem(.serviceUnavailable, "not-ready", title: "Databasen svarer ikke").response()
        }
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

    let store = environment.store
    let isPublished: (@Sendable (AreaCode) async throws -> Bool)? =
        configuration.publicPages ? { @Sendable in try await store.events(kommune: $0).isPublished } : nil

    // The pages, each behind `PageGate` with its need from `Access.pages`.
    let renderer = try PageRenderer.load()
    let pages = Pages(
        environment: environment, renderer: renderer, signIn: SignIn(store: environment.store, accounts: accounts, sessions: sessions),
        clock: clock, importSize: configuration.limits.importSize, fetchInterval: configuration.fetchInterval)
    func page(_ id: String) -> RouterGroup<ServerContext> {
        router.group().add(middleware: PageGate(page: id, areas: environment.areas, renderer: renderer, isPublished: isPublished))
    }
    page("home").get("/", use: pages.home)
    page("login").get("/login", use: pages.loginForm)
    page("login").post("/login", use: pages.login)
    page("logout").post("/logout", use: pages.logout)
    page("dashboard").get("/kommuner/{kommune}", use: pages.latest)
    page("dashboard").get("/kommuner/{kommune}/{year}", use: pages.dashboard)
    page("target").get("/kommuner/{kommune}/{year}/maal/{target}", use: pages.target)
    page("addNote").post("/kommuner/{kommune}/{year}/maal/{target}/noter", use: pages.addNote)
    page("plan").get("/kommuner/{kommune}/{year}/plan", use: pages.plan)
    page("savePlan").post("/kommuner/{kommune}/{year}/plan", use: pages.savePlan)
    page("checkPlan").post("/kommuner/{kommune}/{year}/plan/kontrol", use: pages.checkPlan)
    page("planFields").get("/kommuner/{kommune}/{year}/plan/felter", use: pages.planFields)
    page("savePlanFields").post("/kommuner/{kommune}/{year}/plan/felter", use: pages.savePlanFields)
    page("versions").get("/kommuner/{kommune}/{year}/plan/versioner", use: pages.versions)
    page("approvePlan").post("/kommuner/{kommune}/{year}/plan/godkend", use: pages.approvePlan)
    page("carryForward").post("/kommuner/{kommune}/{year}/plan/videreforer", use: pages.carryForward)
    page("followUp").get("/kommuner/{kommune}/{year}/opfoelgning", use: pages.followUp)
    page("finalizeFollowUp").post("/kommuner/{kommune}/{year}/opfoelgning/endelig", use: pages.finalizeFollowUp)
    page("yearwheel").get("/kommuner/{kommune}/{year}/aarshjul", use: pages.yearwheel)
    page("public").get("/offentlig/{kommune}", use: pages.publicPage)
    page("data").get("/kommuner/{kommune}/{year}/data", use: pages.data)
    page("template").get("/kommuner/{kommune}/{year}/data/skabelon.csv", use: pages.template)
    page("localFigures").post("/kommuner/{kommune}/{year}/data/egne-tal", use: pages.saveLocalFigures)
    page("upload").post("/kommuner/{kommune}/{year}/data/upload", use: pages.upload)
    page("upload").get("/kommuner/{kommune}/{year}/data/upload/{upload}", use: pages.uploadPage)
    page("upload").post("/kommuner/{kommune}/{year}/data/upload/{upload}", use: pages.changeUpload)
    page("compare").get("/kommuner/{kommune}/{year}/sammenlign", use: pages.compare)
    page("admin").get("/kommuner/{kommune}/admin", use: pages.admin)
    page("addUser").post("/kommuner/{kommune}/admin/brugere", use: pages.addUser)
    page("createToken").post("/kommuner/{kommune}/admin/tokens", use: pages.createToken)
    page("revokeToken").post("/kommuner/{kommune}/admin/tokens/{token}/spaer", use: pages.revokeToken)
    page("changeUser").post("/kommuner/{kommune}/admin/brugere/{username}", use: pages.changeUser)

    // Compact, sorted JSON: stable for scripts, and no bytes spent on indentation.
    try API(environment: environment, accounts: accounts, sessions: sessions, limits: configuration.limits).registerHandlers(
        on: router, serverURL: URL(string: "/api/v1")!, configuration: .init(jsonEncodingOptions: [.sortedKeys]),
        middlewares: [Access.Gate(areas: environment.areas, isPublished: isPublished), CachedReads(clock: clock)])
    return router
}

/// `openapi.yaml` as shipped in the module's resources.
enum OpenAPIDocument {
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let data = try? Data(contentsOf: url)
        else { return [] }
        return Array(data)
    }()
}
