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

    public static var files: [File] { [auk01] }

    static var folder: URL { Bundle.module.resourceURL!.appendingPathComponent("RealData") }
}
