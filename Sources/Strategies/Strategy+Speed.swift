import BitTorrent
import Speed

extension StrategyDefinition {
    /// BitTorrent Speed (`SpeedStrategy`): bids for slots, pays per piece, sells its
    /// regular slots by auction.
    public static let speed = speedFamily(
        name: "speed", summary: "BitTorrent Speed: bids for upload slots and pays per piece; sells its own by auction")

    /// A `SpeedStrategy` that pays as `payment` says and delivers as `delivery` says: the
    /// honest client and its cheats differ in nothing else.
    static func speedFamily(
        name: String, summary: String, payment: SpeedPayment = .honest, delivery: SpeedDelivery = .honest
    ) -> StrategyDefinition {
        StrategyDefinition(name: name, summary: summary, market: .speed) { context in
            // The driver opens an account for every peer of a `.speed` strategy.
            guard let speed = context.speed else { preconditionFailure("a speed peer without a Speed account") }
            let strategy = SpeedStrategy(
                market: speed.market, account: speed.account, budget: speed.budget, payment: payment,
                delivery: delivery)
            return StrategyInstance(strategy: strategy, trader: strategy)
        }
    }
}
