import BitTorrent
import Scenario
import SimKernel
import Swarm
import Testing

/// `--trace-peers`: simulated peers report their decisions through the client's own trace
/// (docs/live.md, "Watching a peer decide"). Tracing must change nothing, and each trace
/// must agree with what peers.csv says happened to the same peer.
@Suite struct PeerTraceSwarmTests {
    static let crowd = SwarmFixtures.flashCrowd(leechers: 12)

    static func kinds(_ trace: PeerTrace) -> [PeerEventKind] { trace.events.map(\.kind) }

    @Test func tracingEveryoneChangesNothingAndAgreesWithThePeerRecords() throws {
        let plain = try Simulation(scenario: Self.crowd, seed: 5).run()
        let traced = try Simulation(scenario: Self.crowd, seed: 5, trace: TraceSelection(everyone: true)).run()
        #expect(plain.traces.isEmpty)
        #expect(traced.peers == plain.peers && traced.samples == plain.samples && traced.events == plain.events)
        #expect(traced.traces.map(\.peer) == Array(plain.peers.indices))
        let pieces = Int(
            (Self.crowd.torrent.sizeBytes + Int64(Self.crowd.torrent.pieceSizeBytes) - 1)
                / Int64(Self.crowd.torrent.pieceSizeBytes))
        for trace in traced.traces {
            let record = plain.peers[trace.peer]
            #expect(trace.events.first == PeerEvent(t: 0, kind: .started))
            #expect(zip(trace.events, trace.events.dropFirst()).allSatisfy { $0.t <= $1.t }, "time runs forward")
            let completions = trace.events.filter { $0.kind == .completed }
            let pieceEvents = Self.kinds(trace).filter { $0 == .pieceCompleted }.count
            if record.startedWithFile {
                #expect(completions.isEmpty && pieceEvents == 0)
            } else {
                // The trace's completion is peers.csv's download time, to the nanosecond.
                #expect(completions.map(\.t) == [try #require(record.downloadTime).seconds])
                #expect(pieceEvents == pieces)
            }
            Self.expectPairedPerRemote(trace)
        }
    }

    /// Per remote: connected and disconnected alternate, and within a connection choke and
    /// unchoke alternate starting from unchoke (a connection starts choked), as do
    /// interested and not_interested; nothing is said to a remote while not connected.
    static func expectPairedPerRemote(_ trace: PeerTrace) {
        var connected: [PeerAddress: Bool] = [:]
        var unchoked: [PeerAddress: Bool] = [:]
        var interested: [PeerAddress: Bool] = [:]
        for event in trace.events {
            guard let remote = event.peer else { continue }
            let open = connected[remote] ?? false
            switch event.kind {
            case .connected:
                #expect(!open, "peer \(trace.peer): \(remote) connected twice")
                connected[remote] = true
                unchoked[remote] = false
                interested[remote] = false
            case .disconnected:
                #expect(open, "peer \(trace.peer): \(remote) left without joining")
                connected[remote] = false
            case .unchoke, .choke:
                #expect(open && unchoked[remote] == (event.kind == .choke), "peer \(trace.peer): \(event)")
                unchoked[remote] = event.kind == .unchoke
            case .interested, .notInterested:
                #expect(open && interested[remote] == (event.kind == .notInterested), "peer \(trace.peer): \(event)")
                interested[remote] = event.kind == .interested
            default:
                #expect(open, "peer \(trace.peer): \(event) while not connected")
            }
        }
    }

    @Test func peersAreChosenByNumberAndByGroupInArrivalOrder() throws {
        let selection = try TraceSelection.parse("3,publisher,7-8", groups: ["publisher", "crowd"]).get()
        #expect(selection == TraceSelection(peers: [3, 7, 8], groups: ["publisher"]))
        let result = try Simulation(scenario: Self.crowd, seed: 5, trace: selection).run()
        #expect(result.traces.map(\.peer) == [0, 3, 7, 8])
        #expect(result.traces.allSatisfy { !$0.events.isEmpty })
        for bad in ["", "crowds", "-1", "4-2", "1-x", "0-100000"] {
            guard case .failure(let error) = TraceSelection.parse(bad, groups: ["publisher", "crowd"]) else {
                Issue.record("\"\(bad)\" was accepted")
                continue
            }
            #expect(error.description.contains("\"\(bad)\" is neither"))
        }
    }

    /// Speed peers trace the market messages they send: whoever paid sent vouchers and
    /// bids, whoever earned accepted bids, and a tit-for-tat run has none of them.
    @Test func speedPeersTraceTheirBidsAcceptsAndVouchers() throws {
        for strategy in ["speed", "bittorrent"] {
            let scenario = try ScenarioLoader.load(
                path: "\(IncentiveSwarmTests.root)/Scenarios/speed-vs-tft.yaml",
                overrides: [
                    Override(path: "torrent.size", value: "20 MiB"),
                    Override(path: "peers.crowd.strategy", value: strategy),
                ])
            let result = try Simulation(scenario: scenario, seed: 2, trace: TraceSelection(groups: ["crowd"])).run()
            #expect(result.traces.count == result.peers.filter { $0.group == "crowd" }.count)
            var payers = 0
            for trace in result.traces {
                let record = result.peers[trace.peer]
                let count = { (kind: PeerEventKind) in trace.events.filter { $0.kind == kind }.count }
                if record.bttSpent > .zero { payers += 1 }
                #expect((record.bttSpent > .zero) == (count(.voucher) > 0), "peer \(trace.peer) \(record.bttSpent)")
                #expect(count(.voucher) == 0 || count(.bid) > 0)
                #expect(record.bttEarned == .zero || count(.accept) > 0)
            }
            #expect(strategy == "speed" ? payers > 10 : payers == 0)
        }
    }
}
