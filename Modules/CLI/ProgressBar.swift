import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal and at most ten
/// times a second; silent otherwise (pipes, CI logs).
final class ProgressBar: @unchecked Sendable {
    // Unchecked: `update` is called from the store's writer thread while the command awaits;
    // the lock guards the little state there is.
    private let lock = NSLock()
    private let label: String
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(label: String, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.enabled = enabled
    }

    func update(_ done: Int64, _ total: Int64) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || done >= total else { return }
        lastDraw = now
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let mb = { (bytes: Int64) in String(format: "%.1f", Double(bytes) / 1_048_576) }
        FileHandle.standardError.write(
            Data("\r\(label) [\(bar)] \(Int(fraction * 100))% \(mb(done))/\(mb(total)) MB".utf8))
        drawn = true
    }

    /// Clears the line before the summary is printed.
    func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
