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
/// Then the plain routes, open to all, and the API under `/api/v1`: one route per operation of
/// `openapi.yaml` (areas, measures, session, plans, evaluation, audit), every one behind
/// `Access.Gate`.
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

    // Compact, sorted JSON: stable for scripts, and no bytes spent on indentation.
    let store = environment.store
    let isPublished: (@Sendable (AreaCode) async throws -> Bool)? =
        configuration.publicPages ? { @Sendable in try await store.events(kommune: $0).isPublished } : nil
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
