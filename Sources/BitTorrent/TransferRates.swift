import SimKernel

/// Bytes moved in the current and the previous rechoke round: the choker's rate over the
/// last 20 s with 10 s rounds, without keeping per-block history.
public struct RoundCounter: Sendable {
    public private(set) var current: Int64 = 0
    public private(set) var previous: Int64 = 0

    public init() {}

    public mutating func add(_ bytes: Int) { current += Int64(bytes) }

    /// Starts a new round (called by the rechoke timer only).
    public mutating func rotate() {
        previous = current
        current = 0
    }

    /// Bytes per second over the last two rounds of length `round`.
    public func rate(round: SimTime) -> Double { Double(previous + current) / (2 * round.seconds) }
}

/// The recent rate of one transfer, measured over windows of about a second; sizes the
/// request pipeline (outstanding requests ≈ rate × `request_queue_time`).
public struct RateMeter: Sendable {
    public static let window = SimTime.seconds(1)
    private var windowStart: SimTime
    private var bytesInWindow: Int64 = 0
    public private(set) var bytesPerSecond: Double = 0

    public init(now: SimTime) { windowStart = now }

    public mutating func add(_ bytes: Int, now: SimTime) {
        let elapsed = now - windowStart
        if elapsed >= Self.window {
            bytesPerSecond = Double(bytesInWindow) / elapsed.seconds
            bytesInWindow = 0
            windowStart = now
        }
        bytesInWindow += Int64(bytes)
    }
}
