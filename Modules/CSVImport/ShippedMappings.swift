import BeskplanCore
import Foundation

/// The mappings that ship with beskplan (Statistikbanken, Jobindsats, beskplan's own export).
public enum ShippedMappings {
    private static let resources = ResourceFolder(module: "CSVImport") { Bundle.module }

    /// Every shipped mapping file, by name (the file name without `.yaml`).
    public static var all: [String: URL] {
        Dictionary(uniqueKeysWithValues: resources.files(in: "Mappings", ending: ".yaml").map {
            ($0.deletingPathExtension().lastPathComponent, $0)
        })
    }
}
