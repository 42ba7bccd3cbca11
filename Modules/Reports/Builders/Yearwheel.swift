import BeskplanCore

/// The årshjul: which targets are followed up in which month, from their frequencies; as a
/// report section, as data for the API, and as an iCalendar file to subscribe to.
public enum Yearwheel {
    public static let months = [
        "Januar", "Februar", "Marts", "April", "Maj", "Juni", "Juli", "August", "September", "Oktober", "November", "December",
    ]

    /// One target's follow-up in a month.
    public struct Entry: Sendable, Hashable {
        public let goal: String
        public let target: String
        public let frequency: FollowUp.Frequency
        public let audience: String
    }

    /// The months a frequency falls in: quarterly in the month after each quarter, half-yearly
    /// in February and August, yearly in February (when last year's figures are in).
    public static func dueMonths(_ frequency: FollowUp.Frequency) -> [Int] {
        switch frequency {
        case .ugentligt, .månedligt: Array(1...12)
        case .kvartalsvis: [1, 4, 7, 10]
        case .halvårligt: [2, 8]
        case .årligt: [2]
        }
    }

    /// Month (1–12) → the follow-ups due, in plan order; months without any are left out.
    public static func entries(_ plan: Plan) -> [(month: Int, entries: [Entry])] {
        var byMonth: [Int: [Entry]] = [:]
        for goal in plan.goals {
            for target in goal.targets {
                guard let f = target.followUp else { continue }
                for m in dueMonths(f.frequency) {
                    byMonth[m, default: []].append(Entry(goal: goal.id, target: target.id, frequency: f.frequency, audience: f.audience))
                }
            }
        }
        return byMonth.keys.sorted().map { ($0, byMonth[$0]!) }
    }

    static func blocks(_ c: ReportContext) -> [Block] {
        let rows = entries(c.plan).map { month, entries in
            [months[month - 1], entries.map { "\($0.target) (\($0.audience))" }.joined(separator: ", ")]
        }
        var blocks: [Block] = [.heading(Heading(level: 1, text: "Årshjul", anchor: "aarshjul", pageBreak: true))]
        if rows.isEmpty {
            blocks.append(.paragraph("Planens mål har ingen opfølgningsfrekvens."))
        } else {
            blocks.append(.paragraph("Hvornår målene følges op, ud fra deres opfølgningsfrekvens: kvartalsvis i måneden efter kvartalet, halvårligt i februar og august, årligt i februar."))
            blocks.append(.table(ReportTable(caption: "Årshjul \(c.plan.year)", header: ["Måned", "Mål, der følges op (udvalg)"], rows: rows)))
        }
        return blocks
    }
}
