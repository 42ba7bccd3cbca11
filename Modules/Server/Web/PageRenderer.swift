import AppSupport
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Storage

/// The pages' templates (`Templates/*.mustache`, one per page, all in `layout`) and the headers
/// every page carries: a Content-Security-Policy that allows only our own scripts and styles
/// (no inline ones), no framing, and no caching of a kommune's data.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// The templates shipped in the module's resources, read once at start.
    static func load() throws -> PageRenderer {
        guard let directory = ServerResources.folder.file("Templates") else {
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
            let url = ServerResources.folder.file("Static/" + name),
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

    /// A page: `template` rendered with its view model and what every page knows (`page`), in the
    /// layout. A model may come in parts (a target's row and the rest of its page): the first that
    /// has a value for a name gives it.
    func render(_ template: String, _ model: any Sendable..., page: PageFrame, status: HTTPResponse.Status = .ok) -> Response {
        let context = PageContext(models: model, layout: page.layout)
        return layout(content: library.render(context, withTemplate: template) ?? "", template: template, context: context, status: status)
    }

    /// The page's own part only, to keep: it shows what every user of the kommune sees alike.
    func content(_ template: String, _ model: some Sendable, page: PageFrame) -> String {
        library.render(PageContext(models: [model], layout: page.layout), withTemplate: template) ?? ""
    }

    /// A page's part, made before (by `content`), in the layout for this caller.
    func render(_ template: String, content: String, page: PageFrame) -> Response {
        layout(content: content, template: template, context: PageContext(models: [], layout: page.layout), status: .ok)
    }

    private func layout(content: String, template: String, context: PageContext, status: HTTPResponse.Status) -> Response {
        let title = library.render(context, withTemplate: template + ".title") ?? "beskplan"
        let whole = PageContext(models: [LayoutModel.Body(content: content, title: title)], layout: context.layout)
        let html = library.render(whole, withTemplate: "layout") ?? "<!doctype html><title>Fejl</title><p>Siden kunne ikke vises.</p>"
        return Response(status: status, headers: Self.securityHeaders, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A friendly page for an error (403, 404, …).
    func error(_ status: HTTPResponse.Status, heading: String, message: String, page: PageFrame) -> Response {
        render("error", ErrorView(heading: heading, message: message), page: page, status: status)
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// What a template reads: the page's view model first, then the layout's (a view model's
/// property that is `nil` is absent, as a missing key is).
struct PageContext: MustacheParent {
    let models: [Any]
    let layout: LayoutModel

    func child(named name: String) -> Any? {
        for model in models { if let value = Self.value(name, in: model) { return value } }
        return Self.value(name, in: layout)
    }

    /// A stored property of a view model, unwrapped: view models are plain structs.
    static func value(_ name: String, in object: Any) -> Any? {
        guard let child = Mirror(reflecting: object).children.first(where: { $0.label == name }) else { return nil }
        return unwrap(child.value)
    }

    private static func unwrap(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.flatMap { unwrap($0.value) }
    }
}

/// An error page.
struct ErrorView: Sendable {
    let heading: String
    let message: String
}

/// What the layout shows around a page: who is signed in, the kommune, its navigation.
struct PageFrame {
    var caller: Caller?
    var kommune: Area?
    var year: Int?
    var current: NavItem? = nil

    /// The layout's sections, by the `current` a page names.
    enum NavItem: String, CaseIterable {
        case overblik, plan, opfoelgning, aarshjul, sammenlign, data, admin

        var label: String {
            switch self {
            case .overblik: "Overblik"
            case .plan: "Plan"
            case .opfoelgning: "Opfølgning"
            case .aarshjul: "Årshjul"
            case .sammenlign: "Sammenlign"
            case .data: "Data"
            case .admin: "Brugere og log"
            }
        }

        /// The section's address below the plan year's (`base`).
        var path: String {
            switch self {
            case .overblik: ""
            case .opfoelgning: "/opfoelgning"
            case .aarshjul: "/aarshjul"
            case .sammenlign: "/sammenlign"
            case .plan, .data, .admin: "/" + rawValue
            }
        }
    }

    var csrf: String? {
        if case .session(_, let token)? = caller?.proof { return token }
        return nil
    }

    var layout: LayoutModel {
        var model = LayoutModel()
        if let caller {
            model.user = .init(username: caller.account.username, role: Self.roleName(caller.account.role), csrf: csrf ?? "")
        }
        if let csrf {
            model.csrf = csrf
            // For a file upload's form, which carries the token in its address.
            model.csrfQuery = csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        }
        if let kommune {
            model.kommuneName = "\(kommune.name) Kommune"
            model.brand = kommune.code.rawValue
            if let year {
                let base = "/kommuner/\(kommune.slug)/\(year)"
                model.base = base
                model.year = year
                var items = NavItem.allCases.filter { $0 != .admin }.map { ($0, base + $0.path) }
                if caller?.account.role == .admin { items.append((.admin, "/kommuner/\(kommune.slug)/admin")) }
                model.nav = .init(items: items.map { .init(label: $0.0.label, href: $0.1, current: $0.0 == current) })
            }
        }
        return model
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

/// The layout's view model.
struct LayoutModel: Sendable {
    struct User: Sendable {
        let username: String
        let role: String
        let csrf: String
    }

    struct Nav: Sendable {
        struct Item: Sendable {
            let label: String
            let href: String
            let current: Bool
        }

        let items: [Item]
    }

    /// The page's own part, and its title, for the layout template.
    struct Body: Sendable {
        let content: String
        let title: String
    }

    var user: User?
    var csrf: String?
    var csrfQuery: String?
    var kommuneName: String?
    var brand: String?
    var base: String?
    var year: Int?
    var nav: Nav?
}
