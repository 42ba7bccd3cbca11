import Storage

/// A kommune's decisions about what it shows: whether the public sees its approved plan, and
/// which follow-ups are final. Recorded append only, with their audit rows.
public struct PublicationService: Sendable {
    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    /// Whether the kommune shows its approved plan and follow-up to the public: its latest say.
    public func isPublished(_ scope: KommuneScope) async throws -> Bool {
        try await isPublished(scope.code)
    }

    /// As `isPublished(_:)`, by code: the gate asks before it has a scope for the public.
    public func isPublished(_ kommune: AreaCode) async throws -> Bool {
        try await environment.store.events(kommune: kommune).isPublished
    }

    /// Records the kommune's choice, if it changes anything.
    public func setPublished(_ published: Bool, scope: KommuneScope, author: String) async throws {
        guard try await isPublished(scope) != published else { return }
        try await environment.store.recordEvent(
            KommuneEvent(kommune: scope.code, kind: published ? .published : .unpublished, author: author))
    }

    /// The latest follow-up of the year made final, if any.
    public func finalFollowUp(_ scope: KommuneScope, year: Int) async throws -> KommuneEvent? {
        try await environment.store.events(kommune: scope.code).finalFollowUp(year: year)
    }
}
