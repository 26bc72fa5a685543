import Speed

extension StrategyDefinition {
    /// A self-dealing farmer's leecher (`farm: k`, docs/model.md "Self-dealing farms"): a
    /// Speed requester that bids the rule's ceiling (`SpeedBidStyle.ceiling`), so that it
    /// wins its farmer's slots. Not in the registry: a group cannot choose it, since a
    /// farmhand exists only as part of a farm.
    public static let speedFarmhand = speedFamily(
        name: "speed-farmhand", summary: "a self-dealing farmer's leecher: bids the ceiling at its farmer's seed",
        bidStyle: .ceiling)
}
