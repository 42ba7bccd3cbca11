import BeskplanCore
import Foundation
import Yams

/// Reads an import mapping from YAML (`docs/import-mapping.md`).
public enum MappingFile {
    /// Reads the mapping at `path`.
    public static func load(path: String) throws -> ImportMapping {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ImportError(file: path, line: 0, column: 0, message: "cannot read the mapping")
        }
        return try parse(text, file: path)
    }

    /// Reads mapping text; `file` names it in errors. Anchors, aliases and deep nesting are
    /// refused before the YAML parser sees them, as in a plan.
    public static func parse(_ text: String, file: String) throws -> ImportMapping {
        if let unsafe = YAMLGuard.findings(in: text).first {
            throw ImportError(file: file, line: unsafe.line, column: unsafe.column, message: unsafe.message)
        }
        do {
            return try YAMLDecoder().decode(ImportMapping.self, from: text)
        } catch let error as YamlError {
            throw ImportError(file: file, line: 0, column: 0, message: "not valid YAML: \(error)")
        } catch let error as DecodingError {
            throw ImportError(file: file, line: 0, column: 0, message: "not a mapping: \(Self.describe(error))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String { keys.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let context):
            let at = path(context.codingPath)
            return "missing '\(key.stringValue)'" + (at.isEmpty ? "" : " in \(at)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
