import Speed

extension StrategyDefinition {
    /// A BitTorrent Speed requester that never pays (`SpeedPayment.never`): it bids and
    /// opens channels like `speed`, takes what each deposit lets a provider serve, then
    /// closes the channel unpaid and opens the next. As a provider it is honest.
    public static let speedNonpayer = speedFamily(
        name: "speed-nonpayer",
        summary: "a Speed requester that never sends a voucher: a deposit's worth per channel, then a new channel",
        payment: .never)
}
