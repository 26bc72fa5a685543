import BitTorrent
import ClientHarness
import SimKernel
import Testing

/// The trace a client reports (`TorrentClient.trace`), which both drivers write: it
/// agrees with the messages the client sent, message for message, and tells the
/// download's story in order.
struct PeerTraceTests {
    static let traced: Set<PeerEventKind> = [.choke, .unchoke, .interested, .notInterested]

    static func kind(of message: WireMessage) -> PeerEventKind? {
        switch message {
        case .choke: .choke
        case .unchoke: .unchoke
        case .interested: .interested
        case .notInterested: .notInterested
        default: nil
        }
    }

    @Test func theTraceMatchesTheMessagesSentAndTellsTheDownload() {
        let pair = ClientPair()
        var traceA: [(PeerEventKind, PeerAddress?)] = []
        var traceB: [(PeerEventKind, PeerAddress?)] = []
        pair.a.trace = { traceA.append(($0, $1)) }
        pair.b.trace = { traceB.append(($0, $1)) }
        var sentA: [PeerEventKind] = []
        var sentB: [PeerEventKind] = []
        pair.intercept = { fromA, message in
            if let kind = Self.kind(of: message) {
                if fromA { sentA.append(kind) } else { sentB.append(kind) }
            }
            return message
        }
        pair.connectAndRun()
        pair.fire(.rechoke, onA: true, at: .seconds(10))
        // Pairs: every choke, unchoke and interest message is in the trace, in order, with
        // the remote's address; and the trace holds no such event without its message.
        #expect(traceA.filter { Self.traced.contains($0.0) }.map(\.0) == sentA)
        #expect(traceB.filter { Self.traced.contains($0.0) }.map(\.0) == sentB)
        #expect(traceA.filter { Self.traced.contains($0.0) }.allSatisfy { $0.1 == pair.b.config.address })
        #expect(traceB.filter { Self.traced.contains($0.0) }.allSatisfy { $0.1 == pair.a.config.address })
        #expect(!sentA.isEmpty && !sentB.isEmpty)
        // B's story: it started, connected, wanted, got every piece, completed, then
        // left as both were seeds.
        let kindsB = traceB.map(\.0)
        #expect(Array(kindsB.prefix(2)) == [.started, .announce])
        let pieces = kindsB.indices.filter { kindsB[$0] == .pieceCompleted }
        #expect(pieces.count == ClientPair.layout.pieceCount)
        let interested = kindsB.firstIndex(of: .interested) ?? Int.max
        let completed = kindsB.firstIndex(of: .completed) ?? -1
        #expect(interested < pieces.first ?? -1 && (pieces.last ?? Int.max) < completed)
        #expect(kindsB.firstIndex(of: .connected) ?? Int.max < interested)
        #expect(kindsB.contains(.disconnected) && pair.closed.contains { $0.reason == .bothSeeds })
        // A's timer round is traced when it acts, before the decisions it makes.
        #expect(traceA.map(\.0).contains(.rechoke))
    }
}
