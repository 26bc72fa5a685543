import Incentives
import SimKernel

/// One host's state in a run: what it offers, whether it is online, and what it holds.
public struct StorageHost: Sendable {
    public let id: Int
    public let group: Int
    public let capacityBytes: Int64
    /// µBTT per GiB per day.
    public let price: Double
    public let version: Double
    public let joined: SimTime
    let account: AccountID
    public internal(set) var usedBytes: Int64 = 0
    public internal(set) var online: Bool
    public internal(set) var departed: SimTime?
    /// Online time accumulated up to `since` (the last change of state).
    var onlineSeconds = 0.0
    var since: SimTime
    public internal(set) var passed = 0
    public internal(set) var failed = 0
    /// Contracts ever signed, and those running now.
    public internal(set) var contractsSigned = 0
    var activeContracts: Set<Int> = []
    public internal(set) var earned = TokenAmount.zero

    /// Fraction of its time since joining (until `now` or its departure) spent online.
    public func uptimeFraction(at now: SimTime) -> Double {
        let end = departed.map { min($0, now) } ?? now
        let total = (end - joined).seconds
        guard total > 0 else { return online ? 1 : 0 }
        let current = online && departed == nil ? (end - since).seconds : 0
        return min(1, (onlineSeconds + current) / total)
    }

    func score(at now: SimTime, weights: HostScoreWeights) -> Double {
        HostScore.score(
            uptimeFraction: uptimeFraction(at: now), ageSeconds: (now - joined).seconds, version: version,
            passed: passed, failed: failed, weights: weights)
    }

    /// Records a change of online state at `now`.
    mutating func setOnline(_ value: Bool, at now: SimTime) {
        if online { onlineSeconds += (now - since).seconds }
        online = value
        since = now
    }
}
