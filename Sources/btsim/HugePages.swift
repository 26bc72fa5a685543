import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Asks glibc's malloc for transparent huge pages, by starting btsim again with the
/// tunable that does so.
///
/// A large run's working set (about 90 KiB per peer) is far bigger than what the CPU's
/// TLB covers with 4 KiB pages, and every event touches a few peers' state at random, so
/// many loads pay a page-table walk besides the cache miss. Where the kernel gives huge
/// pages only on request (`[madvise]`, Debian's default), glibc asks for them on its heap
/// when `glibc.malloc.hugetlb=1` is set. Tunables are read when a process starts, so the
/// only way to set one for ourselves is to execute ourselves again with it. Measured side
/// by side: 3,000 peers 55 → 47 s, 10,000 peers 262 → 230 s, for 5–7 % more memory and
/// the same results; the second start costs about 25 ms, so only commands that simulate
/// do it (docs/performance.md; docs/decisions.md).
enum HugePages {
    static let tunable = "glibc.malloc.hugetlb"
    static let simulatingCommands: [String] =
        ([
            RunCommand.self, CompareCommand.self, SweepCommand.self, RegressCommand.self, ValidateCommand.self,
        ] as [any ParsableCommand.Type]).compactMap { $0.configuration.commandName }

    /// The `GLIBC_TUNABLES` to start again with, or nil to go on as we are: when the user
    /// set the tunable themselves (`=0` turns this off), or when the kernel gives huge
    /// pages always or never anyway.
    static func tunables(current: String?, kernelMode: String?) -> String? {
        guard current?.contains(tunable) != true, kernelMode?.contains("[madvise]") == true else { return nil }
        let wanted = "\(tunable)=1"
        return current.map { "\($0):\(wanted)" } ?? wanted
    }

    static func restartWithHugePagesIfUseful() {
        #if os(Linux)
            guard CommandLine.arguments.count > 1, simulatingCommands.contains(CommandLine.arguments[1]) else { return }
            let current = getenv("GLIBC_TUNABLES").map { String(cString: $0) }
            let mode = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
            guard let wanted = tunables(current: current, kernelMode: mode) else { return }
            setenv("GLIBC_TUNABLES", wanted, 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
            // Still here: the exec failed. Run as we are, and do not hand the tunable on.
            if let current { setenv("GLIBC_TUNABLES", current, 1) } else { unsetenv("GLIBC_TUNABLES") }
        #endif
    }
}
