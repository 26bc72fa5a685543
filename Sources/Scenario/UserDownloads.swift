import SimKernel

/// A catalogue's users (`downloads:` in a peer group, docs/scenarios.md "Users"): each
/// arrival of the group is one user, with one host and one wallet, who downloads `count`
/// torrents of the catalogue, chosen by popularity, one every `interval`.
public struct UserDownloads: Sendable, Equatable {
    /// How many torrents a user downloads, drawn per user and rounded; at most the
    /// catalogue's torrent count (a larger draw takes every torrent).
    public var count: Distribution
    /// The time from one of a user's downloads to its next; the first starts on arrival.
    public var interval: Distribution

    public init(count: Distribution, interval: Distribution = .constant(0)) {
        self.count = count
        self.interval = interval
    }

    /// The largest count a draw can give, when the distribution is bounded.
    var largestCount: Double? {
        switch count {
        case .constant(let v): v
        case .uniform(_, let high): high
        case .empirical(let values): values.max()
        case .exponential, .lognormal, .weibull: nil
        }
    }
}

extension QuantityKind {
    /// Counts of things (`downloads.count`), as plain numbers.
    static let count = QuantityKind(
        expected: "expected a number such as 3",
        read: { text, allowZero throws(Units.Problem) in
            guard let value = Units.number(text), value >= 0 else {
                throw Units.Problem("expected a number such as 3, got \(quoted(text))")
            }
            guard allowZero || value > 0 else { throw Units.Problem("must be positive, got \(quoted(text))") }
            return value
        },
        units: [("torrents", 1)], unitNoun: "unit", bareNumberMeaning: "torrents",
        examples: (mean: "3", scale: "3", low: "1", high: "10", unit: "torrents"))
}

extension ParseContext {
    /// `{count: N or a distribution, interval: a duration or distribution}`.
    func userDownloads(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> UserDownloads {
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.downloads, context: self,
            expected: "expected a mapping such as {count: 3, interval: {exponential: {mean: 6 h}}}")
        return UserDownloads(
            count: try fields.require("count") { n, p throws(ScenarioError) in try distribution(n, at: p, of: .count) },
            interval: try fields.optional("interval", distribution(_:at:)) ?? .constant(0))
    }

    /// Users choose among a catalogue's torrents, arrive without them, and cannot want
    /// more torrents than there are.
    func checkUsers(_ groups: [PeerGroup], catalog: CatalogSpec?, root: YAMLNode) throws(ScenarioError) {
        for (i, g) in groups.enumerated() {
            guard let downloads = g.downloads else { continue }
            let path = KeyPath.root.key("peers").index(i).key("downloads")
            let node = root.deepest(at: path).node
            guard let catalog else {
                throw error(
                    "users choose among a catalogue's torrents: give catalog: instead of torrent:, or drop downloads",
                    at: node, path: path)
            }
            if g.hasFile {
                throw error(
                    "users arrive without the torrents they download; drop has_file (give the torrents publishers)",
                    at: node, path: path)
            }
            if let largest = downloads.largestCount, largest.rounded() > Double(catalog.torrents) {
                throw error(
                    "users would download up to \(Int(largest.rounded())) torrents, but the catalogue has \(catalog.torrents)",
                    at: node, path: path.key("count"))
            }
        }
    }
}
