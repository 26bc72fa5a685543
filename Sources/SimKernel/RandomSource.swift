/// Where the protocol core (BitTorrent, Speed) draws its random numbers: the two draws it
/// needs and nothing else, so each driver supplies its own (docs/decisions.md, "The core
/// draws through a random-source protocol"). The simulator gives a seeded, GSL-backed
/// `RandomStream`, which makes a run a pure function of its seed; Live gives the system's
/// generator, since a real peer has no reason to be reproducible and no need for GSL.
public protocol RandomSource: AnyObject {
    /// Uniform on [0, 1).
    func uniform() -> Double
    /// Uniform integer in 0..<n; `n` must be positive.
    func integer(below n: Int) -> Int
}

extension RandomSource {
    /// True with probability `p`.
    public func bernoulli(_ p: Double) -> Bool { uniform() < p }
}
