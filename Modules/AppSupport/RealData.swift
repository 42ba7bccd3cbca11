import Foundation

/// Real published data shipped with beskplan, exactly as published (`RealData/README.md`): the
/// demo imports it, so its reports show real figures that name their source.
public enum RealData {
    public struct File: Sendable {
        public let url: URL
        /// The shipped mapping that reads it.
        public let mapping: String
        /// The source line reports print.
        public let source: String
    }

    /// Statistikbanken AUK01 in English with texts, 2007Q1–2025Q4.
    public static var auk01: File {
        File(url: folder.appendingPathComponent("dst-auk01-en.csv"), mapping: "dst-auk01", source: "Danmarks Statistik, AUK01")
    }

    /// Statistikbanken LBESK69: full-time employees by kommune of residence, 2008Q1–2025Q3.
    public static var lbesk69: File {
        File(url: folder.appendingPathComponent("dst-lbesk69-en.csv"), mapping: "dst-lbesk69", source: "Danmarks Statistik, LBESK69")
    }

    /// Statistikbanken FOLK1AM: the population on the 1st of each month, 2021M10–2026M02.
    public static var folk1am: File {
        File(url: folder.appendingPathComponent("dst-folk1am-en.csv"), mapping: "dst-folk1am", source: "Danmarks Statistik, FOLK1AM")
    }

    /// Jobindsats Y30R21, the benchmark, 98 kommuner, 2020QMAT02–2022QMAT04.
    public static var y30r21: File {
        File(
            url: folder.appendingPathComponent("jobindsats-y30r21-2020-2022.csv"), mapping: "jobindsats-y30r21-csv",
            source: "Jobindsats, Y30R21")
    }

    public static var files: [File] { [auk01, lbesk69, folk1am, y30r21] }

    static let folder = ResourceFolder(module: "AppSupport") { Bundle.module }.url.appendingPathComponent("RealData")
}
