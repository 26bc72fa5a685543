import SimKernel

/// A seeded generator for property tests: SplitMix64 over a counter, so every failure
/// reproduces from the seed printed with it.
struct SeededGenerator: RandomNumberGenerator {
    private var counter: UInt64

    init(seed: UInt64) {
        counter = seed
    }

    mutating func next() -> UInt64 {
        counter &+= 1
        return SeedDerivation.mix(counter)
    }

    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

/// The UTF-8 bytes of an ASCII fixture, so malformed inputs read as text in the tests.
func ascii(_ text: String) -> [UInt8] {
    Array(text.utf8)
}
