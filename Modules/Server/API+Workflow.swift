import AppSupport
import Foundation
import HTTPTypes
import OpenAPIRuntime
import Reports

/// A plan after it is written: carried forward, approved, followed up; its årshjul; publishing.
extension API {
    func carryForwardPlan(_ input: Operations.CarryForwardPlan.Input) async throws -> Operations.CarryForwardPlan.Output {
        let area = try environment.kommune(input.path.kommune)
        let info = try await workflow {
            try await PlanWorkflow(environment).carryForward(
                area, from: input.query.from ?? input.path.year - 1, to: input.path.year, author: actor)
        }
        addHeader(.eTag, "\"\(info.version)\"")
        return .created(.init(body: .json(Self.version(info))))
    }

    func approvePlan(_ input: Operations.ApprovePlan.Input) async throws -> Operations.ApprovePlan.Output {
        let current = try await currentPlan(input.path.kommune, input.path.year)
        if let match = input.headers.ifMatch, try Self.version(ifMatch: match) != current.info.version {
            throw Problem(.preconditionFailed, "version-conflict", title: "Planen er ændret imens",
                          detail: "Planen er nu i version \(current.info.version); se den igennem, før den godkendes.")
        }
        guard case .json(let approval) = input.body else { throw Problem.badRequest("Send godkendelsen som JSON, fx {}.") }
        let date = try approval.date.map { try Self.day($0, "date") } ?? PlanService.today
        let info = try await workflow {
            try await PlanWorkflow(environment).approve(current, body: approval.body, date: date, author: actor)
        }
        addHeader(.eTag, "\"\(info.version)\"")
        return .created(.init(body: .json(Self.version(info))))
    }

    func getFollowUpStatus(_ input: Operations.GetFollowUpStatus.Input) async throws -> Operations.GetFollowUpStatus.Output {
        let stored = try await currentPlan(input.path.kommune, input.path.year)
        let asOf = try input.query.asOf.map { try Self.day($0, "asOf") } ?? PlanService.today
        return .ok(.init(body: .json(try await followUpStatus(stored, asOf: asOf))))
    }

    func finalizeFollowUp(_ input: Operations.FinalizeFollowUp.Input) async throws -> Operations.FinalizeFollowUp.Output {
        let stored = try await currentPlan(input.path.kommune, input.path.year)
        let asOf = try input.query.asOf.map { try Self.day($0, "asOf") } ?? PlanService.today
        try await workflow { try await PlanWorkflow(environment).finalizeFollowUp(stored.plan, asOf: asOf, author: actor) }
        return .created(.init(body: .json(try await followUpStatus(stored, asOf: asOf))))
    }

    private func followUpStatus(_ stored: StoredPlan, asOf: Day) async throws -> Components.Schemas.FollowUpStatus {
        let final = try await environment.store.events(kommune: stored.info.kommune).finalFollowUp(year: stored.info.year)
        return .init(
            kommune: stored.info.kommune.rawValue, year: stored.info.year, final: final != nil, asOf: final?.asOf, by: final?.author,
            at: final?.at, missingNotes: try await PlanWorkflow(environment).targetsMissingNotes(stored.plan, asOf: asOf))
    }

    // MARK: Årshjul

    func getYearwheel(_ input: Operations.GetYearwheel.Input) async throws -> Operations.GetYearwheel.Output {
        let stored = try await visiblePlan(input.path.kommune, input.path.year)
        return .ok(.init(body: .json(.init(
            kommune: stored.info.kommune.rawValue, year: stored.info.year,
            months: Yearwheel.entries(stored.plan).map { month, entries in
                .init(month: month, name: Yearwheel.months[month - 1], targets: entries.map {
                    .init(target: $0.target, goal: $0.goal, frequency: $0.frequency.rawValue, audience: $0.audience)
                })
            }))))
    }

    func getYearwheelCalendar(_ input: Operations.GetYearwheelCalendar.Input) async throws -> Operations.GetYearwheelCalendar.Output {
        let area = try environment.kommune(input.path.kommune)
        let stored = try await visiblePlan(input.path.kommune, input.path.year)
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: "-", with: "")
            .replacingOccurrences(of: ":", with: "")
        let text = ICalendarRenderer.render(stored.plan, kommuneName: area.name, stamp: stamp)
        addHeader(.contentDisposition, "inline; filename=\"\(area.slug)-\(input.path.year)-aarshjul.ics\"")
        return .ok(.init(body: .textCalendar(HTTPBody(text))))
    }

    // MARK: Publishing

    func getPublication(_ input: Operations.GetPublication.Input) async throws -> Operations.GetPublication.Output {
        let area = try environment.kommune(input.path.kommune)
        return .ok(.init(body: .json(.init(published: try await environment.store.events(kommune: area.code).isPublished))))
    }

    func setPublication(_ input: Operations.SetPublication.Input) async throws -> Operations.SetPublication.Output {
        let area = try environment.kommune(input.path.kommune)
        guard case .json(let choice) = input.body else { throw Problem.badRequest("Send {\"published\": true} eller false.") }
        if try await environment.store.events(kommune: area.code).isPublished != choice.published {
            try await environment.store.recordEvent(
                KommuneEvent(kommune: area.code, kind: choice.published ? .published : .unpublished, author: actor))
        }
        return .ok(.init(body: .json(.init(published: choice.published))))
    }

    // MARK: Helpers

    var actor: String { caller?.account.username ?? "-" }

    /// Runs a workflow step; a refusal is a 409 with its own type.
    func workflow<T>(_ step: () async throws -> T) async throws -> T {
        do {
            return try await step()
        } catch let refusal as PlanWorkflow.Refusal {
            throw Problem(refusal.kind == "notes-missing" ? .unprocessableContent : .conflict, refusal.kind,
                          title: refusal.title, detail: refusal.description)
        } catch let conflict as PlanVersionConflict {
            throw Problem(.preconditionFailed, "version-conflict", title: "Planen er ændret imens",
                          detail: "Planen er nu i version \(conflict.current), ikke \(conflict.expected). Hent den og prøv igen.")
        }
    }

    /// The plan a caller may see: the current version for the kommune's users; for the public
    /// (no caller), the latest approved version, or nothing.
    func visiblePlan(_ kommune: String, _ year: Int) async throws -> StoredPlan {
        guard caller == nil else { return try await currentPlan(kommune, year) }
        let area = try environment.kommune(kommune)
        for info in try await environment.store.planVersions(kommune: area.code, year: year).reversed() where info.status == .godkendt {
            if let stored = try await environment.store.plan(kommune: area.code, year: year, version: info.version) { return stored }
        }
        throw Problem.notFound("\(area.name) har ingen godkendt plan for \(year).")
    }

    /// The version number in an `If-Match` header (`"3"`, `W/"3"`, `3`).
    static func version(ifMatch: String) throws -> Int {
        guard let version = Int(ifMatch.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) else {
            throw Problem(.badRequest, "bad-if-match", title: "If-Match kan ikke læses", detail: "Send planversionens ETag, fx \"3\".")
        }
        return version
    }
}
