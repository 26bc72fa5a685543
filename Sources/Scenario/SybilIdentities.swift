import Strategies

/// `identities: k` in a peer group (docs/scenarios.md, "Sybil requesters"): each of its
/// peers is one user behind k peer identities in the same swarm, on one host, with one
/// balance and one copy of the pieces. k = 1 (the default) is an ordinary peer.
extension ParseContext {
    /// The most identities one user may run: enough for the study's k = 1 … 8 and well
    /// beyond, while a typo (`identities: 1000`) cannot make thousands of clients per user.
    static let largestIdentities = 64

    /// A whole number 1 … 64, for leechers that arrive per torrent and leave at a drawn
    /// time: identities that start with the file gain nothing from sharing pieces, a
    /// catalogue's users already have one host and balance across swarms, and rational
    /// seeding reviews each peer's own earnings, which identities share.
    func identities(_ node: YAMLNode, at path: KeyPath, fields: MappingReader) throws(ScenarioError) -> Int {
        let k = try integer(node, at: path, minimum: 1)
        guard k <= Self.largestIdentities else {
            throw error("must be at most \(Self.largestIdentities), got \(k)", at: node, path: path)
        }
        guard k > 1 else { return k }
        if try fields.optional("has_file", bool(_:at:)) ?? false {
            throw error(
                "identities are for requesters: a peer that starts with the file has nothing to gain from them; drop has_file or identities",
                at: node, path: path)
        }
        if fields.value("downloads") != nil {
            throw error(
                "a catalogue's user already has one host and balance across its torrents; drop downloads or identities",
                at: node, path: path)
        }
        if let seeding = fields.value("seeding"), case .mapping(let entries) = seeding.kind,
            entries.contains(where: { $0.key == "rational" })
        {
            throw error(
                "identities share one balance, which rational seeding would review per identity; drop seeding.rational or identities",
                at: node, path: path)
        }
        return k
    }
}

/// `farm: k` in a peer group (docs/scenarios.md, "Self-dealing farms"): each of its
/// peers is a farmer, a seed with k leechers of its own on its host, each with its own
/// Speed account funded like any peer of the group, that buy only from it.
extension ParseContext {
    /// A whole number 0 … 64 (0: no farm), for Speed peers that start with the file and
    /// seed in one session: the leechers pay their farmer's seed, so there must be one,
    /// and a market to pay in.
    func farm(_ node: YAMLNode, at path: KeyPath, fields: MappingReader, strategy: StrategyDefinition)
        throws(ScenarioError) -> Int
    {
        let k = try integer(node, at: path, minimum: 0)
        guard k <= Self.largestIdentities else {
            throw error("must be at most \(Self.largestIdentities), got \(k)", at: node, path: path)
        }
        guard k > 0 else { return k }
        guard try fields.optional("has_file", bool(_:at:)) ?? false else {
            throw error(
                "a farm's leechers buy from their farmer's seed: give the group has_file: true", at: node, path: path)
        }
        guard strategy.market == .speed else {
            throw error(
                "a farm's leechers pay in BTT: give the group a strategy that trades on the Speed market, such as speed",
                at: node, path: path)
        }
        if fields.value("uptime") != nil {
            throw error("a farm's seed is online in one session; drop uptime or farm", at: node, path: path)
        }
        return k
    }
}
