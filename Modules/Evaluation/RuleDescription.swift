import BeskplanCore

/// A rule as the "Mål" column of a plan says it, in Danish.
public enum RuleDescription {
    public static func danish(
        _ rule: Rule, measures: MeasureCatalog, region: Area?, areas: AreaCatalog = .standard,
        ruleKinds: [String: any RuleKind.Type] = [:]
    ) -> String {
        func unit(_ m: MeasureID) -> MeasureUnit? { measures[m]?.unit }
        func value(_ v: Double, _ m: MeasureID) -> String { Sentence.goal(v, unit(m)) }
        func against(_ b: BenchmarkArea) -> String {
            switch b {
            case .region: region.map(Sentence.areaName) ?? "regionen"
            case .country: "hele landet"
            case .rar: "RAR-området"
            case .area(let code): areas[code].map(Sentence.areaName) ?? code.rawValue
            case .expected: "det forventede niveau"
            }
        }
        switch rule {
        case .threshold(let r):
            let aggregate: String
            switch r.aggregate {
            case .average?: aggregate = "gennemsnit for "
            case .sum?: aggregate = "i alt i "
            default: aggregate = ""
            }
            return "\(Sentence.comparison(r.op).capitalizedFirst()) \(value(r.value, r.measure)) (\(aggregate)\(r.period.danishLabel))"
                + (r.redFlag.map { "; rødt flag ved \(value($0, r.measure))" } ?? "")
        case .benchmark(let r):
            let text = Sentence.relative(r.op, offset: r.offset ?? 0, unit: r.offsetUnit, to: against(r.against))
            return "\(text.capitalizedFirst()) (\(r.period.danishLabel))"
        case .development(let r):
            let polarity = measures[r.measure]?.polarity ?? .neutral
            let level = polarity == .lower ? "højst" : polarity == .higher ? "mindst" : ""
            return "Udvikling \(level.isEmpty ? "" : level + " ")på niveau med \(against(r.against)), \(r.from.danishLabel)–\(r.to.danishLabel)"
        case .change(let r):
            let what: String
            switch r.direction {
            case .increase: what = "Stigning"
            case .decrease: what = "Fald"
            case .keep: what = "Mindst samme niveau"
            case .noIncrease: what = "Højst samme niveau"
            }
            return "\(what) fra \(r.from.danishLabel) til \(r.to.danishLabel)"
        case .deadline(let r):
            return "\(Sentence.comparison(r.op).capitalizedFirst()) \(value(r.value, r.measure)) i \(r.deadline.danishLabel)"
        case .milestone(let r):
            return r.description ?? "Vurderes manuelt"
        case .plugin(let r):
            return ruleKinds[r.kind]?.describe(r) ?? r.kind
        }
    }
}
