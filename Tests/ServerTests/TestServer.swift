@testable import AppSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresStorage
@testable import Server
import TestSupport
import Testing
import Yams
import Storage

/// The demo data behind the server, with a user of each role in Samsø (kommune A), an editor in
/// Morsø (kommune B) and an operator, each with an API token.
struct TestServer {
    enum Kind: String, CaseIterable, Sendable { case sqlite, postgres }

    static let kommuneA: AreaCode = "741"  // Samsø
    static let kommuneB: AreaCode = "773"  // Morsø
    static let password = "et-langt-kodeord"

    /// The callers of the authorization matrix, by name; `nil` is anonymous.
    static let callers: [(name: String, kommune: AreaCode?, role: Account.Role)] = [
        ("a-viewer", kommuneA, .viewer), ("a-updater", kommuneA, .updater), ("a-editor", kommuneA, .editor),
        ("a-admin", kommuneA, .admin), ("b-editor", kommuneB, .editor), ("ops", nil, .operator),
    ]

    static var kinds: [Kind] { TestPostgres.skipped ? [.sqlite] : Kind.allCases }

    let environment: AppEnvironment
    let tokens: [String: String]
    let app: any ApplicationProtocol

    /// `clock`: a manual one lets a test move time (sessions expire, caches look again) instead of sleeping.
    /// `allRealData`: every real file the demo imports (the comparison's population and benchmark);
    /// else only AUK01, which most pages show, so that each test database stays small.
    static func make(
        _ kind: Kind = .sqlite, configuration: ServerConfiguration = ServerConfiguration(), allRealData: Bool = false,
        clock: AppClock = .system
    ) async throws -> TestServer {
        let environment: AppEnvironment
        switch kind {
        case .sqlite:
            environment = try AppEnvironment(store: try SQLiteStore(), database: .memory, clock: clock)
        case .postgres:
            let url = try await TestPostgres.newDatabase()
            environment = try AppEnvironment(store: try PostgresStore(url: url), database: .postgres(url), clock: clock)
        }
        try await environment.store.migrate()
        try await Demo.loadBundledData(into: environment, realData: allRealData ? RealData.files : [RealData.auk01])
        let accounts = AccountService(environment, cost: 4)
        var tokens: [String: String] = [:]
        for caller in callers {
            try await accounts.addUser(
                username: caller.name, kommune: caller.kommune, role: caller.role, password: password, actor: "test")
            tokens[caller.name] = try await accounts.createToken(username: caller.name, label: "test", actor: "test").token
        }
        var configuration = configuration
        // A folder of its own: tests run at once, with the same usernames.
        configuration.uploadDirectory = configuration.uploadDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-test-uploads-\(UUID().uuidString)")
        let app = try buildApplication(configuration: configuration, environment: environment)
        return TestServer(environment: environment, tokens: tokens, app: app)
    }

    /// `Authorization: Bearer …` for a caller.
    func bearer(_ name: String) -> HTTPFields {
        [.authorization: "Bearer \(tokens[name]!)"]
    }

    /// The contract, as in the repository.
    static let documentURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Modules/Server/openapi.yaml")

    /// Every operation of `openapi.yaml`: its id, method and path.
    static let operations: [(id: String, method: HTTPRequest.Method, path: String)] = {
        let text = (try? String(contentsOf: documentURL, encoding: .utf8)) ?? ""
        guard let document = try? Yams.load(yaml: text) as? [String: Any], let paths = document["paths"] as? [String: Any] else {
            return []
        }
        var result: [(String, HTTPRequest.Method, String)] = []
        for (path, item) in paths {
            for (method, operation) in (item as? [String: Any]) ?? [:] {
                guard let id = (operation as? [String: Any])?["operationId"] as? String,
                    let verb = HTTPRequest.Method(method.uppercased())
                else { continue }
                result.append((id, verb, path))
            }
        }
        return result.sorted { $0.0 < $1.0 }
    }()
}

extension String {
    /// A response body as text.
    init(_ buffer: ByteBuffer) { self = String(buffer: buffer) }
}
