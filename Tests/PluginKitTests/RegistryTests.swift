import Foundation
import PluginKit
import Testing

struct TestPlugin: KommunePlugin {
    static let kommune: AreaCode = "492"
    var branding: Branding {
        Branding(kommuneName: "Ærø Kommune", jobcenterName: "Jobcenter Ærø", primaryColor: "#000", accentColor: "#fff")
    }
}

struct SecondAeroePlugin: KommunePlugin {
    static let kommune: AreaCode = "492"
    var branding: Branding { TestPlugin().branding }
}

struct RegionPlugin: KommunePlugin {
    static let kommune: AreaCode = "081"
    var branding: Branding { TestPlugin().branding }
}

struct ClashingMeasurePlugin: KommunePlugin {
    static let kommune: AreaCode = "101"
    var branding: Branding { TestPlugin().branding }
    var measures: [MeasureDefinition] {
        [MeasureDefinition(id: "ledighed.procent", name: "Ledighed", unit: .procent, polarity: .lower, source: "lokal", office: "lokal")]
    }
}

/// A rule kind that takes a built-in kind's name.
enum ThresholdImpostor: RuleKind {
    static let kind = "threshold"
    static func validate(_ rule: PluginRule, measures: MeasureCatalog) throws(RuleError) {}
    static func measures(_ rule: PluginRule) -> [MeasureID] { [] }
    static func evaluate(_ rule: PluginRule, target: Target, goal: Goal, context: EvaluationContext) -> TargetEvaluation {
        TargetEvaluation(
            kommune: context.plan.kommune, year: context.plan.year, goal: goal.id, target: target.id, follows: target.follows,
            rule: kind, status: .manglerData, explanation: "")
    }
}

struct ClashingRulePlugin: KommunePlugin {
    static let kommune: AreaCode = "147"
    var branding: Branding { TestPlugin().branding }
    var ruleKinds: [any RuleKind.Type] { [ThresholdImpostor.self] }
}

@Suite("Plugin registry")
struct RegistryTests {
    @Test("Plugins are found by kommune, and a kommune without one has none")
    func lookup() throws {
        let registry = try PluginRegistry([TestPlugin.self])
        #expect(registry.plugin(for: "492")?.branding.jobcenterName == "Jobcenter Ærø")
        #expect(registry.plugin(for: "741") == nil)
        #expect(registry.entries.map(\.typeName) == ["PluginKitTests.TestPlugin"])
    }

    @Test("Registering a kommune twice is an error that names both plugins")
    func duplicate() {
        #expect {
            try PluginRegistry([TestPlugin.self, SecondAeroePlugin.self])
        } throws: { error in
            String(describing: error)
                == "kommune 492 Ærø is registered twice (PluginKitTests.TestPlugin and PluginKitTests.SecondAeroePlugin)"
        }
    }

    @Test("A plugin must name a kommune, not a region")
    func notAKommune() {
        #expect {
            try PluginRegistry([RegionPlugin.self])
        } throws: { error in
            String(describing: error) == "PluginKitTests.RegionPlugin names 081, which is not a kommune"
        }
    }

    @Test("A local measure may not take an id that exists")
    func measureClash() {
        #expect {
            try PluginRegistry([ClashingMeasurePlugin.self])
        } throws: { error in
            String(describing: error) == "PluginKitTests.ClashingMeasurePlugin: duplicate measure ledighed.procent in reference data"
        }
    }

    @Test("A plugin's rule kind may not take a built-in kind's name")
    func ruleKindClash() {
        #expect {
            try PluginRegistry([ClashingRulePlugin.self])
        } throws: { error in
            String(describing: error) == "PluginKitTests.ClashingRulePlugin: rule kind 'threshold' is built in or registered by another plugin"
        }
    }
}
