import Foundation
import Mustache

/// A bundled JSON file of Mustache templates kept as data (`{"templates": {name: text}, …}`):
/// the explanations here, the drafted sentences in Reports. Read and compiled once by its owner;
/// a missing or broken file is a build mistake, so it stops at the first use.
public enum TemplateFile {
    private struct Templates: Decodable {
        let templates: [String: String]
    }

    /// The file's templates, compiled, by name; `required` names must all be there.
    public static func load(_ url: URL?, required: [String] = []) -> [String: MustacheTemplate] {
        let name = url?.lastPathComponent ?? "template file"
        do {
            guard let url else { preconditionFailure("\(name) is not in the bundle") }
            let file = try JSONDecoder().decode(Templates.self, from: Data(contentsOf: url))
            for missing in required where file.templates[missing] == nil { preconditionFailure("\(name) lacks \(missing)") }
            return try file.templates.mapValues { try MustacheTemplate(string: $0) }
        } catch {
            preconditionFailure("\(name) must decode and compile: \(error)")
        }
    }
}
