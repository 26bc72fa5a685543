import BitTorrent
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Live

/// Collects a live peer's trace (`LivePeer.Configuration.events`) from its event loop.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [PeerEvent] = []

    func append(_ event: PeerEvent) { lock.withLock { events.append(event) } }
    var all: [PeerEvent] { lock.withLock { events } }
    func times(of kind: PeerEventKind) -> [Double] { all.filter { $0.kind == kind }.map(\.t) }
}

/// The protocol timers act over real TCP as they do in the simulator (the timer rule,
/// docs/architecture.md): a btsim seed with more rate-limited libtorrent leechers than it
/// has slots rechokes every `rechoke_interval`, rotates its optimistic unchoke every
/// `optimistic_interval` and never unchokes more than `unchoke_slots + 1` peers; a peer
/// re-announces every `announce_interval`. Before the rule, Live's late timer callbacks
/// were all ignored: no round, no rotation, one announce.
@Suite(.serialized) struct LiveTimerTests {
    /// One line of libtorrent_peer.py's `crowd` output: a leecher saw the seed's choke of
    /// it change (`wall`: seconds since the epoch, when it looked).
    struct ChokeChange: Decodable {
        var wall: Double
        var leecher: Int
        var local: String
        var unchoked: Bool
    }
    struct CrowdEnd: Decodable {
        var wall: Double
        var downloaded: [Int64]
    }

    @Test func aSeedRechokesAndRotatesItsOptimisticUnchokeForLibtorrentLeechers() throws {
        let settings = ProtocolSettings()
        let slots = settings.unchokeSlots
        let leechers = slots + 3
        let window = 75.0
        let trace = EventLog()
        let t = LiveTransferTests()
        let s = try t.seeded(
            bytes: 4 << 20, configuration: .init(listenPort: 0, settings: settings, events: trace.append))
        defer { try? s.group.syncShutdownGracefully() }
        let torrent = t.dir + "/crowd.torrent"
        FileManager.default.createFile(atPath: torrent, contents: Data(s.metainfo.encoded()))
        // 20 kB/s each: in 75 s no leecher gets more than 1.5 MB of the 4 MiB, so all of
        // them stay interested for the whole window.
        let (process, pipe) = try LibtorrentInteropTests.python([
            "crowd", torrent, t.dir + "/crowd", "127.0.0.1:\(s.seed.port)", "\(leechers)", "20000", "\(window)",
        ])
        let said = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        _ = try? s.seed.stop().wait()
        #expect(process.terminationStatus == 0)
        let lines = said.split(separator: UInt8(ascii: "\n")).map { Data($0) }
        let changes = lines.compactMap { try? JSONDecoder().decode(ChokeChange.self, from: $0) }
        let end = try #require(lines.last.flatMap { try? JSONDecoder().decode(CrowdEnd.self, from: $0) })
        #expect(end.downloaded.count == leechers)
        #expect(end.downloaded.allSatisfy { $0 < s.metainfo.length }, "a leecher finished within the window")

        // The seed's own trace: a round every 10 s from its start, never early ...
        let started = try #require(trace.times(of: .started).first)
        let rounds = trace.times(of: .rechoke).map { $0 - started }
        #expect(rounds.count >= 3, "rechoke rounds: \(rounds)")
        for (k, at) in rounds.enumerated() {
            #expect(at >= Double(k + 1) * settings.rechokeInterval.seconds, "round \(k + 1) at \(at) s")
        }
        let rotations = trace.times(of: .optimistic).map { $0 - started }
        #expect(rotations.count >= 1, "optimistic rotations: \(rotations)")
        for (k, at) in rotations.enumerated() {
            #expect(at >= Double(k + 1) * settings.optimisticInterval.seconds, "rotation \(k + 1) at \(at) s")
        }
        // ... and the chokes and unchokes it wrote: never more than `slots + 1` peers
        // unchoked, and a rotation that reached a peer no slot had reached before.
        let seedView = Self.replay(trace.all)
        #expect(seedView.most <= slots + 1)
        #expect(seedView.newAtRotation, "no optimistic rotation unchoked a peer that had not been unchoked before")

        // What the leechers saw over TCP: more of them unchoked than the regular slots
        // hold, and exactly what the seed's trace says it sent, late by whatever was
        // queued on the connection ahead of each message.
        let seenUnchoked = Set(changes.filter(\.unchoked).map(\.local))
        #expect(seenUnchoked.count > slots, "leechers ever unchoked: \(seenUnchoked.count)")
        let sent = Self.sentChokes(trace.all, epoch: s.seed.traceEpoch.seconds)
        for (local, seen) in Dictionary(grouping: changes, by: \.local) {
            let problem = Self.mismatch(seen: seen, sent: sent[local] ?? [], end: end.wall)
            #expect(problem == nil, "leecher \(local): \(problem ?? "")")
        }
    }

