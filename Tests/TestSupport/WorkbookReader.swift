import Foundation

/// An `.xlsx` as openpyxl reads it (`tools/read-xlsx`), the reader the spreadsheet tests trust:
/// each sheet's name, frozen panes, and every non-empty cell with its value, type and format.
public struct ReadSheet: Decodable, Sendable {
    public struct Cell: Decodable, Sendable {
        public let ref: String
        public let value: Value
        public let type: String
        public let format: String
        public let bold: Bool
        public let italic: Bool

        /// The cell's row (1 is the header).
        public var row: Int { Int(ref.drop { $0.isLetter }) ?? 0 }
    }

    public enum Value: Decodable, Equatable, Sendable {
        case number(Double)
        case text(String)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }
    }

    public let name: String
    public let frozen: String?
    public let cells: [Cell]

    public func cell(_ ref: String) -> Cell? { cells.first { $0.ref == ref } }

    /// The cells of a column between the header and the source line (in italics), in order.
    public func column(_ letter: String) -> [Cell] {
        cells.filter { $0.ref.hasPrefix(letter) && $0.ref.dropFirst(letter.count).allSatisfy(\.isNumber) && $0.row > 1 && !$0.italic }
    }

    public struct NoReader: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads the workbook at `path` with the Python that has openpyxl (`BESKPLAN_TEST_PYTHON`, set
    /// by tools/test; else the venv tools/test makes).
    public static func read(_ path: String) throws -> [ReadSheet] {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let python = ProcessInfo.processInfo.environment["BESKPLAN_TEST_PYTHON"]
            ?? repository.appendingPathComponent(".build/venv-xlsx/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw NoReader(description: "no Python with openpyxl at \(python): run tools/test, which installs it, or set BESKPLAN_TEST_PYTHON")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [repository.appendingPathComponent("tools/read-xlsx").path, path]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problem = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NoReader(description: "tools/read-xlsx \(path): \(String(decoding: problem, as: UTF8.self))")
        }
        return try JSONDecoder().decode([ReadSheet].self, from: data)
    }
}
