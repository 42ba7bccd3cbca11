/// A report as named sections, so plugins can add after or replace one.
struct SectionList {
    private(set) var sections: [(id: String, blocks: [Block])] = []

    mutating func add(_ id: String, _ blocks: [Block]) { sections.append((id, blocks)) }

    /// Places a plugin's sections; one placed after or instead of a section the report does not
    /// have is an error, not a section moved to the end.
    mutating func apply(_ plugin: [ReportSection]) throws(UnknownReportSection) {
        for section in plugin {
            switch section.placement {
            case .after(let id):
                guard let index = sections.firstIndex(where: { $0.id == id }) else { throw unknown(id) }
                sections.insert(("plugin-\(index + 1)", section.blocks), at: index + 1)
            case .replacing(let id):
                guard let index = sections.firstIndex(where: { $0.id == id }) else { throw unknown(id) }
                sections[index].blocks = section.blocks
            case .atEnd:
                sections.append(("plugin-end", section.blocks))
            }
        }
    }

    var blocks: [Block] { sections.flatMap(\.blocks) }

    private func unknown(_ id: String) -> UnknownReportSection {
        UnknownReportSection(id: id, available: sections.map(\.id).filter { !$0.hasPrefix("plugin-") })
    }
}

/// A plugin's report section placed by a section id the report does not have (a misspelt
/// `.after("…")`).
public struct UnknownReportSection: Error, CustomStringConvertible {
    public let id: String
    public let available: [String]

    public var description: String {
        "a plugin's report section is placed by '\(id)', which this report does not have (it has: \(available.joined(separator: ", ")))"
    }
}
