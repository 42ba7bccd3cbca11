import BeskplanCore
import Evaluation
import Foundation
import Mustache

/// Danish sentences drafted from the stored figures, for the analyst to accept or rewrite: "Antallet
/// af fuldtidspersoner på offentlig forsørgelse i Vesthimmerland faldt fra 4.720 i 2. kvartal 2018
/// til 4.650 i 2. kvartal 2019 (-1,5 %), mens det i Region Nordjylland faldt 0,8 %." The wording
/// is data (`Resources/tekstskabeloner.json`), a Mustache template per kind of measure; every
/// figure, period and source comes from the store, and a sentence whose figure is missing is not
/// written.
public enum FigureText {
    /// A drafted sentence, named by the report section it belongs to.
    public struct Draft: Sendable, Equatable {
        /// The id an accepted text is kept under in the plan's sections (`tekst-…`).
        public let id: String
        /// The heading of the section it drafts for.
        public let title: String
        public let text: String
    }

    /// The prefix of the plan sections that hold accepted (or rewritten) drafts.
    public static let sectionPrefix = "tekst-"

    /// The section id a draft for the report section `anchor` is kept under: one a year, since a
    /// plan over several years reports on each (`tekst-2026-maalgrupper`).
    static func id(_ anchor: String, _ c: ReportContext) -> String { "\(sectionPrefix)\(c.plan.year)-\(anchor)" }

    /// The development of `measure` (selected by `dims`) from `from` to `to` in `kommune`, and in
    /// `region` where its figures are stored (or, for a count, its published development in
    /// percent, `published`); `nil` when a kommune figure is missing or the measure has no template.
    static func development(
        _ measure: MeasureID, dims: [String: String] = [:], unit: MeasureUnit, kommune: Area, region: Area?,
        from: Period, to: Period, source: String, value: (AreaCode, Period) -> Double?,
        published: (AreaCode) -> Double? = { _ in nil }
    ) -> String? {
        let templates = Templates.standard
        guard let words = templates.file.measures[measure], let a = value(kommune.code, from), let b = value(kommune.code, to)
        else { return nil }
        let share = unit == .procent
        guard let template = templates.compiled[share ? "share" : "count"] else { return nil }
        func change(_ a: Double, _ b: Double) -> (verb: String, moved: Bool, signed: String, size: String)? {
            guard share || a != 0 else { return nil }
            return moved(share ? b - a : (b - a) / a * 100)
        }
        func moved(_ delta: Double) -> (verb: String, moved: Bool, signed: String, size: String) {
            let rounded = (delta * 10).rounded() / 10
            let verbs = templates.file.verbs
            let verb = rounded > 0 ? verbs.up : rounded < 0 ? verbs.down : delta == 0 ? verbs.same : verbs.nearlySame
            let suffix = share ? "" : " %"
            return (verb, rounded != 0, DanishNumber.format(delta, decimals: 1, signed: true) + suffix, DanishNumber.format(abs(delta), decimals: 1) + suffix)
        }
        guard let own = change(a, b) else { return nil }
        var context: [String: Any] = [
            "subject": words.subject, "area": kommune.name, "verb": own.verb, "moved": own.moved, "change": own.signed,
            "from": figure(a, unit), "fromPeriod": from.danishLabel, "to": figure(b, unit), "toPeriod": to.danishLabel,
            "pronoun": words.pronoun, "source": source,
        ]
        if let region {
            let stored = value(region.code, from).flatMap { ra in value(region.code, to).flatMap { change(ra, $0) } }
            if let theirs = stored ?? (share ? nil : published(region.code).map(moved)) {
                context["region"] = ["name": region.name, "verb": theirs.verb, "moved": theirs.moved, "change": theirs.size]
            }
        }
        return template.render(context)
    }

    /// `4.720`, `3,4 %`.
    static func figure(_ value: Double, _ unit: MeasureUnit) -> String {
        unit == .procent ? DanishNumber.percent(value) : DanishNumber.format(value, unit: unit)
    }

    /// The text for the drafted section `id`: the plan's own (accepted or rewritten) where it has
    /// one, whether or not a draft can still be made; else the draft marked as a proposal while
    /// the plan is a draft. An approved plan shows only what a person accepted.
    static func blocks(_ id: String, _ draft: Draft?, _ c: ReportContext) -> [Block] {
        if let own = c.plan.sections.first(where: { $0.id == id }) { return [.paragraph(own.text)] }
        guard let draft, c.plan.status == .udkast else { return [] }
        return [.paragraph("Forslag (skrevet af beskplan ud fra tallene; godkend eller omskriv det på planens side): \(draft.text)")]
    }

    /// Every sentence the plan report drafts, in the order it shows them.
    public static func drafts(_ c: ReportContext) -> [Draft] {
        [LabourMarket.draft(c)].compactMap { $0 } + PublishedSeries.all.compactMap { $0.draft(c) }
    }

    /// The templates file, read and compiled once.
    struct Templates: Sendable {
        struct Words: Decodable, Sendable {
            let subject: String
            let pronoun: String
        }

        struct Verbs: Decodable, Sendable {
            let up: String
            let down: String
            let same: String
            /// A change that rounds to 0,0.
            let nearlySame: String
        }

        struct File: Decodable, Sendable {
            let verbs: Verbs
            let measures: [String: Words]
        }

        let file: File
        let compiled: [String: MustacheTemplate]

        static let standard: Templates = {
            let url = ResourceFolder(module: "Reports") { Bundle.module }.file("Resources/tekstskabeloner.json")
            do {
                let file = try JSONDecoder().decode(File.self, from: try Data(contentsOf: url!))
                return Templates(file: file, compiled: TemplateFile.load(url, required: ["count", "share"]))
            } catch {
                preconditionFailure("tekstskabeloner.json is bundled with Reports and must decode: \(error)")
            }
        }()
    }
}
