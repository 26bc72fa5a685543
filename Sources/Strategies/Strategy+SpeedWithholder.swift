import Speed

extension StrategyDefinition {
    /// A BitTorrent Speed provider that does not deliver (`SpeedDelivery.withholds`): it
    /// sells its regular slots by auction and accepts each channel's escrow like `speed`,
    /// then sends nothing on a sold slot. Its free slots, and its buying, are honest.
    public static let speedWithholder = speedFamily(
        name: "speed-withholder",
        summary: "a Speed provider that sells its slots and takes the escrow, then serves nothing on them",
        delivery: .withholds)
}
