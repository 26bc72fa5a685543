import Foundation
import Testing

@testable import btsim

/// btsim starts itself again with glibc's huge-page tunable for the commands that
/// simulate, leaves a user's own choice alone, and keeps the user's other tunables.
struct HugePagesTests {
    @Test func theTunableIsAddedOnlyWhenTheKernelWaitsToBeAsked() {
        let madvise = "always [madvise] never\n"
        #expect(HugePages.tunables(current: nil, kernelMode: madvise) == "glibc.malloc.hugetlb=1")
        #expect(
            HugePages.tunables(current: "glibc.malloc.arena_max=2", kernelMode: madvise)
                == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")
        #expect(HugePages.tunables(current: "glibc.malloc.hugetlb=0", kernelMode: madvise) == nil)
        #expect(HugePages.tunables(current: nil, kernelMode: "[always] madvise never\n") == nil)
        #expect(HugePages.tunables(current: nil, kernelMode: "always madvise [never]\n") == nil)
        #expect(HugePages.tunables(current: nil, kernelMode: nil) == nil)
        #expect(HugePages.simulatingCommands == ["run", "compare", "sweep", "regress", "validate"])
    }

    /// Whether a running `btsim run` gets huge pages, read from /proc: the effect, not
    /// the mechanism. (Its environment is no witness: glibc cuts GLIBC_TUNABLES there at
    /// every ':' as it parses it.)
    @Test(arguments: [nil, "glibc.malloc.arena_max=2", "glibc.malloc.hugetlb=0"])
    func aRunGetsHugePagesUnlessTheUserSaysNo(userTunables: String?) throws {
        let dir = NSTemporaryDirectory() + "btsim-hugepages-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scenario = try CLI.write(
            """
            name: long-enough
            duration: 6 h
            torrent: {size: 20 MiB, piece_size: 256 KiB}
            peers:
              - {group: s, count: 1, arrival: {at: 0 s}, has_file: true, up: 10 Mbit/s, down: 10 Mbit/s}
              - {group: c, count: 300, arrival: {at: 0 s}, up: 1 Mbit/s, down: 4 Mbit/s, seeding: forever}
            """, to: "long.yaml", in: dir)
        let mode = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
        let expected =
            mode?.contains("[always]") == true
            || (mode?.contains("[madvise]") == true && userTunables?.contains("hugetlb=0") != true)
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["run", scenario, "--out", dir, "--quiet"]
        var environment = ProcessInfo.processInfo.environment
        environment["GLIBC_TUNABLES"] = userTunables
        p.environment = environment
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        // Watch the whole run, or until huge pages show up.
        var most = 0
        while p.isRunning && !(expected && most > 0) {
            most = max(most, Self.anonymousHugePagesKiB(ofProcess: p.processIdentifier))
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect((most > 0) == expected, "\(most) KiB in huge pages, kernel mode \(mode ?? "unknown")")
    }

    static func anonymousHugePagesKiB(ofProcess pid: Int32) -> Int {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/smaps_rollup") else { return 0 }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("AnonHugePages:") }
        return line.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
    }
}
