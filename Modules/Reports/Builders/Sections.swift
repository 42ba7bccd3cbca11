/// A report as named sections, so plugins can add after or replace one.
struct SectionList {
    private(set) var sections: [(id: String, blocks: [Block])] = []

    mutating func add(_ id: String, _ blocks: [Block]) { sections.append((id, blocks)) }

    mutating func apply(_ plugin: [ReportSection]) {
        for section in plugin {
            switch section.placement {
            case .after(let id):
                let index = sections.firstIndex { $0.id == id }.map { $0 + 1 } ?? sections.count
                sections.insert(("plugin-\(index)", section.blocks), at: index)
            case .replacing(let id):
                if let index = sections.firstIndex(where: { $0.id == id }) {
                    sections[index].blocks = section.blocks
                } else {
                    sections.append((id, section.blocks))
                }
            case .atEnd:
                sections.append(("plugin-end", section.blocks))
            }
        }
    }

    var blocks: [Block] { sections.flatMap(\.blocks) }
}
