import Storage

/// The kommune a request or a command acts for, resolved once — by the server's gate from the
/// path, by the CLI from `--kommune` — and handed to every service that reads or writes a
/// kommune's data, so that none resolves it again or filters by hand.
public struct KommuneScope: Sendable, Hashable {
    public let area: Area

    /// A kommune's scope; `nil` for a region or the country.
    public init?(_ area: Area) {
        guard area.kind == .kommune else { return nil }
        self.area = area
    }

    public var code: AreaCode { area.code }
    public var name: String { area.name }
}

extension AppEnvironment {
    /// The kommune a user named by code, slug or name, as a scope.
    public func scope(_ text: String) throws -> KommuneScope {
        try KommuneScope(kommune(text))!
    }
}
