import BeskplanCore
import Foundation
import Mustache

/// The sentence that explains a target's evaluation, from a template per rule kind and case kept
/// as data (`Resources/forklaringer.json`): the rules compute the figures and the goal's words,
/// the template gives the sentence its shape.
enum Explanation {
    enum Kind: String, CaseIterable {
        case threshold, benchmark, development, change, deadlineReached, deadlineOnTheWay
        case milestoneWithheld, milestoneWaiting, milestoneAssessed
    }

    static func text(_ kind: Kind, _ values: [String: Any]) -> String {
        guard let template = templates[kind.rawValue] else { preconditionFailure("forklaringer.json has no template \(kind.rawValue)") }
        return template.render(values)
    }

    /// Every template, read and compiled once.
    private static let templates = TemplateFile.load(
        ResourceFolder(module: "Evaluation") { Bundle.module }.file("Resources/forklaringer.json"), required: Kind.allCases.map(\.rawValue))
}
