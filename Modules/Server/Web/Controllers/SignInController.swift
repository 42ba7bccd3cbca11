import AppSupport
import Foundation
import Hummingbird

/// The front page, signing in and out.
struct SignInController: Sendable {
    let pages: PageSupport
    let signIn: SignIn

    func addRoutes(to routes: PageRoutes) {
        routes.get("/", .home, use: home)
        routes.get("/login", .login, use: loginForm)
        routes.post("/login", .login, use: login)
        routes.post("/logout", .logout, use: logout)
    }

    @Sendable func home(_ request: Request, context: ServerContext) async throws -> Response {
        guard let caller = context.caller else { return PageRenderer.redirect("/login") }
        if let code = caller.account.kommune, let area = pages.environment.areas[code] { return PageRenderer.redirect("/kommuner/\(area.slug)") }
        // The operator: the kommuner that have plans.
        let kommuner = Set(try await pages.plans.all().map(\.kommune))
        let areas = pages.environment.areas.all.filter { kommuner.contains($0.code) }
        return pages.renderer.error(
            .ok, heading: "Kommunerne", message: "Vælg en kommune: " + areas.map(\.name).joined(separator: ", ") + ". Adressen er /kommuner/navn.",
            page: PageFrame(caller: caller))
    }

    private struct LoginForm: Decodable {
        var username: String
        var password: String
        var next: String?
    }

    @Sendable func loginForm(_ request: Request, context: ServerContext) async throws -> Response {
        pages.renderer.render("login", LoginView(next: Self.safeNext(request.uri.queryParameters["next"].map(String.init))), page: PageFrame())
    }

    @Sendable func login(_ request: Request, context: ServerContext) async throws -> Response {
        guard let form = try await PageSupport.form(LoginForm.self, request, context) else {
            return pages.renderer.render("login", LoginView(error: "Skriv brugernavn og adgangskode."), page: PageFrame(), status: .badRequest)
        }
        let next = Self.safeNext(form.next)
        do {
            let (_, cookie, _) = try await signIn.signIn(
                username: form.username, password: form.password, address: context.address, previous: context.caller)
            var response = PageRenderer.redirect(next)
            response.headers[.setCookie] = cookie
            return response
        } catch let problem as Problem {
            return pages.renderer.render(
                "login", LoginView(next: next, error: problem.detail ?? problem.title, username: form.username), page: PageFrame(),
                status: .init(code: problem.status))
        }
    }

    @Sendable func logout(_ request: Request, context: ServerContext) async throws -> Response {
        var response = PageRenderer.redirect("/login")
        response.headers[.setCookie] = try await signIn.signOut(context.caller, address: context.address)
        return response
    }

    /// Only a path of this site: never a redirect to somewhere else.
    static func safeNext(_ next: String?) -> String {
        // Printable ASCII of a path only: a tab or a backslash could turn `/\t/host` into `//host` in a browser.
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_.~%?=&-")
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.unicodeScalars.allSatisfy(allowed.contains) else { return "/" }
        return next
    }
}

/// The sign-in form, with what went wrong.
struct LoginView: Sendable {
    var next: String?
    var error: String?
    var username: String?
}
