import Foundation
import Storage

/// A person's assessments of targets — their status and note — recorded the same way from the
/// CLI, the API and the target page: the target must be in the current plan, the status one a
/// person sets, the note given (at most 4,000 characters, trimmed), the date in the years a plan
/// can concern (today, in Denmark, when none is given).
public struct AssessmentService: Sendable {
    let environment: AppEnvironment

    public init(_ environment: AppEnvironment) { self.environment = environment }

    /// The most a note may hold.
    public static let maximumNote = 4000

    /// The statuses a person sets: not the two the evaluation alone gives (mangler data, afventer vurdering).
    public static let statuses = EvaluationStatus.allCases.filter { $0 != .manglerData && $0 != .afventerVurdering }

    /// What a user sent, as they sent it.
    public struct Draft: Sendable {
        public var target: String
        public var status: String
        public var note: String
        /// `YYYY-MM-DD`; `nil`: today.
        public var date: String?

        public init(target: String, status: String, note: String, date: String? = nil) {
            self.target = target
            self.status = status
            self.note = note
            self.date = date
        }
    }

    /// Checks a draft against the current plan and records it; the assessment as stored, or a `Refusal`.
    @discardableResult
    public func record(_ draft: Draft, scope: KommuneScope, year: Int, author: String) async throws -> Assessment {
        let stored = try await PlanService(environment).require(scope, year: year).forYear(year)
        let assessment = try check(draft, plan: stored.plan, author: author)
        try await environment.store.saveAssessment(assessment)
        return assessment
    }

    /// The draft as an assessment of `plan`, or the first rule it breaks.
    public func check(_ draft: Draft, plan: Plan, author: String) throws -> Assessment {
        let targets = plan.targets.map(\.id)
        guard targets.contains(draft.target) else {
            let hint = DanishText.closest(to: draft.target, among: targets).map { " Mente du \($0)?" } ?? ""
            throw Refusal(.unknownTarget, title: "Målet findes ikke i planen",
                          description: "Planen har målene \(targets.joined(separator: ", ")).\(hint)")
        }
        guard let status = EvaluationStatus(rawValue: draft.status), Self.statuses.contains(status) else {
            throw Refusal(.invalidStatus, title: "Vælg en vurdering",
                          description: "En vurdering er en af: \(Self.statuses.map(\.label).joined(separator: ", ")).")
        }
        let note = draft.note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= Self.maximumNote else {
            throw Refusal(.noteRequired, title: "En vurdering skal have en note", description: "Skriv en note på højst 4.000 tegn.")
        }
        let date = try draft.date.map { try DateInput.day($0) } ?? environment.clock.today
        return Assessment(
            kommune: plan.kommune, year: plan.year, target: draft.target, status: status, note: note, date: date.description,
            author: author)
    }

    /// The latest assessment of each target of the kommune's plan for the year.
    public func latest(_ scope: KommuneScope, year: Int) async throws -> [Assessment] {
        try await environment.store.assessments(kommune: scope.code, year: year)
    }

    /// The assessments `audience` may read of the kommune's plan for the year: every latest one
    /// for its members. For the public, `nil` (withheld) until the year's follow-up is final; then
    /// each target's newest dated on or before the follow-up's day, without its author.
    public func shown(to audience: Audience, kommune: AreaCode, year: Int) async throws -> [Assessment]? {
        let store = environment.store
        let latest = try await store.assessments(kommune: kommune, year: year)
        guard audience == .public else { return latest }
        guard let final = try await store.events(kommune: kommune).finalFollowUp(year: year), let day = final.asOf else { return nil }
        var shown: [Assessment] = []
        for assessment in latest {
            let dated = assessment.date <= day ? assessment
                : try await store.assessmentHistory(kommune: kommune, year: year, target: assessment.target).first { $0.date <= day }
            if var dated {
                dated.author = ""
                shown.append(dated)
            }
        }
        return shown
    }

    /// Every note on one target, newest first.
    public func history(_ scope: KommuneScope, year: Int, target: String) async throws -> [Assessment] {
        try await environment.store.assessmentHistory(kommune: scope.code, year: year, target: target)
    }

}
