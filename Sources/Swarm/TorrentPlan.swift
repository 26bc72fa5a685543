import BitTorrent
import Scenario
import SimKernel

/// One torrent of a run as drawn for that run (docs/architecture.md, "One run, several
/// torrents"): its size, its share of demand, its release, and the master seed of every
/// stream its peers and tracker draw from.
///
/// The seeds are keyed per torrent, and torrent 1's is the run's own seed: so a catalogue's
/// torrent runs exactly as the same torrent alone in a run with its seed, as long as no
/// user and no market couples it to the others (issue 24, point 6a), and a catalogue of one
/// is the `torrent:` form.
public struct TorrentPlan: Sendable, Equatable {
    /// Popularity rank, 1 = most popular: the `torrent` column of the CSV files.
    public var rank: Int
    public var name: String
    public var sizeBytes: Int64
    public var pieceSizeBytes: Int
    /// The torrent's share of the catalogue's demand.
    public var share: Double
    /// Every group's arrival rate is multiplied by this: the catalogue's file count times
    /// `share`, so that a scenario's rates are those of an average file (of an average
    /// torrent, without bundles).
    public var rateScale: Double
    /// The files it bundles (`CatalogSpec.bundle`).
    public var files: Int
    /// Its peers' arrival times count from here.
    public var release: SimTime
    public var seed: UInt64

    public init(
        rank: Int, name: String, sizeBytes: Int64, pieceSizeBytes: Int, share: Double = 1, rateScale: Double = 1,
        files: Int = 1, release: SimTime = .zero, seed: UInt64
    ) {
        self.files = files
        self.rank = rank
        self.name = name
        self.sizeBytes = sizeBytes
        self.pieceSizeBytes = pieceSizeBytes
        self.share = share
        self.rateScale = rateScale
        self.release = release
        self.seed = seed
    }

    /// The torrents of `scenario`'s run with master seed `seed`: its one torrent, or its
    /// catalogue's with sizes and releases drawn from each torrent's own stream.
    public static func plans(for scenario: Scenario, seed: UInt64) -> [TorrentPlan] {
        guard let catalog = scenario.catalog else {
            // A storage-only scenario has no torrent; no peer ever uses this one-byte stand-in.
            return [
                TorrentPlan(
                    rank: 1, name: scenario.name, sizeBytes: max(1, scenario.torrent.sizeBytes),
                    pieceSizeBytes: scenario.torrent.pieceSizeBytes, seed: seed)
            ]
        }
        // Files are ranked by popularity and bundled in rank order: torrent i holds files
        // i·K … i·K + K − 1.
        let fileShares = catalog.popularity.shares(count: catalog.files)
        let k = catalog.bundle
        let random = RandomStream(seed: seed)
        return (0..<catalog.torrents).map { i in
            let share = fileShares[i * k..<(i + 1) * k].reduce(0, +)
            random.reseed(SeedDerivation.seed(master: seed, purpose: .catalog, UInt64(i)))
            // One draw per file, then the release, from the torrent's own stream: a torrent
            // of one file draws as it always did.
            var drawn = 0.0
            for _ in 0..<k { drawn += catalog.size.sample(random) }
            let size = bytes(drawn, pieceSize: catalog.pieceSizeBytes)
            return TorrentPlan(
                rank: i + 1, name: "\(scenario.name)-\(i + 1)", sizeBytes: size, pieceSizeBytes: catalog.pieceSizeBytes,
                share: share, rateScale: Double(catalog.files) * share, files: k,
                release: catalog.release.sampleDuration(random),
                seed: i == 0 ? seed : SeedDerivation.seed(master: seed, purpose: .torrent, UInt64(i)))
        }
    }

    /// A drawn size in whole bytes, from one byte up to the largest torrent a metainfo of
    /// `pieceSize` pieces may describe: a distribution's tail cannot make a torrent that
    /// cannot exist, nor overflow (docs/scenarios.md, "Catalogues").
    static func bytes(_ drawn: Double, pieceSize: Int) -> Int64 {
        Distribution.whole(drawn, within: 1...Int64(Metainfo.maxPieceCount) * Int64(pieceSize))
    }
}
