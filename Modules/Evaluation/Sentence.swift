import BeskplanCore

/// The pieces of the Danish explanation sentences, with Danish numbers.
enum Sentence {
    /// The measure's name, with the selected ydelsesgruppe: "Andel … (kontanthjælp)".
    static func subject(_ measure: MeasureID, _ select: [String: String]?, _ base: Outcome.Base) -> String {
        let name = base.context.measures[measure]?.name ?? measure
        let labels = (select ?? [:]).sorted { $0.key < $1.key }.map { key, value in
            DimensionCatalog.standard.values(of: key)?.first { $0.id == value }?.label.lowercased() ?? value
        }
        return labels.isEmpty ? name : "\(name) (\(labels.joined(separator: ", ")))"
    }

    static func value(_ v: Double, _ unit: MeasureUnit?) -> String {
        guard let unit else { return DanishNumber.format(v, decimals: v == v.rounded() ? 0 : 1) }
        return DanishNumber.format(v, unit: unit)
    }

    /// A goal as written in plans: `80 %`, `2,5 %`, `50` — no decimals a plan did not write.
    static func goal(_ v: Double, _ unit: MeasureUnit?) -> String {
        let number = DanishNumber.format(v, decimals: v == v.rounded() ? 0 : (v * 10 == (v * 10).rounded() ? 1 : 2))
        switch unit {
        case .procent?: return number + " %"
        case .procentpoint?: return number + " procentpoint"
        default: return number
        }
    }

    static func signed(_ v: Double, _ unit: MeasureUnit) -> String {
        switch unit {
        case .procentpoint: DanishNumber.percentagePoints(v, signed: true)
        case .procent: DanishNumber.format(v, decimals: 1, signed: true) + " %"
        default: DanishNumber.format(v, decimals: v == v.rounded() ? 0 : 1, signed: true)
        }
    }

    /// "i juni 2019", or "i 2024 (gennemsnit af 33 uger)" for an aggregate.
    static func when(_ figure: Figure, _ aggregate: Aggregate?, _ base: Outcome.Base) -> String {
        var text = "i \(figure.period.danishLabel)"
        if figure.observations > 1 {
            let what: String
            switch aggregate ?? .average {
            case .average: what = "gennemsnit af"
            case .sum: what = "sum af"
            case .last: what = "seneste af"
            case .min: what = "laveste af"
            case .max: what = "højeste af"
            }
            text += " (\(what) \(figure.observations) perioder"
            text += figure.complete ? ")" : ", foreløbigt)"
        } else if !figure.complete {
            text += " (foreløbigt)"
        }
        return text
    }

    static func comparison(_ op: Comparison) -> String {
        switch op {
        case .atLeast: "mindst"
        case .atMost: "højst"
        case .above: "over"
        case .below: "under"
        case .equal: "præcis"
        }
    }

    /// "mindst på niveau med Region Nordjylland", "højst 4,0 procentpoint over hele landet".
    static func relative(_ op: Comparison, offset: Double, unit: OffsetUnit?, to name: String) -> String {
        if offset == 0 {
            switch op {
            case .atLeast: return "mindst på niveau med \(name)"
            case .atMost: return "højst på niveau med \(name)"
            case .above: return "over \(name)"
            case .below: return "under \(name)"
            case .equal: return "på niveau med \(name)"
            }
        }
        let amount = unit == .percent
            ? DanishNumber.format(abs(offset), decimals: 1) + " %"
            : DanishNumber.percentagePoints(abs(offset))
        let side = offset > 0 ? "over" : "under"
        return "\(comparison(op)) \(amount) \(side) \(name)"
    }

    static func redFlag(_ flag: Double?, _ unit: MeasureUnit?) -> String {
        guard let flag else { return "" }
        return "; rødt flag ved \(goal(flag, unit))"
    }

    static func areaName(_ area: Area) -> String {
        area.kind == .country ? "hele landet" : area.name
    }
}

/// A goal level in words, as the evaluation's sentences write it: `mindst 90 %`, `højst 2,5`.
public enum GoalLevel {
    public static func danish(_ op: Comparison, _ value: Double, _ unit: MeasureUnit?) -> String {
        "\(Sentence.comparison(op)) \(Sentence.goal(value, unit))"
    }

    /// A measured figure, as the evaluation's sentences write one.
    public static func figure(_ value: Double, _ unit: MeasureUnit?) -> String { Sentence.value(value, unit) }
}
