import Foundation
import Testing

/// `btsim live` as a user runs it, in separate processes on 127.0.0.1: a seed and a
/// downloader trading with BitTorrent Speed on one ledger file.
@Suite(.serialized) struct LiveCommandTests {
    let dir = NSTemporaryDirectory() + "btsim-live-cli-\(UUID().uuidString)"

    /// Writes a random file of `bytes`, its torrent, and returns the torrent's path.
    func torrent(bytes: Int) throws -> (data: String, torrent: String) {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let path = dir + "/movie.bin"
        try data.write(to: URL(fileURLWithPath: path))
        let made = try CLI.run(["live", "make-torrent", path, "-o", dir + "/movie.torrent", "--piece-size", "64KiB"])
        try #require(made.status == 0, "\(made.stderr)")
        return (path, dir + "/movie.torrent")
    }

    /// A seed in the background until interrupted; its stdout once it has exited.
    func startSeed(_ arguments: [String]) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["live", "seed"] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (p, out)
    }

    @Test func twoProcessesPayForADownloadOnASharedLedgerFile() throws {
        let (data, torrent) = try torrent(bytes: 1 << 20)
        let bank = dir + "/bank.json"
        let opened = try CLI.run(["live", "ledger", bank, "--open", "seeder=0", "--open", "leecher=50"])
        try #require(opened.status == 0, "\(opened.stderr)")
        let port = String(Int.random(in: 20_000..<30_000))
        let (seed, seedOut) = try startSeed([
            torrent, "--data", data, "--port", port, "--strategy", "speed", "--ledger", bank, "--account", "seeder",
            "--price", "8",
        ])
        defer { if seed.isRunning { seed.terminate() } }
        var got = CLI.Outcome(status: -1, stdout: "", stderr: "")
        for _ in 0..<20 where got.status != 0 {
            Thread.sleep(forTimeInterval: 0.25)  // until the seed listens
            got = try CLI.run([
                "live", "get", torrent, "--peer", "127.0.0.1:" + port, "--out", dir + "/dl", "--strategy", "speed",
                "--ledger", bank, "--account", "leecher", "--price", "10",
            ])
        }
        try #require(got.status == 0, "\(got.stderr)")
        #expect(
            FileManager.default.contents(atPath: dir + "/dl/movie.bin") == FileManager.default.contents(atPath: data))
        // One bidder: the uniform price is the seed's reserve, 8 BTT/GiB for 1 MiB.
        #expect(got.stdout.contains("leecher: paid 0.0078"), "\(got.stdout)")
        seed.interrupt()
        for _ in 0..<100 where seed.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        try #require(!seed.isRunning, "Ctrl-C stops the seed")
        #expect(seed.terminationStatus == 0)
        let seedSummary = String(decoding: seedOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(seedSummary.contains("seeder: paid 0.000000 BTT, earned 0.0078"), "\(seedSummary)")
        let shown = try CLI.run(["live", "ledger", bank])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("every token accounted for"))
        for kind in ["open leecher -> seeder 5.000000 BTT channel 1", "voucher leecher -> seeder 0.0078", "refund"] {
            #expect(shown.stdout.contains(kind), "\(shown.stdout)")
        }
    }

    /// `--events FILE`: each process's decisions as JSON lines, the two traces telling
    /// the same connection from both ends.
    @Test func seedAndDownloaderTraceTheirEventsAsJSONLines() throws {
        let (data, torrent) = try torrent(bytes: 256 << 10)
        let port = String(Int.random(in: 30_000..<40_000))
        let (seed, _) = try startSeed([torrent, "--data", data, "--port", port, "--events", dir + "/seed.jsonl"])
        defer { if seed.isRunning { seed.terminate() } }
        var got = CLI.Outcome(status: -1, stdout: "", stderr: "")
        for _ in 0..<20 where got.status != 0 {
            Thread.sleep(forTimeInterval: 0.25)  // until the seed listens
            got = try CLI.run([
                "live", "get", torrent, "--peer", "127.0.0.1:" + port, "--out", dir + "/dl", "--events",
                dir + "/get.jsonl",
            ])
        }
        try #require(got.status == 0, "\(got.stderr)")
        seed.interrupt()
        for _ in 0..<100 where seed.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        func events(_ name: String) throws -> [[String: Any]] {
            let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
            return try text.split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            }
        }
        let seedEvents = try events("seed.jsonl")
        let getEvents = try events("get.jsonl")
        let kinds = { (e: [[String: Any]]) in e.compactMap { $0["event"] as? String } }
        #expect(kinds(getEvents).first == "started")
        #expect(kinds(getEvents).contains("completed"))
        #expect(kinds(seedEvents).first == "started")
        // The downloader dialled the seed's port; the seed unchoked that connection.
        let dialled = getEvents.first { $0["event"] as? String == "connected" }?["peer"] as? String
        #expect(dialled == "127.0.0.1:" + port)
        let unchoked = seedEvents.first { $0["event"] as? String == "unchoke" }?["peer"] as? String
        let accepted = seedEvents.first { $0["event"] as? String == "connected" }?["peer"] as? String
        #expect(unchoked != nil && unchoked == accepted)
        let times = getEvents.compactMap { $0["t"] as? Double }
        #expect(times.count == getEvents.count && times == times.sorted())

        // A trace that cannot be written is bad input, refused before anything is created.
        let nowhere = try CLI.run([
            "live", "get", torrent, "--peer", "127.0.0.1:1", "--out", dir + "/refused", "--events",
            dir + "/no/such/folder/x.jsonl",
        ])
        #expect(nowhere.status == 2 && nowhere.stderr.contains("--events: cannot write"), "\(nowhere.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/refused"))
    }

    @Test func badSpeedOptionsAreRefusedWithTheFix() throws {
        let (data, torrent) = try torrent(bytes: 64 << 10)
        let bank = dir + "/bank.json"
        #expect(try CLI.run(["live", "ledger", bank, "--open", "a=1"]).status == 0)
        let cases: [([String], String)] = [
            (["--strategy", "speed"], "needs --ledger FILE and --account NAME"),
            (["--strategy", "tft"], "--strategy: expected one of bittorrent, speed, "),
            (["--strategy", "tft"], ", got tft"),
            (["--ledger", bank], "are for strategies that trade on the Speed market"),
            (["--strategy", "propshare", "--account", "a"], "are for strategies that trade on the Speed market"),
            (["--strategy", "speed", "--ledger", bank, "--account", "zed"], "has no account zed"),
            (["--strategy", "speed", "--ledger", bank, "--account", "a", "--deposit", "0"], "--deposit"),
            (["--strategy", "speed", "--ledger", data, "--account", "a"], "not a btsim ledger"),
        ]
        for (options, message) in cases {
            let r = try CLI.run(["live", "seed", torrent, "--data", data] + options)
            #expect(r.status == 2, "\(options)")
            #expect(r.stderr.contains(message), "\(options): \(r.stderr)")
        }
        let free = try CLI.run([
            "live", "get", torrent, "--peer", "127.0.0.1:1", "--strategy", "speed", "--ledger", bank, "--account", "a",
            "--price", "0",
        ])
        #expect(free.status == 2 && free.stderr.contains("above 0 to download"), "\(free.stderr)")
        let twice = try CLI.run(["live", "ledger", bank, "--open", "a=2"])
        #expect(twice.status == 2 && twice.stderr.contains("already has an account a"))
        let malformed = try CLI.run(["live", "ledger", bank, "--open", "b"])
        #expect(malformed.status == 2 && malformed.stderr.contains("NAME=BTT"))
    }

    /// `--set protocol.rechoke_interval=1s` reaches the live client: its trace shows a
    /// rechoke every second (the default interval, 10 s, would show none); a setting of
    /// the simulated swarm is refused before anything is created.
    @Test func aLivePeerRunsTheProtocolSettingsItIsGiven() throws {
        let (data, torrent) = try torrent(bytes: 64 << 10)
        let trace = dir + "/fast-rechoke.jsonl"
        let port = String(Int.random(in: 40_000..<50_000))
        let (seed, _) = try startSeed([
            torrent, "--data", data, "--port", port, "--set", "protocol.rechoke_interval=1s", "--events", trace,
        ])
        Thread.sleep(forTimeInterval: 3.6)
        seed.interrupt()
        for _ in 0..<100 where seed.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        let lines = String(decoding: FileManager.default.contents(atPath: trace) ?? Data(), as: UTF8.self)
        let rechokes = lines.split(separator: "\n").filter { $0.contains("\"event\":\"rechoke\"") }.count
        #expect(rechokes >= 3, "\(lines)")
        let refused = try CLI.run([
            "live", "get", torrent, "--peer", "127.0.0.1:1", "--out", dir + "/never", "--set", "peers.crowd.count=3",
        ])
        #expect(refused.status == 2 && refused.stderr.contains("a live peer takes only protocol."), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/never/movie.bin"))
    }

    /// Settings only the simulator has (a fidelity tier, a block size other than 16 KiB,
    /// HAVE batching) are refused before anything starts, with exit 2: a live peer could
    /// not follow them. Whoever adds them to scenarios keeps this test passing.
    @Test func simulatorOnlySettingsAreRefused() throws {
        let (data, torrent) = try torrent(bytes: 64 << 10)
        // A whole, valid scenario in the piece tier: only its tier is wrong for a live peer.
        let scenario = dir + "/tier.yaml"
        let valid = [
            "name: tier", "duration: 1 h", "fidelity: piece", "torrent: {size: 1 MiB}",
            "protocol: {unchoke_slots: 4}", "peers:",
            "  - {group: seed, count: 1, arrival: {at: 0 s}, has_file: true, up: 1 Mbit/s, down: 1 Mbit/s}", "",
        ]
        try valid.joined(separator: "\n").write(toFile: scenario, atomically: true, encoding: .utf8)
        let fromFile = try CLI.run(["live", "seed", torrent, "--data", data, "--protocol", scenario])
        #expect(
            fromFile.status == 2 && fromFile.stderr.contains("fidelity: piece is a simulator tier"),
            "\(fromFile.stderr)")
        for (setting, reason) in [
            ("fidelity=piece", "a live peer takes only protocol."),
            ("protocol.block_size=256KiB", "protocol.block_size: is simulator-only"),
            ("protocol.have_batch=1s", "protocol.have_batch: is simulator-only"),
        ] {
            let r = try CLI.run(["live", "seed", torrent, "--data", data, "--set", setting])
            #expect(r.status == 2 && r.stderr.contains(reason), "\(setting): \(r.stderr)")
        }
    }

    /// Rates and encryption modes are checked where they enter: exit 2 and the reason.
    @Test func badRatesAndEncryptionModesAreRefused() throws {
        let (data, torrent) = try torrent(bytes: 64 << 10)
        for (flag, bad, reason) in [
            ("--max-upload-rate", "fast", "--max-upload-rate: expected a rate"),
            ("--max-upload-rate", "-1Mbit/s", "--max-upload-rate:"),
            ("--max-download-rate", "8 furlongs/s", "--max-download-rate: unknown rate unit"),
            ("--max-download-rate", "0 Mbit/s", "must be positive"),
            ("--encryption", "sometimes", "sometimes"),
        ] {
            let r = try CLI.run(["live", "seed", torrent, "--data", data, flag + "=" + bad])
            #expect(r.status == 2 && r.stderr.contains(reason), "\(flag) \(bad): \(r.stderr)")
        }
    }

    /// `--listen`: a seed on 127.0.0.2 serves a downloader that dials that address, and an
    /// address that is not IPv4 is refused before anything starts.
    @Test func aSeedListensOnTheAddressItIsGiven() throws {
        let (data, torrent) = try torrent(bytes: 256 << 10)
        for bad in ["300.1.1.1", "localhost", "::1"] {
            let r = try CLI.run(["live", "seed", torrent, "--data", data, "--listen", bad])
            #expect(r.status == 2 && r.stderr.contains("--listen: expected an IPv4 address"), "\(bad): \(r.stderr)")
        }
        let port = String(Int.random(in: 30_000..<40_000))
        let (seed, _) = try startSeed([torrent, "--data", data, "--port", port, "--listen", "127.0.0.2"])
        defer { if seed.isRunning { seed.terminate() } }
        var got = CLI.Outcome(status: -1, stdout: "", stderr: "")
        for _ in 0..<20 where got.status != 0 {
            Thread.sleep(forTimeInterval: 0.25)  // until the seed listens
            got = try CLI.run(["live", "get", torrent, "--peer", "127.0.0.2:" + port, "--out", dir + "/on2"])
        }
        try #require(got.status == 0, "\(got.stderr)")
        #expect(
            FileManager.default.contents(atPath: dir + "/on2/movie.bin") == FileManager.default.contents(atPath: data))
        seed.interrupt()
        for _ in 0..<100 where seed.isRunning { Thread.sleep(forTimeInterval: 0.1) }
    }
}
