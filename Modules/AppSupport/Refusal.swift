import Storage

/// A step the rules do not allow, worded in Danish for the user. Every door shows the same
/// refusal: the CLI prints it, the API answers it as problem details of type `kind`, a page
/// shows it above the form.
public struct Refusal: Error, CustomStringConvertible, Sendable {
    /// Stable for scripts: the API's problem type.
    public enum Kind: String, Sendable, CaseIterable {
        /// A version may not follow an approved one.
        case planFrozen = "plan-frozen"
        /// A plan is approved by its own step, not saved as godkendt.
        case approveSeparately = "approve-separately"
        case alreadyApproved = "already-approved"
        /// There is no plan to act on.
        case noPlan = "no-plan"
        /// The plan to create exists.
        case planExists = "plan-exists"
        /// A save over an existing plan must say which version it started from.
        case versionRequired = "if-match-required"
        /// Someone saved the plan meanwhile.
        case versionConflict = "version-conflict"
        /// The follow-up cannot be final while a red target has no note.
        case notesMissing = "notes-missing"
        /// An assessment names a target the plan does not have.
        case unknownTarget = "unknown-target"
        /// An assessment without a note, or with one too long.
        case noteRequired = "note-required"
        /// An assessment with a status a person does not set.
        case invalidStatus = "invalid-status"
        /// A date outside the years a plan can concern.
        case invalidDate = "invalid-date"
        /// An admin would take their own access away.
        case ownAccount = "own-account"
        /// A new user's name is taken — in this kommune or another, which is not said.
        case usernameTaken = "username-taken"
    }

    public let kind: Kind
    /// What was refused, as a heading.
    public let title: String
    /// Why, and what to do instead.
    public let detail: String

    public init(_ kind: Kind, title: String, description: String) {
        self.kind = kind
        self.title = title
        detail = description
    }

    /// Title and detail as one message (the command line's error).
    public var description: String { "\(title). \(detail)" }

    /// A username taken somewhere in the installation: usernames are what people sign in with, so
    /// they are one namespace; the answer is the same wherever the name is taken, and never says where.
    static let usernameTaken = Refusal(
        .usernameTaken, title: "Brugernavnet er optaget",
        description: "Vælg et andet brugernavn, fx med kommunens navn foran (samsoe.anna).")

    /// A plan saved over another version than the one the edit started from.
    static func conflict(_ conflict: PlanVersionConflict) -> Refusal {
        Refusal(.versionConflict, title: "Planen er ændret imens",
                description: "Planen er nu i version \(conflict.current), ikke \(conflict.expected). Hent den og ret igen.")
    }
}
