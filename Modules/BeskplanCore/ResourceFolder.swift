import Foundation

/// The folder SwiftPM copies a module's resources into, `beskplan_MODULE.resources` beside the
/// executable, found without asking Foundation's `Bundle`: on Linux, the first `Bundle.module`
/// builds `Bundle.main`, which lists the executable's folder several times over. Beside a release
/// build's 200 files that was a quarter of a short command's start (docs/operations.md).
public struct ResourceFolder: Sendable {
    public let url: URL

    /// The resources of this package's `module`. `bundle` (the module's own `Bundle.module`) is
    /// asked only where the folder is not beside the executable.
    public init(module: String, bundle: () -> Bundle) {
        let beside = Self.executableFolder?.appendingPathComponent("beskplan_\(module).resources", isDirectory: true)
        if let beside, FileManager.default.fileExists(atPath: beside.path) {
            url = beside
        } else {
            // The folder itself: a `Resources` folder inside it would be the bundle's `resourceURL`.
            url = bundle().bundleURL
        }
    }

    /// A file or folder in it by its path (`Templates`, `Resources/forklaringer.json`), if it is there.
    public func file(_ path: String) -> URL? {
        let file = url.appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: file.path) ? file : nil
    }

    /// The files of one of its folders whose names end in `suffix`, sorted by name.
    public func files(in folder: String, ending suffix: String) -> [URL] {
        let folder = url.appendingPathComponent(folder, isDirectory: true)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// The running executable's folder (the test runner's, under `swift test`).
    private static let executableFolder: URL? = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        .map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
}
