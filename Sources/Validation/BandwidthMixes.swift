import Scenario

extension Bandwidth {
    /// The access-link mix Bharambe, Herley and Padmanabhan used ("Analyzing and improving
    /// a BitTorrent network's performance mechanisms", INFOCOM 2006), as in the scale and
    /// quickstart scenarios.
    static let bharambe2006 = Bandwidth.mix([
        BandwidthClass(share: 0.2, upBitsPerSecond: 128e3, downBitsPerSecond: 784e3),
        BandwidthClass(share: 0.4, upBitsPerSecond: 384e3, downBitsPerSecond: 1500e3),
        BandwidthClass(share: 0.25, upBitsPerSecond: 1000e3, downBitsPerSecond: 3000e3),
        BandwidthClass(share: 0.15, upBitsPerSecond: 5000e3, downBitsPerSecond: 10_000e3),
    ])
}
