/// BTFS's host score: how renters rank hosts and which hosts get contracts at all. A
/// weighted sum of four parts, each in [0, 1], so the score is in [0, 1] too:
///
/// - uptime: fraction of its time since joining the host was online;
/// - age: time since joining over `fullAge` (30 days), capped at 1;
/// - version: 1 for a host on the current release, lower for older ones (a group setting);
/// - activity: fraction of its proof-of-storage challenges the host passed (1 before the
///   first challenge: a new host is not punished for having none).
public struct HostScoreWeights: Sendable, Equatable {
    public var uptime = 0.6
    public var age = 0.2
    public var version = 0.1
    public var activity = 0.1

    public init() {}

    public init(uptime: Double, age: Double, version: Double, activity: Double) {
        self.uptime = uptime
        self.age = age
        self.version = version
        self.activity = activity
    }

    public var total: Double { uptime + age + version + activity }
}

public enum HostScore {
    /// A host of this age scores full marks for age.
    public static let fullAgeSeconds = 30.0 * 86_400

    public static func score(
        uptimeFraction: Double, ageSeconds: Double, version: Double, passed: Int, failed: Int,
        weights: HostScoreWeights
    ) -> Double {
        let age = min(1, max(0, ageSeconds) / fullAgeSeconds)
        let activity = passed + failed == 0 ? 1 : Double(passed) / Double(passed + failed)
        let sum =
            weights.uptime * uptimeFraction + weights.age * age + weights.version * version + weights.activity
            * activity
        return weights.total > 0 ? sum / weights.total : 0
    }
}
