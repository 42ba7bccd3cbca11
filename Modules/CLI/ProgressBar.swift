import Foundation

/// Progress on stderr: a one-line bar, redrawn at most ten times a second, when stderr is a
/// terminal; a line per whole percent when `BESKPLAN_PROGRESS=lines` asks for it (a CI log, a
/// script that watches); silent otherwise (pipes).
final class ProgressBar: @unchecked Sendable {
    // Unchecked: `update` is called from the store's writer thread while the command awaits;
    // the lock guards the little state there is.
    enum Mode: Sendable {
        case off, bar, lines

        /// A bar on a terminal, lines when asked for, else nothing.
        static var current: Mode {
            if isatty(STDERR_FILENO) == 1 { return .bar }
            return ProcessInfo.processInfo.environment["BESKPLAN_PROGRESS"] == "lines" ? .lines : .off
        }
    }

    private let lock = NSLock()
    private let label: String
    private let mode: Mode
    private var lastDraw = Date.distantPast
    private var lastPercent = -1
    private var drawn = false

    init(label: String, mode: Mode = .current) {
        self.label = label
        self.mode = mode
    }

    func update(_ done: Int64, _ total: Int64) {
        guard mode != .off else { return }
        lock.lock()
        defer { lock.unlock() }
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let percent = Int(fraction * 100)
        if mode == .lines {
            guard percent != lastPercent else { return }
            lastPercent = percent
        } else {
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= 0.1 || done >= total else { return }
            lastDraw = now
        }
        let mb = { (bytes: Int64) in String(format: "%.1f", Double(bytes) / 1_048_576) }
        let figures = "\(percent)% \(mb(done))/\(mb(total)) MB"
        switch mode {
        case .bar:
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(figures)".utf8))
            drawn = true
        case .lines:
            FileHandle.standardError.write(Data("progress: \(label) \(figures)\n".utf8))
        case .off:
            break
        }
    }

    /// Clears the bar's line before the summary is printed.
    func finish() {
        guard mode == .bar, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