    /// The seed's unchoked set replayed from its trace, checked after each decision (the
    /// events of one client call share a `t`).
    static func replay(_ events: [PeerEvent]) -> (most: Int, newAtRotation: Bool) {
        var unchoked: Set<PeerAddress> = []
        var ever: Set<PeerAddress> = []
        var most = 0
        var rotationAt: Double?
        var newAtRotation = false
        for (i, event) in events.enumerated() {
            switch event.kind {
            case .unchoke:
                guard let peer = event.peer else { continue }
                if rotationAt == event.t && !ever.contains(peer) { newAtRotation = true }
                unchoked.insert(peer)
                ever.insert(peer)
            case .choke, .disconnected:
                if let peer = event.peer { unchoked.remove(peer) }
            case .optimistic:
                rotationAt = event.t
            default:
                break
            }
            if i + 1 == events.count || events[i + 1].t != event.t { most = max(most, unchoked.count) }
        }
        return (most, newAtRotation)
    }

    /// The `choke` (false) and `unchoke` (true) messages the seed wrote, per peer, in
    /// wall-clock seconds.
    static func sentChokes(_ events: [PeerEvent], epoch: Double) -> [String: [(wall: Double, unchoked: Bool)]] {
        var sent: [String: [(wall: Double, unchoked: Bool)]] = [:]
        for e in events where e.kind == .choke || e.kind == .unchoke {
            guard let peer = e.peer else { continue }
            sent[peer.description, default: []].append((epoch + e.t, e.kind == .unchoke))
        }
        return sent
    }

    /// Why one leecher's view disagrees with what the seed sent it, or nil. Each change
    /// the leecher saw must match a message of the seed's, in order, sent no later than
    /// it was seen (10 ms for reading two clocks); messages it never saw may only be a
    /// choke and an unchoke in quick succession (sampled every 100 ms). At the end, its
    /// state is the one the seed last sent, unless that was sent in the last 10 s and is
    /// perhaps still queued behind data.
    static func mismatch(seen: [ChokeChange], sent: [(wall: Double, unchoked: Bool)], end: Double) -> String? {
        var state = false  // BEP 3: a connection starts choked
        var cursor = sent.startIndex
        for change in seen where change.unchoked != state {
            guard let k = sent[cursor...].firstIndex(where: { $0.unchoked == change.unchoked }),
                sent[k].wall <= change.wall + 0.01
            else {
                return "saw \(change.unchoked ? "unchoke" : "choke") at \(change.wall) that the seed had not sent"
            }
            cursor = k + 1
            state = change.unchoked
        }
        let settled = sent.last { $0.wall <= end - 10 }?.unchoked ?? false
        let recent = sent.contains { $0.wall > end - 10 }
        if !recent && state != settled {
            return "ends \(state ? "unchoked" : "choked"), the seed's last message said otherwise"
        }
        return nil
    }

    @Test func aPeerReannouncesEveryAnnounceInterval() throws {
        var settings = ProtocolSettings()
        settings.announceInterval = .seconds(1)
        settings.minAnnounceInterval = .seconds(1)
        let trackerLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? trackerLoop.syncShutdownGracefully() }
        let tracker = HTTPTracker(loop: trackerLoop.next())
        try tracker.start(port: 0).wait()
        let trace = EventLog()
        let t = LiveTransferTests()
        let s = try t.seeded(
            bytes: 1 << 20,
            configuration: .init(
                listenPort: 0, tracker: "http://127.0.0.1:\(tracker.port)/announce", settings: settings,
                events: trace.append))
        defer { try? s.group.syncShutdownGracefully() }
        // `started`, then one announce a second: wait for four (at most 30 s, an upper
        // bound for an event that must happen, not a speed requirement).
        let deadline = Date().addingTimeInterval(30)
        var answered = 0
        while answered < 4 && Date() < deadline {
            usleep(50_000)
            answered = try tracker.announceCount(of: s.metainfo.infoHash).wait()
        }
        _ = try? s.seed.stop().wait()
        _ = try? tracker.stop().wait()
        #expect(answered >= 4, "the tracker answered \(answered) announces")
        // The first four announces went out before the stop: each periodic one no sooner
        // than one interval after the one before.
        let announces = trace.times(of: .announce).prefix(4)
        #expect(announces.count == 4)
        for (a, b) in zip(announces, announces.dropFirst()) { #expect(b - a >= settings.announceInterval.seconds) }
    }
}
