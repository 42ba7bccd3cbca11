/// The plugins an app runs with, looked up by kommune.
///
/// Built once from a list of plugin types (`AllPlugins.types`); the list is checked as it is
/// registered, so a mistake fails at start-up, not in the middle of a report.
public struct PluginRegistry: Sendable {
    public struct Entry: Sendable {
        public let kommune: Area
        public let plugin: any KommunePlugin

        /// The plugin's module-qualified type name, e.g. `Samsoe.SamsoePlugin` (made when asked:
        /// the runtime's reflection is a measurable part of a command's start).
        public var typeName: String { String(reflecting: type(of: plugin)) }
    }

    /// The registered plugins, by kommune code.
    public let entries: [Entry]
    /// The standard measures and every plugin's local ones.
    public let measures: MeasureCatalog
    /// Every plugin's rule kinds.
    public let ruleKinds: [any RuleKind.Type]
    private let byKommune: [AreaCode: Entry]

    /// Registers the plugins; fails when a kommune is registered twice, a code is not a kommune,
    /// or a local measure clashes with another.
    public init(
        _ types: [any KommunePlugin.Type], areas: AreaCatalog = .standard, measures: MeasureCatalog = .standard
    ) throws(RegistryError) {
        var byKommune: [AreaCode: Entry] = [:]
        var catalog = measures
        var kinds: [String: any RuleKind.Type] = [:]
        for type in types {
            guard let area = areas[type.kommune], area.kind == .kommune else {
                throw .notAKommune(type.kommune, String(reflecting: type))
            }
            if let existing = byKommune[type.kommune] {
                throw .duplicate(area, existing.typeName, String(reflecting: type))
            }
            let plugin = type.init()
            do {
                catalog = try catalog.adding(plugin.measures)
            } catch {
                throw .measure(String(reflecting: type), error)
            }
            for kind in plugin.ruleKinds {
                guard !Rule.builtInKinds.contains(kind.kind), kinds.updateValue(kind, forKey: kind.kind) == nil else {
                    throw .ruleKind(kind.kind, String(reflecting: type))
                }
            }
            byKommune[type.kommune] = Entry(kommune: area, plugin: plugin)
        }
        self.byKommune = byKommune
        self.entries = byKommune.values.sorted { $0.kommune.code < $1.kommune.code }
        self.measures = catalog
        self.ruleKinds = kinds.keys.sorted().map { kinds[$0]! }
    }

    /// An evaluator that knows every plugin's rule kinds.
    public var evaluator: Evaluator { Evaluator(ruleKinds: ruleKinds) }

    /// The plugin of a kommune, if it has one.
    public func plugin(for kommune: AreaCode) -> (any KommunePlugin)? { byKommune[kommune]?.plugin }
}

/// A plugin list that cannot be registered.
public enum RegistryError: Error, CustomStringConvertible {
    case duplicate(Area, String, String)
    case notAKommune(AreaCode, String)
    case measure(String, CatalogError)
    case ruleKind(String, String)

    public var description: String {
        switch self {
        case .duplicate(let area, let first, let second):
            "kommune \(area.code) \(area.name) is registered twice (\(first) and \(second))"
        case .notAKommune(let code, let type):
            "\(type) names \(code), which is not a kommune"
        case .measure(let type, let error):
            "\(type): \(error)"
        case .ruleKind(let kind, let type):
            "\(type): rule kind '\(kind)' is built in or registered by another plugin"
        }
    }
}
