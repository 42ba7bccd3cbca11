import Foundation

/// A source's key. It prints as `<hidden>`, so that no message, log line or dump shows it;
/// `Fetcher` alone reads the value, to put it in a header.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: String

    public init?(_ value: String) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        self.value = trimmed
    }

    public var description: String { "<hidden>" }
    public var debugDescription: String { "<hidden>" }
    /// `dump` and the debugger show no value either.
    public var customMirror: Mirror { Mirror(self, children: []) }

    /// Jobindsats' key: `BESKPLAN_JOBINDSATS_KEY`, else the first line of the config file
    /// (`$XDG_CONFIG_HOME/beskplan/jobindsats-key`, or `~/.config/beskplan/jobindsats-key`),
    /// which must be readable by its owner only.
    public static func jobindsats(environment: [String: String] = ProcessInfo.processInfo.environment) throws(FetchError) -> APIKey {
        if let text = environment["BESKPLAN_JOBINDSATS_KEY"] {
            guard let key = APIKey(text) else { throw .noKey("BESKPLAN_JOBINDSATS_KEY is empty") }
            return key
        }
        let path = configPath(environment)
        guard FileManager.default.fileExists(atPath: path) else {
            throw .noKey("no Jobindsats key: set BESKPLAN_JOBINDSATS_KEY or write the key to \(path) (mode 600); docs/fetch.md says how to get one")
        }
        // The file itself, not a link to it (a secret mounted as a link reads as mode 777).
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let mode = ((try? FileManager.default.attributesOfItem(atPath: target))?[.posixPermissions] as? NSNumber)?.intValue ?? 0
        guard mode & 0o077 == 0 else { throw .noKey("\(path) may be read by others (mode \(String(mode, radix: 8))); chmod 600 it") }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let key = APIKey(text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "")
        else { throw .noKey("\(path) holds no key") }
        return key
    }

    static func configPath(_ environment: [String: String]) -> String {
        let base = environment["XDG_CONFIG_HOME"].map { $0 } ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/beskplan/jobindsats-key"
    }
}
