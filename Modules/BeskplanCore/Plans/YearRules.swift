import Foundation

/// The rules a plan year is written under, as data (`aarsregler.json`): the national goal set,
/// the body a kommune is compared through, what the employment service is called, the contact
/// rule and the number of target groups — each with the law that changed it, and whether that law
/// is enacted or only proposed. A year's rules are those in force at its end: a plan covers the
/// year, and 2026's plan is written for kommuner without jobcentres from February.
public struct YearRules: Sendable, Equatable {
    public enum GoalSet: String, Sendable, Codable { case ministermaal, none }
    public enum Comparator: String, Sendable, Codable { case rar, regionaltBeskaeftigelsesraad }
    public enum Organisation: String, Sendable, Codable { case jobcenter, kommunen }
    public enum ContactRule: String, Sendable, Codable { case fireSamtaler, procent75 = "75procent" }

    /// One change of the rules, from a day, by a law (or a proposal).
    public struct Change: Sendable, Equatable, Codable {
        public let from: String
        public let law: String
        public let enacted: Bool
        public let summary: String
        public let goalSet: GoalSet?
        public let comparator: Comparator?
        public let organisation: Organisation?
        public let contactRule: ContactRule?
        public let targetGroups: Int?
    }

    public let year: Int
    public let goalSet: GoalSet
    public let comparator: Comparator
    public let organisation: Organisation
    public let contactRule: ContactRule
    /// The target groups of enacted law; a proposal's count is in `proposals`.
    public let targetGroups: Int
    /// The enacted changes in force in the year, oldest first.
    public let changes: [Change]
    /// Changes proposed for the year or before it and not enacted: told, never applied.
    public let proposals: [Change]
    /// The day the rules were last brought up to date.
    public let updated: Day?

    /// "jobcentret" or "kommunen": who does the work, in a sentence.
    public var organisationDefinite: String { organisation == .jobcenter ? "jobcentret" : "kommunen" }
    /// "jobcentrets" or "kommunens".
    public var organisationGenitive: String { organisation == .jobcenter ? "jobcentrets" : "kommunens" }
    /// What the regional comparison is made through, in Danish.
    public var comparatorName: String {
        comparator == .rar ? "det regionale arbejdsmarkedsråd (RAR)" : "det regionale beskæftigelsesråd"
    }

    /// The rules of `year`, from the shipped reference file.
    public static func of(_ year: Int) -> YearRules { Catalog.standard.rules(year) }

    /// The reference file, read once.
    public struct Catalog: Sendable {
        struct Start: Codable {
            let goalSet: GoalSet
            let comparator: Comparator
            let organisation: Organisation
            let contactRule: ContactRule
            let targetGroups: Int
        }

        struct File: Codable {
            let changes: [Change]
            let start: Start
            let updated: String
        }

        /// The day the file was last brought up to date: a proposal is "not enacted" as of then.
        public var updated: Day? { Day(iso: file.updated) }

        let file: File

        public static let standard: Catalog = {
            do {
                return Catalog(file: try JSONDecoder().decode(File.self, from: ReferenceResource.load("aarsregler")))
            } catch {
                preconditionFailure("aarsregler.json is bundled with BeskplanCore and must decode: \(error)")
            }
        }()

        public func rules(_ year: Int) -> YearRules {
            let end = "\(year)-12-31"
            let due = file.changes.filter { $0.from <= end }.sorted { $0.from < $1.from }
            let enacted = due.filter(\.enacted)
            let s = file.start
            return YearRules(
                year: year,
                goalSet: enacted.compactMap(\.goalSet).last ?? s.goalSet,
                comparator: enacted.compactMap(\.comparator).last ?? s.comparator,
                organisation: enacted.compactMap(\.organisation).last ?? s.organisation,
                contactRule: enacted.compactMap(\.contactRule).last ?? s.contactRule,
                targetGroups: enacted.compactMap(\.targetGroups).last ?? s.targetGroups,
                changes: enacted, proposals: due.filter { !$0.enacted }, updated: updated)
        }
    }
}
