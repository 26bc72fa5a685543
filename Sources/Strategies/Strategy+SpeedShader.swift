import Speed

extension StrategyDefinition {
    /// A BitTorrent Speed requester that shades its bids (`SpeedBidStyle.shaded`): where a
    /// provider has sold it a slot, it bids just above the clearing price it was told,
    /// and back at the rule's price when the slot is taken back. Otherwise `speed`.
    public static let speedShader = speedFamily(
        name: "speed-shader",
        summary: "a Speed requester that bids just above the last clearing price each provider sold it a slot at",
        bidStyle: .shaded)
}
