import BeskplanCore
import Evaluation
import Foundation
import Spreadsheet

/// The tables an analyst takes on into Excel, in Danish: figures as numbers, periods as text,
/// names where a person reads them (never measure ids), and where the figures come from.
public enum FigureTables {
    /// Stored observations of one measure: the area, the selection's values, the period, the figure.
    public static func observations(
        _ observations: [Observation], measure id: MeasureID, definition: MeasureDefinition?, areas: AreaCatalog, asOf: Day
    ) -> SheetTable {
        let dimensions = definition?.dimensions ?? Array(Set(observations.flatMap(\.series.dimensions.keys))).sorted()
        let catalog = DimensionCatalog.standard
        let rows: [[SheetTable.Cell]] = observations.map { o in
            [.text(o.series.area.rawValue), .text(areas[o.series.area]?.name ?? o.series.area.rawValue)]
                + dimensions.map { d in o.series.dimensions[d].map { .text(catalog.label(d, $0, year: o.period.year)) } ?? .empty }
                + [.text(o.period.danishLabel), number(o.value, definition?.unit)]
        }
        let name = definition?.name ?? id
        return SheetTable(
            title: name, headers: ["Områdekode", "Område"] + dimensions.map { $0.capitalizedFirst() } + ["Periode", name + unitSuffix(definition?.unit, name: name)],
            rows: rows, source: "Kilde: \(definition?.source ?? "beskplan"), data pr. \(asOf.danishText)")
    }

    /// A plan's evaluation, one row per target: what is followed, the figure, what it is compared
    /// with, the status and the explanation.
    public static func evaluation(_ evaluations: [TargetEvaluation], kommune: String, year: Int, asOf: Day) -> SheetTable {
        let rows: [[SheetTable.Cell]] = evaluations.map { e in
            [
                .text(e.target), .text(e.follows),
                e.value.map { number($0, e.unit) } ?? .empty, e.benchmark.map { number($0, e.unit) } ?? .empty,
                .text(e.unit?.label ?? ""), .text(e.status.label), .text(e.explanation),
            ]
        }
        return SheetTable(
            title: "Vurdering \(year)",
            headers: ["Mål", "Hvad følges der op på", "Tal", "Sammenlignes med", "Enhed", "Status", "Forklaring"],
            rows: rows, source: "Kilde: beskplans vurdering af \(genitive(kommune)) beskæftigelsesplan \(year), data pr. \(asOf.danishText)")
    }

    /// A measure across all kommuner, ranked as the comparison page ranks them.
    public static func comparison(_ ranking: Comparison?, measure: MeasureDefinition, areas: AreaCatalog, year: Int) -> SheetTable {
        let perInhabitant = ranking.map { $0.basis != .asPublished } ?? false
        let rows: [[SheetTable.Cell]] = (ranking?.rows ?? []).map { row in
            [.number(Double(row.rank), decimals: 0), .text(areas[row.area]?.name ?? row.area.rawValue)]
                + (perInhabitant ? [.number(row.value, decimals: 1), number(row.published, measure.unit)] : [number(row.published, measure.unit)])
        }
        let headers = ["Nr.", "Kommune"] + (perInhabitant ? [ranking!.basis.label.capitalizedFirst(), "Antal"] : [measure.name + unitSuffix(measure.unit, name: measure.name)])
        let period = ranking.map { ", data pr. \($0.period.danishLabel)" } ?? ""
        return SheetTable(title: measure.name, headers: headers, rows: rows, source: "Kilde: \(measure.source)\(period)")
    }

    /// A figure as a spreadsheet number: shares with one decimal and " %", counts with the decimals they have.
    static func number(_ value: Double, _ unit: MeasureUnit?) -> SheetTable.Cell {
        let percent = unit == .procent
        return .number(value, decimals: percent || unit == .procentpoint ? 1 : decimals(value), percent: percent)
    }

    /// As many decimals as the value has, up to 3.
    public static func decimals(_ value: Double, least: Int = 0) -> Int {
        (least...3).first { d in
            let scale = pow(10, Double(d))
            return abs((value * scale).rounded() - value * scale) < 1e-6
        } ?? 3
    }

    /// The unit after a measure's name, unless the name says it already.
    private static func unitSuffix(_ unit: MeasureUnit?, name: String) -> String {
        guard let unit, !name.lowercased().contains(unit.label) else { return "" }
        return " (\(unit.label))"
    }

    /// `Vesthimmerland` → `Vesthimmerlands`; a name that ends in s, x or z takes an apostrophe.
    static func genitive(_ name: String) -> String {
        guard let last = name.last?.lowercased() else { return name }
        return ["s", "x", "z"].contains(last) ? name + "'" : name + "s"
    }
}
