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
        guard let template = templates[kind] else { preconditionFailure("forklaringer.json has no template \(kind.rawValue)") }
        return template.render(values)
    }

    private struct File: Decodable {
        let templates: [String: String]
    }

    /// Every template, read and compiled once; a missing or broken one stops at the first use.
    private static let templates: [Kind: MustacheTemplate] = {
        do {
            guard let url = Bundle.module.url(forResource: "Resources/forklaringer", withExtension: "json") else {
                preconditionFailure("forklaringer.json is bundled with Evaluation")
            }
            let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
            var compiled: [Kind: MustacheTemplate] = [:]
            for kind in Kind.allCases {
                guard let text = file.templates[kind.rawValue] else { preconditionFailure("forklaringer.json lacks \(kind.rawValue)") }
                compiled[kind] = try MustacheTemplate(string: text)
            }
            return compiled
        } catch {
            preconditionFailure("forklaringer.json is bundled with Evaluation and must compile: \(error)")
        }
    }()
}
