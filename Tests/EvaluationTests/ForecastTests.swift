import BeskplanCore
import Foundation
import Evaluation
import Testing

/// The forecast on series with a known answer.
struct ForecastTests {
    /// Quarterly: 100 × 1.0, 1.1, 1.2, 0.9 in each quarter, times a level that grows 5 % a year.
    static func seasonal(years: ClosedRange<Int>, through last: Period) -> [Period: Double] {
        var series: [Period: Double] = [:]
        let season = [1.0, 1.1, 1.2, 0.9]
        for year in years {
            for quarter in 1...4 where Period.quarter(year, quarter) <= last {
                series[.quarter(year, quarter)] = 100 * pow(1.05, Double(year - years.lowerBound)) * season[quarter - 1]
            }
        }
        return series
    }

    @Test("A regular seasonal series is projected exactly: from the second quarter to the fourth, ×0,9/1,1")
    func exactSeason() throws {
        let series = Self.seasonal(years: 2015...2024, through: .quarter(2024, 2))
        let forecast = try #require(Forecast.project(series, to: .quarter(2024, 4)))
        let latest = 100 * pow(1.05, 9) * 1.1
        #expect(forecast.from == .quarter(2024, 2) && abs(forecast.latest - latest) < 1e-9)
        #expect(abs(forecast.value - latest * 0.9 / 1.1) < 1e-9)
        #expect(abs(forecast.low - forecast.value) < 1e-9 && abs(forecast.high - forecast.value) < 1e-9, "no spread when every year moved alike")
        #expect(forecast.years == Array(2016...2023), "the eight most recent earlier years")
    }

    @Test("Years that moved differently give a range that holds the median year's movement")
    func range() throws {
        var series: [Period: Double] = [:]
        // Second quarter 100 each year; the fourth 90, 95, 100, 105, 110 in 2019–2023.
        for (i, year) in (2019...2023).enumerated() {
            series[.quarter(year, 2)] = 100
            series[.quarter(year, 4)] = 90 + 5 * Double(i)
        }
        series[.quarter(2024, 2)] = 200
        let forecast = try #require(Forecast.project(series, to: .quarter(2024, 4)))
        #expect(abs(forecast.value - 200) < 1e-9 && abs(forecast.low - 180) < 1e-9 && abs(forecast.high - 220) < 1e-9)
        #expect(forecast.danish(.fuldtidspersoner) == "Prognose for 4. kvartal 2024: 200 (180–220), ud fra 2. kvartal 2024 og udviklingen i 2019–2023.")
    }

    @Test("No forecast without a figure of the year, with fewer than three earlier years, or when the end is already there")
    func nothingToProject() {
        let series = Self.seasonal(years: 2021...2024, through: .quarter(2024, 2))
        #expect(Forecast.project(series, to: .quarter(2024, 4)) != nil, "three earlier years are enough")
        #expect(Forecast.project(Self.seasonal(years: 2022...2024, through: .quarter(2024, 2)), to: .quarter(2024, 4)) == nil)
        #expect(Forecast.project(series, to: .quarter(2025, 4)) == nil, "no figure of 2025 yet")
        #expect(Forecast.project(series, to: .quarter(2024, 1)) == nil, "the end is there")
    }
}
