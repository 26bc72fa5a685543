import BitTorrent
import Scenario
import SimKernel
import Swarm
import Testing

/// A connection closes as TCP closes it: the remote reads what was sent before the close
/// (docs/model.md, "Network"). A leecher that completes and leaves sends `not interested`
/// to the seed and then closes; the seed must hear the first, and re-rank its slots on it,
/// before it hears the second, as a Live seed does.
@Suite struct OrderedCloseTests {
    @Test func aLeaverIsChokedOnItsNotInterestedBeforeItsCloseArrives() throws {
        let crowd = SwarmFixtures.flashCrowd(leechers: 12, seeding: .duration(.constant(0)))
        let result = try Simulation(scenario: crowd, seed: 3, trace: TraceSelection(peers: [0])).run()
        let seed = try #require(result.traces.first { $0.peer == 0 })
        var unchoked: Set<PeerAddress> = []
        var optimistic: PeerAddress?
        var pickingOptimistic = false
        var leftUnchoked: [PeerAddress] = []
        var disconnects = 0
        for event in seed.events {
            switch event.kind {
            case .optimistic:
                pickingOptimistic = true
            case .unchoke:
                if let remote = event.peer {
                    unchoked.insert(remote)
                    if pickingOptimistic { optimistic = remote }
                }
                pickingOptimistic = false
            case .choke:
                if let remote = event.peer { unchoked.remove(remote) }
            case .disconnected:
                guard let remote = event.peer else { continue }
                disconnects += 1
                // The optimistic slot is not re-ranked on interest; every regular one is.
                if unchoked.contains(remote) && remote != optimistic { leftUnchoked.append(remote) }
                unchoked.remove(remote)
            default:
                pickingOptimistic = false
            }
        }
        #expect(disconnects == 12, "every leecher completed and left")
        #expect(leftUnchoked.isEmpty, "left while holding a regular slot: \(leftUnchoked)")
    }
}
