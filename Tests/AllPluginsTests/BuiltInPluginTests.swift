import AllPlugins
import Foundation
import PluginKit
import Testing

/// The list of built-in plugins, as the apps build it.
@Suite("Built-in plugins")
struct BuiltInPluginTests {
    @Test("The built-in registry holds the five seed kommuner and their local measures")
    func builtIn() throws {
        let registry = try AllPlugins.registry()
        #expect(registry.entries.map(\.kommune.code) == ["707", "741", "773", "820", "849"])
        #expect(registry.measures["samsoe.opkvalificeringsforloeb"]?.unit == .antal)
        #expect(registry.measures["jammerbugt.budget_maaltal"]?.unit == .helaarspersoner)
        #expect(registry.plugin(for: "741")?.branding.slogan == "vi gør det sammen")
        for entry in registry.entries {
            let slug = entry.kommune.slug
            for measure in entry.plugin.measures {
                #expect(measure.id.hasPrefix("\(slug)."), "\(measure.id) should start with \(slug).")
            }
        }
    }
}

@Suite("Repository checks")
struct RepositoryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("Every folder under Plugins/ is in AllPlugins' list, and nothing else is")
    func everyPluginFolderIsListed() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Plugins").path)
            .filter { !$0.hasPrefix(".") && $0 != "AllPlugins" }
        let modules = AllPlugins.types.map { String(reflecting: $0).split(separator: ".").first.map(String.init) ?? "" }
        #expect(Set(folders) == Set(modules), "Plugins/ folders and AllPlugins.types differ")
        #expect(modules.count == Set(modules).count)
    }

    @Test("docs/measures.md lists every measure, standard and local")
    func measuresDocumented() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/measures.md"), encoding: .utf8)
        let registry = try AllPlugins.registry()
        for measure in registry.measures.all {
            #expect(doc.contains("`\(measure.id)`"), "docs/measures.md does not list \(measure.id)")
        }
    }

    @Test("Every seed kommune is used by some measure")
    func seedsCovered() throws {
        let registry = try AllPlugins.registry()
        let used = Set(registry.measures.all.flatMap(\.usedBy))
        #expect(used.isSuperset(of: ["773", "849", "707", "741", "820"]))
    }
}
