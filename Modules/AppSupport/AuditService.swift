import Storage

/// The audit log, read: the installation's, or one kommune's.
public struct AuditService: Sendable {
    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    /// What the store holds, as a stamp that every audited write changes: caches hold while it does.
    public func revision() async throws -> String {
        try await environment.store.revision()
    }

    /// The newest entries, newest first; with a scope, that kommune's only.
    public func log(limit: Int, scope: KommuneScope? = nil) async throws -> [AuditEntry] {
        try await environment.store.auditLog(limit: limit, kommune: scope?.code)
    }
}
