/// Periods as Danish prose writes them.
extension Period {
    static let monthNames = [
        "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
        "november", "december",
    ]

    /// `2019`, `1. halvår 2024`, `2. kvartal 2019`, `juni 2019`, `uge 44 2023`,
    /// `12 mdr. til og med 4. kvartal 2022`.
    public var danishLabel: String {
        switch self {
        case .year(let y): "\(y)"
        case .half(let y, let h): "\(h). halvår \(y)"
        case .quarter(let y, let q): "\(q). kvartal \(y)"
        case .month(let y, let m): "\(Period.monthNames[m - 1]) \(y)"
        case .week(let y, let w): "uge \(w) \(y)"
        case .rollingYear(let y, let q): "12 mdr. til og med \(q). kvartal \(y)"
        }
    }
}
