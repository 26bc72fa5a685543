import Foundation
import Swarm

#if canImport(Glibc)
    import Glibc
#endif

/// One live status line on stderr while runs go on, only when stderr is a terminal.
final class ProgressLine {
    let isActive: Bool
    private let enabled: Bool
    private let runs: Int

    init(enabled: Bool, runs: Int) {
        self.enabled = enabled
        self.runs = runs
        isActive = enabled && isatty(STDERR_FILENO) == 1
    }

    func note(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\(text)\n".utf8))
    }

    func update(run: Int, _ p: RunProgress) {
        let percent = 100 * p.now.seconds / max(p.duration.seconds, 1e-9)
        let rate = Double(p.events) / max(p.wallSeconds, 1e-9)
        let line = String(
            format: "\r\u{1B}[2Krun %d/%d  t=%.0f s (%.0f%%)  %.1fM events  %.2fM ev/s  online %d",
            run, runs, p.now.seconds, percent, Double(p.events) / 1e6, rate / 1e6, p.online)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard isActive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
