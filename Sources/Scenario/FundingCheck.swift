import Incentives
import Storage
import Strategies

/// Starting funds that are known before a run — peers arriving together (`at`) times their
/// wallets, and renters present from the start times their budgets — must fit in BTT's
/// supply, which is where every balance comes from (docs/scenarios.md, "Funding and the
/// supply"). Open-ended arrivals are checked as they happen, by the run.
extension ParseContext {
    /// `torrents`: every group but a catalogue's users has its own peers in each torrent.
    func checkFunding(peers: [PeerGroup], storage: StorageSettings?, torrents: Int, root: YAMLNode)
        throws(ScenarioError)
    {
        let supply = Genesis.supply.baseUnits
        var total: Int64 = 0
        var parts: [String] = []
        func add(_ count: Int, _ each: TokenAmount, name: String, path: KeyPath) throws(ScenarioError) {
            guard count > 0, each > .zero else { return }
            let (product, overflow) = Int64(count).multipliedReportingOverflow(by: each.baseUnits)
            let (sum, overflowed) = total.addingReportingOverflow(product)
            parts.append("\(count) × \(each) BTT for \(name)")
            total = sum
            guard overflow || overflowed || sum > supply else { return }
            throw error(
                "the starting funds known before a run (\(parts.joined(separator: ", "))) come to more than BTT's total supply of \(Units.supplyBTT) BTT; lower the wallets, budgets or counts",
                at: root.deepest(at: path).node, path: path)
        }
        let renting = Set(storage?.renters.compactMap(\.peers) ?? [])
        for (i, group) in peers.enumerated() {
            guard case .at = group.arrival, let perTorrent = group.count else { continue }
            let (swarms, overflow) = perTorrent.multipliedReportingOverflow(by: group.downloads == nil ? torrents : 1)
            // A farmer's leechers are funded like the farmer.
            let (count, overflowed) = swarms.multipliedReportingOverflow(by: 1 + group.farm)
            guard !overflow, !overflowed else { continue }
            let each =
                group.strategy.market == .speed
                ? group.wallet.ledger + group.wallet.chain : renting.contains(group.name) ? group.wallet.ledger : .zero
            try add(count, each, name: "peers.\(group.name)", path: KeyPath.root.key("peers").index(i).key("wallet"))
        }
        for (i, renters) in (storage?.renters ?? []).enumerated() where renters.peers == nil {
            try add(
                renters.count, renters.budget, name: "storage.renters.\(renters.name)",
                path: KeyPath.root.key("storage").key("renters").index(i).key("budget"))
        }
    }
}
