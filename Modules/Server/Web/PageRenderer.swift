import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The pages' templates (`Templates/*.mustache`, one per page, all in `layout`) and the headers
/// every page carries: a Content-Security-Policy that allows only our own scripts and styles
/// (no inline ones), no framing, and no caching of a kommune's data.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// The templates shipped in the module's resources, read once at start.
    static func load() throws -> PageRenderer {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the page templates are missing from the bundle"])
        }
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".mustache") {
            var text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let name = String(file.dropLast(".mustache".count))
            // A page's first line may be its title: `title: Overblik {{year}} · {{kommuneName}}`.
            if text.hasPrefix("title: "), let end = text.firstIndex(of: "\n") {
                try library.register(String(text[text.index(text.startIndex, offsetBy: 7)..<end]), named: name + ".title")
                text = String(text[text.index(after: end)...])
            }
            try library.register(text, named: name)
        }
        return PageRenderer(library: library)
    }

    /// A file of `Static/` (the stylesheet, the script), if there is one by that name.
    static func asset(_ name: String) -> (data: Data, type: String)? {
        guard name.range(of: "^[a-z0-9-]+\\.(css|js)$", options: .regularExpression) != nil,
            let url = Bundle.module.url(forResource: "Static/" + name, withExtension: nil),
            let data = try? Data(contentsOf: url)
        else { return nil }
        return (data, name.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8")
    }

    static let securityHeaders: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!:
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        // Pages are one user's view (and a new token is shown once): no cache keeps them.
        .cacheControl: "no-store",
        .contentType: "text/html; charset=utf-8",
    ]

    /// A page: `template` rendered with `values` and what every page knows (`page`), in the layout.
    func render(_ template: String, _ values: [String: Any], page: PageFrame, status: HTTPResponse.Status = .ok) -> Response {
        var context = page.values
        for (key, value) in values { context[key] = value }
        return layout(content: library.render(context, withTemplate: template) ?? "", template: template, context: context, status: status)
    }

    /// The page's own part only, to keep: it shows what every user of the kommune sees alike.
    func content(_ template: String, _ values: [String: Any], page: PageFrame) -> String {
        var context = page.values
        for (key, value) in values { context[key] = value }
        return library.render(context, withTemplate: template) ?? ""
    }

    /// A page's part, made before (by `content`), in the layout for this caller.
    func render(_ template: String, content: String, page: PageFrame, titleValues: [String: Any] = [:]) -> Response {
        var context = page.values
        for (key, value) in titleValues { context[key] = value }
        return layout(content: content, template: template, context: context, status: .ok)
    }

    private func layout(content: String, template: String, context: [String: Any], status: HTTPResponse.Status) -> Response {
        var context = context
        context["content"] = content
        context["title"] = library.render(context, withTemplate: template + ".title") ?? "beskplan"
        let html = library.render(context, withTemplate: "layout") ?? "<!doctype html><title>Fejl</title><p>Siden kunne ikke vises.</p>"
        return Response(status: status, headers: Self.securityHeaders, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A friendly page for an error (403, 404, …).
    func error(_ status: HTTPResponse.Status, heading: String, message: String, page: PageFrame) -> Response {
        render("error", ["heading": heading, "message": message], page: page, status: status)
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// What the layout shows around a page: who is signed in, the kommune, its navigation.
struct PageFrame {
    var caller: Caller?
    var kommune: Area?
    var year: Int?
    var current: String = ""

    var csrf: String? {
        if case .session(_, let token)? = caller?.proof { return token }
        return nil
    }

    var values: [String: Any] {
        var values: [String: Any] = [:]
        if let caller {
            values["user"] = ["username": caller.account.username, "role": Self.roleName(caller.account.role), "csrf": csrf ?? ""]
        }
        if let csrf {
            values["csrf"] = csrf
            // For a file upload's form, which carries the token in its address.
            values["csrfQuery"] = csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        }
        if let kommune {
            values["kommuneName"] = "\(kommune.name) Kommune"
            values["brand"] = kommune.code.rawValue
            if let year {
                let base = "/kommuner/\(kommune.slug)/\(year)"
                values["base"] = base
                values["year"] = year
                var items = [
                    ("overblik", "Overblik", base), ("plan", "Plan", base + "/plan"), ("opfoelgning", "Opfølgning", base + "/opfoelgning"),
                    ("aarshjul", "Årshjul", base + "/aarshjul"), ("sammenlign", "Sammenlign", base + "/sammenlign"),
                    ("data", "Data", base + "/data"),
                ]
                if caller?.account.role == .admin { items.append(("admin", "Brugere og log", "/kommuner/\(kommune.slug)/admin")) }
                values["nav"] = ["items": items.map { id, label, href in ["label": label, "href": href, "current": id == current] }]
            }
        }
        return values
    }

    static func roleName(_ role: Account.Role) -> String {
        switch role {
        case .viewer: "læser"
        case .updater: "opdaterer"
        case .editor: "redaktør"
        case .admin: "administrator"
        case .operator: "driftsansvarlig"
        }
    }
}
