import Foundation
import Testing

/// `btsim live store|host|challenge|restore` as a user runs them, the host in its own
/// process on 127.0.0.1.
@Suite(.serialized) struct LiveStorageCommandTests {
    let dir = NSTemporaryDirectory() + "btsim-live-storage-\(UUID().uuidString)"

    @Test func aRenterStoresChallengesAndRestoresAFileThroughAHostProcess() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let content = Data((0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let file = dir + "/movie.bin"
        try content.write(to: URL(fileURLWithPath: file))
        let hosts = ["a", "b", "c"].map { "\(dir)/host-\($0)" }
        let manifest = dir + "/movie.json"
        let stored = try CLI.run(
            ["live", "store", file, "--code", "rs-4+2", "-m", manifest, "--challenges", "3", "--chunk-size", "16KiB"]
                + hosts.flatMap { ["--to", $0] })
        try #require(stored.status == 0, "\(stored.stderr)")
        #expect(stored.stdout.contains("6 shards of 75000 bytes (rs-4+2)") && stored.stdout.contains("shards 0,3"))

        let port = String(Int.random(in: 30_000..<40_000))
        let host = Process()
        host.executableURL = CLI.binary
        host.arguments = ["live", "host", hosts[0], "--port", port]
        let out = Pipe()
        host.standardOutput = out
        host.standardError = FileHandle.nullDevice
        try host.run()
        defer { if host.isRunning { host.terminate() } }
        var first = CLI.Outcome(status: -1, stdout: "", stderr: "")
        for _ in 0..<20 where first.status != 0 {
            Thread.sleep(forTimeInterval: 0.25)  // until the host listens
            first = try CLI.run(["live", "challenge", manifest, "--host", "127.0.0.1:" + port, "--shards", "0,3"])
        }
        try #require(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("shard 0: proof checks") && first.stdout.contains("shard 3: proof checks"))

        let shard3 = try #require(
            try FileManager.default.contentsOfDirectory(atPath: hosts[0]).first { $0.hasSuffix(".3.shard") })
        try FileManager.default.removeItem(atPath: "\(hosts[0])/\(shard3)")
        let dropped = try CLI.run(["live", "challenge", manifest, "--host", "127.0.0.1:" + port, "--shards", "0,3"])
        #expect(dropped.status == 1)
        #expect(dropped.stdout.contains("shard 0: proof checks") && dropped.stdout.contains("shard 3: FAILED"))
        #expect(dropped.stderr.contains("1 of 2 challenges failed"))
        // Three challenges per shard: shard 0 has one left, then none.
        #expect(
            try CLI.run(["live", "challenge", manifest, "--host", "127.0.0.1:" + port, "--shards", "0"]).status == 0)
        let used = try CLI.run(["live", "challenge", manifest, "--host", "127.0.0.1:" + port, "--shards", "0"])
        #expect(used.status == 2 && used.stderr.contains("no unused challenge left"))

        host.interrupt()
        for _ in 0..<100 where host.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        #expect(!host.isRunning && host.terminationStatus == 0, "Ctrl-C stops the host")
        let summary = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(summary.contains("host: answered 4 challenges, could not answer 1"), "\(summary)")

        let copy = dir + "/copy.bin"
        let restored = try CLI.run(["live", "restore", manifest, "--from", hosts[1], "--from", hosts[2], "-o", copy])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(FileManager.default.contents(atPath: copy) == content)
        let tooFew = try CLI.run(["live", "restore", manifest, "--from", hosts[1], "-o", copy])
        #expect(tooFew.status == 1 && tooFew.stderr.contains("2 shards left, 4 needed"))
    }

    @Test func badStorageOptionsAreRefused() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = try CLI.write("hello", to: "f.txt", in: dir)
        let cases: [([String], String)] = [
            (["live", "store", file, "--code", "rs-4", "--to", dir, "-m", dir + "/m.json"], "--code: expected rs-K+M"),
            (["live", "store", file, "-m", dir + "/m.json"], "--to: name at least one"),
            (["live", "store", dir + "/missing", "--to", dir, "-m", dir + "/m.json"], "cannot read"),
            (["live", "challenge", file, "--host", "127.0.0.1:1"], "not a shard manifest"),
            (["live", "host", dir + "/missing"], "not a directory"),
        ]
        for (arguments, fragment) in cases {
            let r = try CLI.run(arguments)
            #expect(r.status == 2, "\(arguments)")
            #expect(r.stderr.contains(fragment), "\(arguments): \(r.stderr)")
        }
        #expect(
            try CLI.run(["live", "store", file, "--to", dir, "-m", dir + "/m.json", "--code", "replicas-2"]).status == 0
        )
        let badShards = try CLI.run(["live", "challenge", dir + "/m.json", "--host", "127.0.0.1:1", "--shards", "2"])
        #expect(badShards.status == 2 && badShards.stderr.contains("shard numbers from 0 to 1"))
    }
}
