import Foundation
import Swarm

#if canImport(Glibc)
    import Glibc
#endif

/// One live status line on stderr while runs go on, only when stderr is a terminal: runs
/// done of the total with elapsed time and ETA, and the latest progress of a run in
/// flight (simulated time with an upper bound on the wall time left, downloads completed
/// of the peers joined, peers online, events per second).
final class ProgressLine: @unchecked Sendable {
    let isActive: Bool
    private let enabled: Bool
    private let runs: Int
    private let start = Date()
    private let lock = NSLock()
    private var done = 0
    private var current = ""

    init(enabled: Bool, runs: Int) {
        self.enabled = enabled
        self.runs = runs
        isActive = enabled && isatty(STDERR_FILENO) == 1
    }

    func note(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\(text)\n".utf8))
    }

    /// From worker threads, now and then during a run.
    func update(run: Int, _ p: RunProgress) {
        let percent = 100 * p.now.seconds / max(p.duration.seconds, 1e-9)
        let rate = Double(p.events) / max(p.wallSeconds, 1e-9)
        // At most this long to the duration at the pace so far; a swarm that empties stops sooner.
        let left = p.now.seconds > 0 ? p.wallSeconds * (p.duration.seconds - p.now.seconds) / p.now.seconds : 0
        let text =
            String(format: "run %d: t=%.0f s (%.0f%% of duration, ", run, p.now.seconds, percent)
            + "≤ \(Self.clock(max(0, left))) left)  downloads \(p.completed)/\(p.joined) joined  online \(p.online)  "
            + String(format: "%.2fM ev/s", rate / 1e6)
        lock.withLock {
            current = text
            draw()
        }
    }

    /// From worker threads, as runs finish.
    func runFinished(_ count: Int) {
        lock.withLock {
            done = count
            current = ""
            draw()
        }
    }

    private func draw() {
        let elapsed = Date().timeIntervalSince(start)
        var line = "\r\u{1B}[2Kruns \(done)/\(runs)  elapsed \(Self.clock(elapsed))"
        if done > 0 { line += "  ETA \(Self.clock(elapsed / Double(done) * Double(runs - done)))" }
        if !current.isEmpty { line += "  ·  \(current)" }
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard isActive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : "\(s / 60)m\(String(format: "%02d", s % 60))s"
    }
}
