import SimKernel

/// Scenarios that are valid but cannot mean what their author probably meant: `btsim
/// check` prints these after "ok" (docs/scenarios.md, "Warnings").
extension Scenario {
    public var warnings: [String] {
        var found: [String] = []
        if !peers.isEmpty && !peers.contains(where: { $0.hasFile && $0.canArrive(before: duration) }) {
            found.append(
                "no peer group with `has_file: true` arrives before `duration`: the swarm can never hold a full copy, so every run counts it as dead at 0"
            )
        }
        return found
    }
}

extension PeerGroup {
    /// Whether a peer of this group can arrive before `end`.
    func canArrive(before end: SimTime) -> Bool {
        guard count != 0 else { return false }
        return switch arrival {
        case .at(let t): t < end
        case .poisson, .decaying: true
        }
    }
}
