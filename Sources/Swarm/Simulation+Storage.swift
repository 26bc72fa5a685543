import Incentives
import Speed

/// Swarm peers that rent BTFS storage (a renter group with `peers: GROUP`).
extension Simulation {
    /// A peer of a renting group becomes a renter as it arrives. A Speed trader pays from
    /// its ledger account, so what it earns seeding pays for its storage; a peer without
    /// one pays from an account holding what the group's `wallet` gives a Speed peer, so
    /// strategies start equal.
    func joinStorage(_ index: Int, trader: (any SpeedTrader)?) {
        guard let storage else { return }
        let spec = scenario.peers[peers[index].group]
        guard let g = storage.settings.renters.firstIndex(where: { $0.peers == spec.name }) else { return }
        storage.addRenter(group: g, peer: index, account: trader?.account.ledger, budget: spec.wallet.ledger)
        peers[index].rentsStorage = true
    }
}
