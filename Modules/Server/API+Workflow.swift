import AppSupport
import Foundation
import HTTPTypes
import OpenAPIRuntime
import Reports
import Storage

/// A plan after it is written: carried forward, approved, followed up; its årshjul; publishing.
extension API {
    func carryForwardPlan(_ input: Operations.CarryForwardPlan.Input) async throws -> Operations.CarryForwardPlan.Output {
        let (info, changes) = try await PlanWorkflow(environment).carryForward(
            try scope, from: input.query.from ?? input.path.year - 1, to: input.path.year, author: actor)
        addHeader(.eTag, "\"\(info.version)\"")
        return .created(.init(body: .json(.init(
            kommune: info.kommune.rawValue, year: info.year, version: info.version, title: info.title, status: info.status == .godkendt ? .godkendt : .udkast,
            author: info.author, savedAt: info.savedAt,
            forcedChanges: changes.map { .init(kind: .init(rawValue: $0.kind.rawValue) ?? .goalSet, applied: $0.applied, text: $0.text) }))))
    }

    func approvePlan(_ input: Operations.ApprovePlan.Input) async throws -> Operations.ApprovePlan.Output {
        let current = try await plans.require(try scope, year: input.path.year)
        guard case .json(let approval) = input.body else { throw Problem.badRequest("Send godkendelsen som JSON, fx {}.") }
        let date = try day(approval.date, "date")
        let info = try await PlanWorkflow(environment).approve(
            current, body: approval.body, date: date, expecting: try input.headers.ifMatch.map(Self.version(ifMatch:)), author: actor)
        addHeader(.eTag, "\"\(info.version)\"")
        return .created(.init(body: .json(Self.version(info))))
    }

    func getFollowUpStatus(_ input: Operations.GetFollowUpStatus.Input) async throws -> Operations.GetFollowUpStatus.Output {
        let stored = try await plans.require(try scope, year: input.path.year).forYear(input.path.year)
        return .ok(.init(body: .json(try await followUpStatus(stored, asOf: try day(input.query.asOf, "asOf")))))
    }

    func finalizeFollowUp(_ input: Operations.FinalizeFollowUp.Input) async throws -> Operations.FinalizeFollowUp.Output {
        let stored = try await plans.require(try scope, year: input.path.year).forYear(input.path.year)
        let asOf = try day(input.query.asOf, "asOf")
        try await PlanWorkflow(environment).finalizeFollowUp(stored.plan, asOf: asOf, author: actor)
        return .created(.init(body: .json(try await followUpStatus(stored, asOf: asOf))))
    }

    private func followUpStatus(_ stored: StoredPlan, asOf: Day) async throws -> Components.Schemas.FollowUpStatus {
        let status = try await PlanWorkflow(environment).followUpStatus(stored.plan, asOf: asOf)
        let final = status.final
        return .init(
            kommune: stored.info.kommune.rawValue, year: stored.plan.year, final: final != nil, asOf: final?.asOf, by: final?.author,
            at: final?.at, missingNotes: status.missingNotes)
    }

    // MARK: Årshjul

    func getYearwheel(_ input: Operations.GetYearwheel.Input) async throws -> Operations.GetYearwheel.Output {
        let stored = try await visiblePlan(input.path.year).forYear(input.path.year)
        return .ok(.init(body: .json(.init(
            kommune: stored.info.kommune.rawValue, year: input.path.year,
            months: Yearwheel.entries(stored.plan).map { month, entries in
                .init(month: month, name: Yearwheel.months[month - 1], targets: entries.map {
                    .init(target: $0.target, goal: $0.goal, frequency: $0.frequency.rawValue, audience: $0.audience)
                })
            }))))
    }

    func getYearwheelCalendar(_ input: Operations.GetYearwheelCalendar.Input) async throws -> Operations.GetYearwheelCalendar.Output {
        let area = try scope.area
        let stored = try await visiblePlan(input.path.year).forYear(input.path.year)
        // iCalendar's DTSTAMP: the time in UTC, without separators or fractions (`20261206T184500Z`).
        let stamp = String(Timestamp.string(environment.clock.now).prefix(19)).replacingOccurrences(of: "-", with: "")
            .replacingOccurrences(of: ":", with: "") + "Z"
        let text = ICalendarRenderer.render(stored.plan, kommuneName: area.name, stamp: stamp)
        addHeader(.contentDisposition, "inline; filename=\"\(area.slug)-\(input.path.year)-aarshjul.ics\"")
        return .ok(.init(body: .textCalendar(HTTPBody(text))))
    }

    // MARK: Publishing

    func getPublication(_ input: Operations.GetPublication.Input) async throws -> Operations.GetPublication.Output {
        .ok(.init(body: .json(.init(published: try await PublicationService(environment).isPublished(try scope)))))
    }

    func setPublication(_ input: Operations.SetPublication.Input) async throws -> Operations.SetPublication.Output {
        guard case .json(let choice) = input.body else { throw Problem.badRequest("Send {\"published\": true} eller false.") }
        try await PublicationService(environment).setPublished(choice.published, scope: try scope, author: actor)
        return .ok(.init(body: .json(.init(published: choice.published))))
    }

    // MARK: Helpers

    var actor: String { caller?.account.username ?? "-" }

    /// Whom the request reads for (`ServerContext.audience`); the public where in doubt.
    var audience: Audience { RequestScope.context?.audience ?? .public }

    /// The plan the request's audience may see: the current version for the kommune's members;
    /// for the public, the latest approved version, or nothing.
    func visiblePlan(_ year: Int) async throws -> StoredPlan {
        try await plans.visible(try scope, year: year, to: audience)
    }

    /// The version number in an `If-Match` header (`"3"`, `W/"3"`, `3`).
    static func version(ifMatch: String) throws -> Int {
        guard let version = Int(ifMatch.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) else {
            throw Problem(.badRequest, "bad-if-match", title: "If-Match kan ikke læses", detail: "Send planversionens ETag, fx \"3\".")
        }
        return version
    }
}
