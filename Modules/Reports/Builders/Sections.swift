/// A report as named sections, so plugins can add after or replace one.
struct SectionList {
    private(set) var sections: [(id: String, blocks: [Block])] = []

    mutating func add(_ id: String, _ blocks: [Block]) { sections.append((id, blocks)) }

    /// Places a plugin's sections. One placed by a section this report builds but does not have
    /// (the follow-up has no `status`) is an error; one placed by a plan section the plan leaves
    /// out comes at the end.
    mutating func apply(_ plugin: [ReportSection]) throws(UnknownReportSection) {
        for section in plugin {
            switch section.placement {
            case .after(let anchor):
                guard let index = sections.firstIndex(where: { $0.id == anchor.id }) else {
                    guard case .planSection = anchor else { throw unknown(anchor.id) }
                    sections.append(("plugin-end", section.blocks))
                    continue
                }
                sections.insert(("plugin-\(index + 1)", section.blocks), at: index + 1)
            case .replacing(let anchor):
                guard let index = sections.firstIndex(where: { $0.id == anchor.id }) else {
                    guard case .planSection = anchor else { throw unknown(anchor.id) }
                    sections.append((anchor.id, section.blocks))
                    continue
                }
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

/// A plugin's report section placed by a section the report builds but this report does not
/// have (`.after(.status)` in a follow-up).
public struct UnknownReportSection: Error, CustomStringConvertible {
    public let id: String
    public let available: [String]

    public var description: String {
        "a plugin's report section is placed by '\(id)', which this report does not have (it has: \(available.joined(separator: ", ")))"
    }
}
