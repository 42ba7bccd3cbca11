import BeskplanCore
import Foundation
import Yams

/// The plan language (`docs/plan-language.md`): YAML ⇄ `Plan`, validated against the catalogs,
/// with every problem located at its YAML line and column.
public enum PlanFile {
    /// Reads and validates a plan file; throws every problem found, each located.
    public static func load(path: String, catalog: PlanCatalog) throws(PlanErrors) -> Plan {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PlanErrors([PlanError(file: path, line: 0, column: 0, message: "cannot read the file")])
        }
        return try parse(text, file: path, catalog: catalog)
    }

    /// Parses and validates plan text.
    public static func parse(_ text: String, file: String, catalog: PlanCatalog) throws(PlanErrors) -> Plan {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw PlanErrors([PlanError(file: file, line: 1, column: 1, message: "the file is empty")])
            }
            node = composed
        } catch let error as PlanErrors {
            throw error
        } catch let error as YamlError {
            throw PlanErrors([Self.located(error, file: file)])
        } catch {
            throw PlanErrors([PlanError(file: file, line: 1, column: 1, message: "not YAML: \(error)")])
        }
        let locator = NodeLocator(root: node, file: file)
        var problems = KeyCheck.unknownKeys(node, locator: locator)
        let plan: Plan
        do {
            plan = try YAMLDecoder().decode(Plan.self, from: node)
        } catch let error as DecodingError {
            throw PlanErrors(problems + [locator.error(for: error)])
        } catch {
            throw PlanErrors(problems + [PlanError(file: file, line: 1, column: 1, message: "\(error)")])
        }
        problems += PlanValidator(catalog: catalog, locator: locator).problems(in: plan)
        guard problems.isEmpty else { throw PlanErrors(problems) }
        return plan
    }

    /// The plan as YAML, in the plan language's field order.
    public static func yaml(_ plan: Plan) throws -> String {
        let encoder = YAMLEncoder()
        encoder.options.allowUnicode = true
        encoder.options.width = 100
        return try encoder.encode(plan).split(separator: "\n", omittingEmptySubsequences: false)
            .map(plainNumber).joined(separator: "\n")
    }

    /// Yams writes a Double in exponent form (`value: 7.5e+1`); a plan says `value: 75`. Only an
    /// unquoted scalar is a number: a string that looks like one is quoted by Yams.
    private static func plainNumber(_ line: Substring) -> String {
        guard let colon = line.range(of: ": ", options: .backwards) else { return String(line) }
        let value = line[colon.upperBound...]
        guard value.contains("e"), value.allSatisfy({ $0.isNumber || "+-.e".contains($0) }), let number = Double(value) else {
            return String(line)
        }
        return line[..<colon.upperBound] + number.planText
    }

    private static func located(_ error: YamlError, file: String) -> PlanError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return PlanError(file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)")
        default:
            return PlanError(file: file, line: 1, column: 1, message: "not valid YAML: \(error)")
        }
    }
}

/// One located problem: `plan-2024.yaml:31:9: unknown measure 'x'; did you mean 'y'?`.
public struct PlanError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// All the problems of one plan file, one per line.
public struct PlanErrors: Error, CustomStringConvertible, Sendable {
    public let errors: [PlanError]
    public init(_ errors: [PlanError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// What a plan is checked against.
public struct PlanCatalog: Sendable {
    public let measures: MeasureCatalog
    public let areas: AreaCatalog
    public let dimensions: DimensionCatalog
    public let ministermaal: MinistermaalCatalog
    public let ruleKinds: [String: any RuleKind.Type]

    public init(
        measures: MeasureCatalog, ruleKinds: [any RuleKind.Type] = [], areas: AreaCatalog = .standard,
        dimensions: DimensionCatalog = .standard, ministermaal: MinistermaalCatalog = .standard
    ) {
        self.measures = measures
        self.areas = areas
        self.dimensions = dimensions
        self.ministermaal = ministermaal
        self.ruleKinds = Dictionary(ruleKinds.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
    }
}

@_exported import Evaluation
