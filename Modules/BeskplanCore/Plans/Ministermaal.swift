import Foundation

/// One of the minister's national employment goals (beskæftigelsespolitiske mål) of a year.
public struct Ministermaal: Hashable, Sendable, Codable {
    /// Whether the goal was new that year or carried over.
    public enum Mark: String, Sendable, Codable {
        case nyt
        case videreført
    }

    /// The goal's number in that year's list (1-based).
    public let number: Int
    /// A stable key across years (`virksomheder`, `flygtninge`, …), since numbers change.
    public let key: String
    public let title: String
    /// `nil` where the source does not say.
    public let mark: Mark?
}

/// The ministermål per year, as data: 2020 had three goals, 2021–2024 the same five, and from
/// 2025 there are none (law nr. 1656 of 30 December 2024 abolished them).
public struct MinistermaalCatalog: Sendable {
    public struct Year: Sendable, Codable {
        public let year: Int
        /// `false` where only part of the year's list is attested.
        public let complete: Bool
        public let note: String?
        public let goals: [Ministermaal]
    }

    public struct Abolition: Sendable, Codable {
        public let fromYear: Int
        public let law: String
    }

    public let years: [Year]
    public let abolished: Abolition

    public static let standard: MinistermaalCatalog = {
        struct File: Decodable {
            let abolished: Abolition
            let years: [Year]
        }
        do {
            let f = try JSONDecoder().decode(File.self, from: ReferenceResource.load("ministermaal"))
            return MinistermaalCatalog(years: f.years, abolished: f.abolished)
        } catch {
            preconditionFailure("ministermaal.json is bundled with BeskplanCore and must decode: \(error)")
        }
    }()

    /// The goals of a plan year; empty from the year they were abolished, and for years before
    /// the catalog starts.
    public func goals(for year: Int) -> [Ministermaal] {
        guard year < abolished.fromYear else { return [] }
        return years.first { $0.year == year }?.goals ?? []
    }

    /// Goal `number` of `year`, if it exists.
    public func goal(_ number: Int, in year: Int) -> Ministermaal? {
        goals(for: year).first { $0.number == number }
    }
}
