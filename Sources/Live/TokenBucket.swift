import NIOCore

/// A token bucket: `rate` bytes per second, at most `burst` saved up. What Live's
/// `--max-upload-rate` and `--max-download-rate` spend from. Pure arithmetic on the
/// times it is given, so it is tested without a clock.
struct TokenBucket {
    let rate: Double
    let burst: Double
    private var tokens: Double
    private var last: NIODeadline

    /// `rate` bytes per second (positive); the burst is a tenth of a second's worth, and at
    /// least two 16 KiB blocks with their headers, so one block never waits on itself.
    init(rate: Double, now: NIODeadline) {
        self.rate = rate
        burst = max(rate / 10, 2 * (16_384 + 13))
        tokens = burst
        last = now
    }

    private mutating func refill(_ now: NIODeadline) {
        let elapsed = Double((now - last).nanoseconds) / 1e9
        if elapsed > 0 {
            tokens = min(burst, tokens + elapsed * rate)
            last = now
        }
    }

    /// How long until `bytes` can be spent without going below zero (zero: now).
    mutating func delay(for bytes: Int, now: NIODeadline) -> TimeAmount {
        refill(now)
        let missing = Double(bytes) - tokens
        guard missing > 0 else { return .zero }
        return .nanoseconds(Int64((missing / rate * 1e9).rounded(.up)))
    }

    /// Spends `bytes`, going below zero if they were already received (a debt); returns
    /// how long until the balance is back to zero.
    mutating func spend(_ bytes: Int, now: NIODeadline) -> TimeAmount {
        refill(now)
        tokens -= Double(bytes)
        guard tokens < 0 else { return .zero }
        return .nanoseconds(Int64((-tokens / rate * 1e9).rounded(.up)))
    }
}
