import SimKernel

/// Live's random numbers: the system generator (getrandom), through the core's
/// `RandomSource`. A real peer has nothing to reproduce, so it needs no seed, and no GSL.
public final class SystemRandomSource: RandomSource {
    private var generator = SystemRandomNumberGenerator()

    public init() {}

    public func uniform() -> Double { Double.random(in: 0..<1, using: &generator) }

    /// `n` comes from the client's own counts (candidates, pieces), never from the wire.
    public func integer(below n: Int) -> Int { n > 1 ? Int.random(in: 0..<n, using: &generator) : 0 }
}
