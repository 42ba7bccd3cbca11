import Foundation

/// PDF through LibreOffice (from the DOCX) or headless Chromium (from the HTML), whichever is
/// installed.
public enum PDFConverter {
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String {
            "no PDF converter found: install LibreOffice (soffice, Debian: libreoffice-writer-nogui) or Chromium (chromium)"
        }
    }

    public struct Failed: Error, CustomStringConvertible {
        public let description: String
    }

    /// The converter that would be used, if any.
    public static var available: String? {
        ["soffice", "libreoffice", "chromium", "chromium-browser"].first { find($0) != nil }
    }

    /// Converts the DOCX (preferred) or the HTML to `output`.
    public static func convert(docx: Data, html: String, to output: URL) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("beskplan-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        if let soffice = find("soffice") ?? find("libreoffice") {
            let input = work.appendingPathComponent("report.docx")
            try docx.write(to: input)
            try run(soffice, ["--headless", "--norestore", "-env:UserInstallation=file://\(work.path)/profile",
                              "--convert-to", "pdf", "--outdir", work.path, input.path])
            let pdf = work.appendingPathComponent("report.pdf")
            guard FileManager.default.fileExists(atPath: pdf.path) else { throw Failed(description: "LibreOffice wrote no PDF") }
            try? FileManager.default.removeItem(at: output)
            try FileManager.default.moveItem(at: pdf, to: output)
        } else if let chromium = find("chromium") ?? find("chromium-browser") {
            let input = work.appendingPathComponent("report.html")
            try html.write(to: input, atomically: true, encoding: .utf8)
            try run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--print-to-pdf=\(output.path)", input.path])
        } else {
            throw Unavailable()
        }
    }

    /// The full path of a program on the PATH, if any.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "\(URL(fileURLWithPath: tool).lastPathComponent) failed: \(String(decoding: message, as: UTF8.self).prefix(300))")
        }
    }
}
