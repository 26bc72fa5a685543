import CGSL

/// One independent stream of random numbers, drawn through GSL.
///
/// Uses GSL's taus2 generator: 24 bytes of state, so a stream per peer stays cheap at
/// 30,000 peers (mt19937 would need 2.5 KB each). A class because it owns the C state.
public final class RandomStream: RandomSource {
    @usableFromInline let rng: OpaquePointer

    public init(seed: UInt64) {
        GSLSetup.once()
        guard let r = gsl_rng_alloc(btsim_gsl_rng_taus2()) else {
            preconditionFailure("gsl_rng_alloc failed: out of memory")
        }
        rng = OpaquePointer(r)
        reseed(seed)
    }

    deinit { gsl_rng_free(UnsafeMutablePointer(rng)) }

    /// Restarts the stream from `seed`, so a scratch stream can serve many one-off keys
    /// without allocating.
    public func reseed(_ seed: UInt64) {
        let a = SeedDerivation.mix(seed)
        let b = SeedDerivation.mix(a)
        let c = SeedDerivation.mix(b)
        btsim_taus2_set_state(UnsafeMutablePointer(rng), UInt(a), UInt(b), UInt(c))
        // taus2's own seeding warms up with six draws; do the same.
        for _ in 0..<6 { _ = gsl_rng_get(UnsafeMutablePointer(rng)) }
    }

    /// The raw generator, for GSL functions that take one.
    @inlinable public var gsl: UnsafeMutablePointer<gsl_rng> { UnsafeMutablePointer(rng) }

    /// Uniform on [0, 1).
    @inlinable public func uniform() -> Double { gsl_rng_uniform(gsl) }

    /// Uniform on (0, 1): safe to take the logarithm of.
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(gsl) }

    /// Uniform integer in 0..<n; `n` must be positive.
    @inlinable
    public func integer(below n: Int) -> Int {
        precondition(n > 0, "integer(below:) needs a positive bound")
        if n == 1 { return 0 }
        return Int(gsl_rng_uniform_int(gsl, UInt(n)))
    }

    /// Exponential with the given mean.
    @inlinable public func exponential(mean: Double) -> Double { gsl_ran_exponential(gsl, mean) }
}

/// Process-wide GSL set-up: without it a domain error aborts the process instead of
/// returning an error code.
public enum GSLSetup {
    private static let done: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    public static func once() { _ = done }
}
