import Jammerbugt
import Morsoe
import Norddjurs
import PluginKit
import Samsoe
import Vesthimmerland

/// The one list of built-in plugins. Adding a kommune: a folder under `Plugins/`, its target in
/// Package.swift, and one line here (a test fails when a folder is missing from this list).
public enum AllPlugins {
    public static let types: [any KommunePlugin.Type] = [
        MorsoePlugin.self,
        JammerbugtPlugin.self,
        NorddjursPlugin.self,
        SamsoePlugin.self,
        VesthimmerlandPlugin.self,
    ]

    /// The registry of the built-in plugins.
    public static func registry() throws(RegistryError) -> PluginRegistry {
        try PluginRegistry(types)
    }
}
