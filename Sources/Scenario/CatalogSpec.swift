import SimKernel

#if canImport(Glibc)
    import Glibc
#endif

/// Many torrents in one run (`catalog:`, docs/scenarios.md "Catalogues"): their number, how
/// big they are, how popular, and when each is released. The peer groups of a catalogue
/// scenario describe one torrent's peers; every torrent gets its own copy of every group,
/// with arrival rates scaled by the torrent's popularity and times counted from its release.
public struct CatalogSpec: Sendable, Equatable {
    public var torrents: Int
    /// Each file's size in bytes, drawn once per file and run; a torrent is the sum of its files.
    public var size: Distribution
    /// The piece size every torrent of the catalogue uses.
    public var pieceSizeBytes: Int
    public var popularity: Popularity
    /// When each torrent is released (its peers' times count from there), in seconds,
    /// drawn once per torrent and run.
    public var release: Distribution
    /// Files per torrent: a publisher's bundle (Menasché et al.), whose users download it
    /// whole; 1 for a torrent per file. Popularity is the files'; a torrent's share of
    /// demand is its files' together.
    public var bundle: Int

    /// Files in the catalogue: `torrents` bundles of `bundle` files.
    public var files: Int { torrents * bundle }

    public init(
        torrents: Int, size: Distribution, pieceSizeBytes: Int = TorrentSpec.defaultPieceSize,
        popularity: Popularity = .zipf(exponent: 0), release: Distribution = .constant(0), bundle: Int = 1
    ) {
        self.bundle = bundle
        self.torrents = torrents
        self.size = size
        self.pieceSizeBytes = pieceSizeBytes
        self.popularity = popularity
        self.release = release
    }
}

/// How demand is shared among a catalogue's torrents, most popular first.
public enum Popularity: Sendable, Equatable {
    /// Torrent k (1-based rank) gets a share proportional to k^(−s); s = 0 is uniform.
    case zipf(exponent: Double)
    /// Shares proportional to these positive weights, one per torrent, in rank order.
    case weights([Double])

    /// The share of each of `count` torrents, in rank order; they sum to 1.
    public func shares(count: Int) -> [Double] {
        let raw: [Double]
        switch self {
        case .zipf(let s): raw = (0..<count).map { pow(Double($0 + 1), -s) }
        case .weights(let w): raw = w
        }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

}
