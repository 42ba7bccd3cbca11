import BeskplanCore
import Foundation

/// The mappings that ship with beskplan (Statistikbanken, Jobindsats, beskplan's own export).
public enum ShippedMappings {
    /// Every shipped mapping file, by name (the file name without `.yaml`).
    public static var all: [String: URL] {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Mappings"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return [:] }
        return Dictionary(uniqueKeysWithValues: names.filter { $0.hasSuffix(".yaml") }.map {
            (String($0.dropLast(5)), folder.appendingPathComponent($0))
        })
    }
}
