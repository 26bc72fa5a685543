import Speed

extension StrategyDefinition {
    /// A BitTorrent Speed requester that never pays (`SpeedPayment.never`): it bids and
    /// opens channels like `speed`, takes what each deposit lets a provider serve, then
    /// closes the channel unpaid and opens the next. As a provider it is honest.
    public static let speedNonpayer = StrategyDefinition(
        name: "speed-nonpayer",
        summary: "a Speed requester that never sends a voucher: a deposit's worth per channel, then a new channel",
        market: .speed
    ) { context in
        guard let speed = context.speed else { preconditionFailure("a speed peer without a Speed account") }
        let strategy = SpeedStrategy(
            market: speed.market, account: speed.account, budget: speed.budget, payment: .never)
        return StrategyInstance(strategy: strategy, trader: strategy)
    }
}
