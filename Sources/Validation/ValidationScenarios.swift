import Scenario
import SimKernel

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

extension Bandwidth {
    /// A mix as the `bandwidth:` key of a peer group in a block-style `peers:` list (the
    /// group's keys at four spaces), for cases that write their scenarios as files do.
    var groupYAML: String {
        guard case .mix(let classes) = self else { return "" }
        let lines = classes.map { c in
            "      - {share: \(c.share), down: \(Int(c.downBitsPerSecond / 1000)) kbit/s, up: \(Int(c.upBitsPerSecond / 1000)) kbit/s}"
        }
        return (["    bandwidth:"] + lines).joined(separator: "\n")
    }
}

extension Scenario {
    /// The steady-state swarm most cases use: a publisher with the file from the start that
    /// stays, and a crowd arriving as a Poisson process, in 256 KiB pieces.
    static func publisherAndCrowd(
        name: String, duration: SimTime, sampleInterval: SimTime, fileBytes: Int64, publisher: Bandwidth,
        arrivalsPerSecond: Double, arrivalsUntil: SimTime? = nil, crowd: Bandwidth, abort: Distribution? = nil,
        seeding: Seeding
    ) -> Scenario {
        Scenario(
            name: name, duration: duration, sampleInterval: sampleInterval,
            torrent: TorrentSpec(sizeBytes: fileBytes, pieceSizeBytes: 256 << 10),
            peers: [
                PeerGroup(name: "publisher", count: 1, arrival: .at(.zero), hasFile: true, bandwidth: publisher),
                PeerGroup(
                    name: "crowd", count: nil,
                    arrival: .poisson(ratePerSecond: arrivalsPerSecond, until: arrivalsUntil),
                    bandwidth: crowd, abort: abort, seeding: seeding),
            ])
    }
}
