import BeskplanCore
import Foundation

/// Small, dependency-free SVG charts with Danish numbers, a legend and a source line.
/// Hand-written: the charts are simple and a charting library would add more than it saves.
public enum Chart {
    /// One line of a line chart.
    public struct Series: Sendable {
        public var name: String
        public var points: [(period: Period, value: Double)]

        public init(name: String, points: [(period: Period, value: Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// One group of a bar chart: a label and one value per series (nil: no bar).
    public struct BarGroup: Sendable {
        public var label: String
        public var values: [Double?]

        public init(label: String, values: [Double?]) {
            self.label = label
            self.values = values
        }
    }

    static let palette = ["#1F4E79", "#C55A11", "#7F7F7F", "#548235"]
    static let width = 640.0
    static let height = 320.0

    /// A measure over time for several areas (kommune, region, country).
    /// `breaks`: the first periods of a new table (a series break): the lines are not drawn
    /// across one, and a dashed line marked "brud" stands between the two tables' points.
    public static func line(
        _ series: [Series], unit: MeasureUnit?, source: String, colors: [String]? = nil, breaks: [Period] = []
    ) -> String {
        let colors = colors ?? palette
        let periods = Array(Set(series.flatMap { $0.points.map(\.period) })).sorted()
        let values = series.flatMap { $0.points.map(\.value) }
        let (low, high, ticks) = Axis.nice(min(values.min() ?? 0, 0), values.max() ?? 1)
        let plot = (left: 64.0, right: width - 16, top: 20.0, bottom: height - 84)
        func x(_ p: Period) -> Double {
            guard periods.count > 1, let i = periods.firstIndex(of: p) else { return (plot.left + plot.right) / 2 }
            return plot.left + (plot.right - plot.left) * Double(i) / Double(periods.count - 1)
        }
        func y(_ v: Double) -> Double { plot.bottom - (plot.bottom - plot.top) * (v - low) / (high - low) }
        var svg = header()
        svg += grid(ticks, y: y, plot: plot, unit: unit)
        let labelEvery = max(1, periods.count / 6)
        for (i, p) in periods.enumerated() where i % labelEvery == 0 || i == periods.count - 1 {
            // The ends are anchored inwards so their labels stay inside the picture.
            let anchor = periods.count > 1 && i == periods.count - 1 ? "end" : (i == 0 && periods.count > 1 ? "start" : "middle")
            svg += text(x(p), plot.bottom + 16, p.description, anchor: anchor)
        }
        // Breaks inside the drawn periods, between the last point before and the first after.
        // By the day a period starts: a quarter and a month compare by when they begin.
        let inside = breaks.filter { b in periods.contains { $0.firstDay < b.firstDay } && periods.contains { $0.firstDay >= b.firstDay } }
        for b in inside {
            guard let before = periods.last(where: { $0.firstDay < b.firstDay }), let after = periods.first(where: { $0.firstDay >= b.firstDay })
            else { continue }
            let bx = (x(before) + x(after)) / 2
            svg += "<line x1=\"\(f(bx))\" y1=\"\(f(plot.top))\" x2=\"\(f(bx))\" y2=\"\(f(plot.bottom))\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>"
            svg += text(bx + 3, plot.top + 10, "brud", size: 10, color: "#555")
        }
        for (i, s) in series.enumerated() where !s.points.isEmpty {
            let color = colors[i % colors.count]
            let sorted = s.points.sorted { $0.period < $1.period }
            // One line per stretch between breaks: two tables' figures are never joined.
            let stretches = Dictionary(grouping: sorted) { p in inside.filter { $0.firstDay <= p.period.firstDay }.count }
            for key in stretches.keys.sorted() {
                let path = stretches[key]!.map { "\(f(x($0.period))),\(f(y($0.value)))" }.joined(separator: " ")
                svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.5\" points=\"\(path)\"/>"
            }
            for point in s.points {
                svg += "<circle cx=\"\(f(x(point.period)))\" cy=\"\(f(y(point.value)))\" r=\"3\" fill=\"\(color)\"/>"
            }
        }
        svg += legend(series.map(\.name), colors: colors, y: height - 46)
        svg += text(8, height - 10, source, size: 11, color: "#555")
        return svg + "</svg>"
    }

    /// Grouped horizontal-axis bars: one group per ydelsesgruppe, one bar per area.
    public static func bars(
        _ groups: [BarGroup], series: [String], unit: MeasureUnit?, source: String, colors: [String]? = nil
    ) -> String {
        let colors = colors ?? palette
        let values = groups.flatMap { $0.values.compactMap { $0 } }
        let (low, high, ticks) = Axis.nice(min(values.min() ?? 0, 0), values.max() ?? 1)
        let plot = (left: 64.0, right: width - 16, top: 20.0, bottom: height - 110)
        func y(_ v: Double) -> Double { plot.bottom - (plot.bottom - plot.top) * (v - low) / (high - low) }
        var svg = header()
        svg += grid(ticks, y: y, plot: plot, unit: unit)
        let groupWidth = (plot.right - plot.left) / Double(max(groups.count, 1))
        let barWidth = groupWidth * 0.8 / Double(max(series.count, 1))
        for (g, group) in groups.enumerated() {
            let x0 = plot.left + groupWidth * Double(g) + groupWidth * 0.1
            for (s, value) in group.values.enumerated() {
                guard let value else { continue }
                let top = min(y(value), y(0))
                let h = abs(y(value) - y(0))
                svg += "<rect x=\"\(f(x0 + barWidth * Double(s)))\" y=\"\(f(top))\" width=\"\(f(barWidth))\" height=\"\(f(h))\" fill=\"\(colors[s % colors.count])\"><title>\(escape(group.label)), \(escape(series[s])): \(DanishNumber.format(value, decimals: 1))</title></rect>"
            }
            let cx = x0 + groupWidth * 0.4
            svg += "<text x=\"\(f(cx))\" y=\"\(f(plot.bottom + 10))\" font-size=\"10\" fill=\"#333\" text-anchor=\"end\" transform=\"rotate(-40 \(f(cx)) \(f(plot.bottom + 10)))\">\(escape(group.label))</text>"
        }
        svg += legend(series, colors: colors, y: height - 34)
        svg += text(8, height - 8, source, size: 11, color: "#555")
        return svg + "</svg>"
    }

    private static func header() -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    }

    private static func grid(
        _ ticks: [Double], y: (Double) -> Double, plot: (left: Double, right: Double, top: Double, bottom: Double),
        unit: MeasureUnit?
    ) -> String {
        var svg = ""
        let decimals = ticks.contains { $0 != $0.rounded() } ? 1 : 0
        for t in ticks {
            svg += "<line x1=\"\(f(plot.left))\" x2=\"\(f(plot.right))\" y1=\"\(f(y(t)))\" y2=\"\(f(y(t)))\" stroke=\"#dddddd\"/>"
            let label = DanishNumber.format(t, decimals: decimals) + (unit == .procent ? " %" : "")
            svg += text(plot.left - 6, y(t) + 4, label, anchor: "end")
        }
        svg += "<line x1=\"\(f(plot.left))\" x2=\"\(f(plot.left))\" y1=\"\(f(plot.top))\" y2=\"\(f(plot.bottom))\" stroke=\"#888888\"/>"
        return svg
    }

    private static func legend(_ names: [String], colors: [String], y: Double) -> String {
        var svg = ""
        var x = 64.0
        for (i, name) in names.enumerated() {
            svg += "<rect x=\"\(f(x))\" y=\"\(f(y - 9))\" width=\"12\" height=\"12\" fill=\"\(colors[i % colors.count])\"/>"
            svg += text(x + 16, y + 1, name)
            x += 24 + Double(name.count) * 6.5
        }
        return svg
    }

    private static func text(
        _ x: Double, _ y: Double, _ s: String, anchor: String = "start", size: Int = 11, color: String = "#333333"
    ) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(size)\" fill=\"\(color)\" text-anchor=\"\(anchor)\">\(escape(s))</text>"
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String { x(s) }
}

/// Round axis ends and tick steps (1, 2, 2.5, 5 × 10ⁿ).
enum Axis {
    static func nice(_ low: Double, _ high: Double, ticks: Int = 5) -> (Double, Double, [Double]) {
        let span = high - low == 0 ? max(abs(high), 1) : high - low
        let raw = span / Double(ticks)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        let lo = floor(low / step) * step
        let hi = ceil(high / step) * step == lo ? lo + step : ceil(high / step) * step
        let values = stride(from: lo, through: hi + step / 2, by: step).map { ($0 / step).rounded() * step }
        return (lo, hi, values)
    }
}
