import BitTorrent
import Speed

extension StrategyDefinition {
    /// BitTorrent Speed (`SpeedStrategy`): bids for slots, pays per piece, sells its
    /// regular slots by auction.
    public static let speed = speedFamily(
        name: "speed", summary: "BitTorrent Speed: bids for upload slots and pays per piece; sells its own by auction")

    /// A `SpeedStrategy` that pays, delivers and bids as `payment`, `delivery` and
    /// `bidStyle` say: the honest client and its cheats differ in nothing else.
    static func speedFamily(
        name: String, summary: String, payment: SpeedPayment = .honest, delivery: SpeedDelivery = .honest,
        bidStyle: SpeedBidStyle = .rule
    ) -> StrategyDefinition {
        StrategyDefinition(name: name, summary: summary, market: .speed) { context in
            // The driver opens an account for every peer of a `.speed` strategy.
            guard let speed = context.speed else { preconditionFailure("a speed peer without a Speed account") }
            let strategy = SpeedStrategy(
                market: speed.market, account: speed.account, budget: speed.budget, payment: payment,
                delivery: delivery, bidStyle: bidStyle)
            return StrategyInstance(strategy: strategy, trader: strategy)
        }
    }
}
