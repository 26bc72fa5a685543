import Benchmark
import BitTorrent
import Foundation
import Scenario
import SimKernel
import Swarm

/// The hot paths of the simulator, and whole runs at several swarm sizes. `make bench`
/// runs them and `Benchmarks/summarize.py` turns the export into Results/bench/benchmarks.csv
/// (events per second, allocations per event, and the event loop's speed against the
/// bare event queue's).
let benchmarks: @Sendable () -> Void = {
    let micro = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal], timeUnits: .nanoseconds, warmupIterations: 3,
        scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 200)

    // MARK: event queue: pop the earliest, push one later, at a steady number pending

    for pending in [1_000, 10_000, 100_000, 1_000_000] {
        Benchmark("EventQueue push+pop, \(pending) pending", configuration: micro) {
            (benchmark: Benchmark, queue: EventQueue<UInt64>) in
            var queue = queue
            var clock = Jitter()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let entry = queue.pop()!
                queue.push(entry.payload, at: entry.time + SimTime(nanoseconds: clock.next()))
            }
            benchmark.stopMeasurement()
            blackHole(queue.count)
        } setup: {
            var queue = EventQueue<UInt64>()
            queue.reserveCapacity(pending + 1)
            var clock = Jitter()
            for k in 0..<pending { queue.push(UInt64(k), at: SimTime(nanoseconds: clock.next())) }
            return queue
        }
    }

    // MARK: wire codec

    let layout = PieceLayout(totalLength: 100 << 20, pieceLength: 256 << 10)
    let messages: [WireMessage] = [
        .have(piece: 17), .request(BlockRequest(piece: 3, begin: 16_384, length: 16_384)),
        .piece(BlockRequest(piece: 3, begin: 16_384, length: 16_384), .virtual), .interested, .unchoke,
        .cancel(BlockRequest(piece: 9, begin: 0, length: 16_384)),
    ]
    Benchmark("Wire encode, 6 messages", configuration: micro) { benchmark in
        var out: [UInt8] = []
        out.reserveCapacity(256)
        for _ in benchmark.scaledIterations {
            out.removeAll(keepingCapacity: true)
            for m in messages { m.encode(into: &out) }
            blackHole(out.count)
        }
    }
    let stream = messages.flatMap { $0.encoded() }
    Benchmark("Wire decode, 6 messages", configuration: micro) { benchmark in
        var decoder = WireDecoder(pieceCount: layout.pieceCount)
        for _ in benchmark.scaledIterations {
            decoder.append(stream)
            while let m = try? decoder.next() { blackHole(m) }
        }
    }

    // MARK: piece picker: rarest first over the availability of 1,000 connections

    Benchmark("PiecePicker pick 16 blocks, 1000 connections", configuration: micro) {
        (benchmark: Benchmark, picker: PiecePicker) in
        var picker = picker
        let random = RandomStream(seed: 7)
        let remote = Bitfield(count: layout.pieceCount, allSet: true)
        var requests: [BlockRequest] = []
        requests.reserveCapacity(16)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            requests.removeAll(keepingCapacity: true)
            picker.pick(from: remote, limit: 16, outstanding: [], random: random, into: &requests)
            for r in requests { picker.cancelled(r) }
        }
        benchmark.stopMeasurement()
        blackHole(requests.count)
    } setup: {
        var picker = PiecePicker(
            layout: layout, have: Bitfield(count: layout.pieceCount), settings: ProtocolSettings())
        let random = RandomStream(seed: 3)
        for _ in 0..<1_000 {
            var pieces = Bitfield(count: layout.pieceCount)
            for piece in 0..<layout.pieceCount where random.bernoulli(0.5) { pieces.insert(piece) }
            picker.peerHas(pieces)
        }
        return picker
    }

    // MARK: whole runs: the scale flash crowd with a smaller file, at several sizes; the
    // 300-peer swarm also with a 4x larger file, whose extra events show what a steady-state
    // event allocates (the rest is set-up: peers, connections)

    let scenarioPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../Scenarios/scale/flash-crowd-1000.yaml"
    ).standardized.path
    for (peers, mebibytes) in [(100, 10), (300, 10), (300, 40), (1_000, 10)] {
        let run = Benchmark.Configuration(
            metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, eventsMetric], timeUnits: .milliseconds,
            warmupIterations: 0, scalingFactor: .one, maxDuration: .seconds(60), maxIterations: 3)
        Benchmark("Simulation flash crowd \(mebibytes) MiB, \(peers) peers", configuration: run) {
            (benchmark: Benchmark, scenario: Scenario) in
            benchmark.startMeasurement()
            let result = try Simulation(scenario: scenario, seed: scenario.seed).run()
            benchmark.stopMeasurement()
            benchmark.measurement(eventsMetric, Int(result.events))
        } setup: {
            try ScenarioLoader.load(
                path: scenarioPath,
                overrides: [
                    Override.parse("torrent.size=\(mebibytes) MiB"), Override.parse("peers.crowd.count=\(peers)"),
                ])
        }
    }
}

/// Events a whole run handled (the same every iteration: runs are deterministic).
let eventsMetric = BenchmarkMetric.custom("events", polarity: .prefersLarger, useScalingFactor: false)

/// Event-time offsets spread over 0–1 s (xorshift: cheaper than the draws it stands for).
struct Jitter {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next() -> Int64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int64(state % 1_000_000_000)
    }
}
