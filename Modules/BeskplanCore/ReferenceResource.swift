import Foundation

/// The JSON files under `Resources/`, read once by the catalogs that own them.
enum ReferenceResource {
    static let folder = ResourceFolder(module: "BeskplanCore") { Bundle.module }

    static func load(_ name: String) throws -> Data {
        guard let url = folder.file(name + ".json") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(name).json"])
        }
        return try Data(contentsOf: url)
    }
}
