import BitTorrent
import Speed

extension StrategyDefinition {
    /// BitTorrent Speed (`SpeedStrategy`): bids for slots, pays per piece, sells its
    /// regular slots by auction.
    public static let speed = StrategyDefinition(
        name: "speed", summary: "BitTorrent Speed: bids for upload slots and pays per piece; sells its own by auction",
        market: .speed
    ) { context in
        // The driver opens an account for every peer of a `.speed` strategy.
        guard let speed = context.speed else { preconditionFailure("a speed peer without a Speed account") }
        let strategy = SpeedStrategy(market: speed.market, account: speed.account, budget: speed.budget)
        return StrategyInstance(strategy: strategy, trader: strategy)
    }
}
