import SimKernel
import Swarm

extension RunResult {
    /// The mean download time in seconds of a group's peers that completed; nil when none
    /// did. For directions between groups of one run, where every peer of both groups
    /// completes (a case that could censor downloads says so and checks completion).
    func meanDownload(group: String) -> Double? {
        let times = peers.filter { $0.group == group }.compactMap { p in p.completed.map { ($0 - p.joined).seconds } }
        return times.isEmpty ? nil : times.reduce(0, +) / Double(times.count)
    }

    /// The share of a group's peers that completed; nil for an empty group.
    func completion(group: String) -> Double? {
        let members = peers.filter { $0.group == group }
        guard !members.isEmpty else { return nil }
        return Double(members.filter { $0.completed != nil }.count) / Double(members.count)
    }
}
