import SimKernel

/// The `torrent:` block and its many-torrent form `catalog:` (docs/scenarios.md, "Catalogues").
extension ParseContext {
    static let blockBytes: Int64 = 16 * 1024
    /// Every torrent of a run has its swarm for the whole run (docs/architecture.md, "One
    /// run, several torrents"), so the count is bounded where the memory of a run is.
    static let maxCatalogTorrents = 10_000
    static let maxBundleFiles = 1_000

    func torrent(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> TorrentSpec {
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.torrent, context: self,
            expected: "expected a mapping such as {size: 100 MiB, piece_size: 256 KiB}")
        let size = try fields.require("size", size(_:at:))
        guard let pieceNode = fields.value("piece_size") else { return TorrentSpec(sizeBytes: size) }
        return TorrentSpec(sizeBytes: size, pieceSizeBytes: try pieceSize(pieceNode, at: path.key("piece_size")))
    }

    func catalog(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> CatalogSpec {
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.catalog, context: self,
            expected: "expected a mapping such as {torrents: 100, size: 50 MiB, popularity: {zipf: 0.8}}")
        let popularity = try fields.optional("popularity", popularity(_:at:))
        let bundle = try fields.optional("bundle") { n, p throws(ScenarioError) in
            let files = try integer(n, at: p, minimum: 1)
            guard files <= Self.maxBundleFiles else {
                throw error("a bundle may hold at most \(Self.maxBundleFiles) files, got \(files)", at: n, path: p)
            }
            return files
        }
        let files = bundle ?? 1
        let listedWeights: Int? = if case .weights(let w) = popularity { w.count } else { nil }
        if let listedWeights, listedWeights % files != 0, let node = fields.value("popularity") {
            throw error(
                "lists \(listedWeights) weights, one per file, which is not a whole number of bundles of \(files)",
                at: node, path: path.key("popularity"))
        }
        let listed = listedWeights.map { $0 / files }
        let torrents = try fields.optional("torrents") { n, p throws(ScenarioError) in
            let count = try integer(n, at: p, minimum: 1)
            guard count <= Self.maxCatalogTorrents else {
                throw error(
                    "must be at most \(Self.maxCatalogTorrents) (every torrent's swarm is held for the whole run), got \(count)",
                    at: n, path: p)
            }
            if let listedWeights, listedWeights != count * files {
                throw error(
                    "says \(count) torrents of \(files) file(s) but popularity lists \(listedWeights) weights; give one weight per file",
                    at: n, path: p)
            }
            return count
        }
        guard let count = torrents ?? listed else {
            throw error("required key is missing (the number of torrents)", at: node, path: path.key("torrents"))
        }
        let size = try fields.require("size") { n, p throws(ScenarioError) in
            let size = try distribution(n, at: p, of: .fileSize)
            if case .constant(let bytes) = size, bytes < 1 {
                throw error("a file must have at least one byte, got \(quoted(n.scalarText ?? ""))", at: n, path: p)
            }
            return size
        }
        return CatalogSpec(
            torrents: count, size: size,
            pieceSizeBytes: try fields.optional("piece_size", pieceSize(_:at:)) ?? TorrentSpec.defaultPieceSize,
            popularity: popularity ?? .zipf(exponent: 0),
            release: try fields.optional("release", distribution(_:at:)) ?? .constant(0), bundle: files)
    }

    private func pieceSize(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Int {
        let pieceSize = try size(node, at: path)
        guard pieceSize % Self.blockBytes == 0, pieceSize <= Int64(Int32.max) else {
            throw error(
                "must be a multiple of 16 KiB (the block size) up to 2 GiB, got \(quoted(node.scalarText ?? ""))",
                at: node, path: path)
        }
        return Int(pieceSize)
    }

    /// `{zipf: s}` with s ≥ 0, or a list of positive weights in rank order.
    private func popularity(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Popularity {
        let expected = "expected {zipf: 0.8} (s = 0 is uniform) or a list of weights such as [5, 2, 1]"
        if case .sequence(let items) = node.kind {
            guard !items.isEmpty else { throw error("must list at least one weight", at: node, path: path) }
            var weights: [Double] = []
            for (k, item) in items.enumerated() {
                let w = try number(item, at: path.index(k), example: "2")
                guard w > 0, w <= 1e12 else {
                    throw error(
                        "must be a positive weight up to 1e12, got \(quoted(item.scalarText ?? ""))", at: item,
                        path: path.index(k))
                }
                weights.append(w)
            }
            return .weights(weights)
        }
        let entry = try tagged(node, at: path, kinds: ["zipf"], noun: "popularity law", expected: expected)
        let s = try number(entry.value, at: path.key("zipf"), example: "0.8")
        // Above 10 nearly all demand is the first torrent's, and k^(-s) underflows for large k.
        guard s >= 0, s <= 10 else {
            throw error(
                "the Zipf exponent must be from 0 (uniform) to 10, got \(quoted(entry.value.scalarText ?? ""))",
                at: entry.value, path: path.key("zipf"))
        }
        return .zipf(exponent: s)
    }
}
