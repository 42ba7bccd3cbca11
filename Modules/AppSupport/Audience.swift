/// Who reads a kommune's plans, and so what they are shown: the one projection every door (the
/// evaluation, the reports, the public page) passes what it reads through (docs/server.md, "What
/// the public sees").
public enum Audience: Sendable, Hashable {
    /// The kommune's own users and the operator: the current version, every assessment and who made it.
    case members
    /// Anyone, where the installation serves public pages and the kommune publishes: the newest
    /// approved version; a hand-assessed target's status, note and date only once the year's
    /// follow-up is final, as dated on or before its day; never a user's name.
    case `public`
}
