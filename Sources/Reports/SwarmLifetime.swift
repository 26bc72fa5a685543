import SimKernel

/// One swarm's lifetime and availability (docs/metrics.md, "Availability and lifetime"):
/// summary.csv's for the `torrent:` form, torrents.csv's for each torrent of a catalogue.
public struct SwarmLifetime: Sendable, Equatable {
    /// From the first full copy online to the first death; 0 when there never was a full
    /// copy; nil while alive.
    public var lifetime: Double?
    /// The swarm never died before the horizon.
    public var survived: Bool
    /// `lifetime`, or the time from the first full copy to the horizon for a swarm that
    /// survived (censored there): its mean over runs is the restricted mean lifetime.
    public var lifetimeCapped: Double
    /// Share of the time from `release` to the horizon with a full copy online,
    /// revivals counted; nil when that time is empty.
    public var availableFraction: Double?

    /// `release` is when the swarm could first exist: 0, or a catalogue torrent's release.
    public init(firstAvailable: SimTime?, death: SimTime?, availableTime: SimTime, release: SimTime, horizon: SimTime) {
        let start = firstAvailable ?? release
        let died = firstAvailable == nil ? start : death
        lifetime = died.map { ($0 - start).seconds }
        survived = died == nil
        lifetimeCapped = lifetime ?? (horizon - start).seconds
        let span = horizon - release
        availableFraction = span > .zero ? availableTime.seconds / span.seconds : nil
    }
}
