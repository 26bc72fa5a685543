import BitTorrent

/// Which simulated peers write a trace of their decisions (`btsim run … --trace-peers`;
/// docs/live.md, "Watching a peer decide"): peer numbers as in peers.csv's `peer` column,
/// and whole groups by name. Tracing observes and never changes a run.
public struct TraceSelection: Sendable, Equatable {
    public var peers: Set<Int>
    public var groups: Set<String>
    public var everyone: Bool

    public init(peers: Set<Int> = [], groups: Set<String> = [], everyone: Bool = false) {
        self.peers = peers
        self.groups = groups
        self.everyone = everyone
    }

    /// Nobody traced.
    public static let none = TraceSelection()

    public var isEmpty: Bool { !everyone && peers.isEmpty && groups.isEmpty }

    public func selects(peer: Int, group: String) -> Bool {
        everyone || peers.contains(peer) || groups.contains(group)
    }
}

/// One simulated peer's trace: what its client reported, with `t` in seconds since the
/// peer arrived and remotes by their virtual addresses (10.x.y.z:6881), as a Live peer
/// writes its `--events` file.
public struct PeerTrace: Sendable {
    /// The peer's number, as in peers.csv.
    public var peer: Int
    public var events: [PeerEvent] = []
}

extension TraceSelection {
    /// Reads `--trace-peers`: a comma-separated list of peer numbers (`3`), ranges of
    /// them (`0-9`), group names of `groups`, or `all`. Says what is wrong with anything else.
    public static func parse(_ text: String, groups: [String]) -> Result<TraceSelection, TraceSelectionError> {
        var selection = TraceSelection()
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            if item == "all" {
                selection.everyone = true
            } else if groups.contains(item) {
                selection.groups.insert(item)
            } else if let n = Int(item), n >= 0 {
                selection.peers.insert(n)
            } else if let range = peerRange(item) {
                selection.peers.formUnion(range)
            } else {
                let known = groups.map { "\"\($0)\"" }.joined(separator: ", ")
                return .failure(
                    TraceSelectionError(
                        description:
                            "--trace-peers: \"\(item)\" is neither a peer number (3), a range of them (0-9), all, nor a group of the scenario (\(known))"
                    ))
            }
        }
        return .success(selection)
    }

    /// `A-B` with 0 ≤ A ≤ B, at most 100,000 peers (a trace per peer is a file).
    private static func peerRange(_ item: String) -> ClosedRange<Int>? {
        let ends = item.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let a = Int(ends[0]), let b = Int(ends[1]), a >= 0, a <= b, b - a < 100_000 else {
            return nil
        }
        return a...b
    }
}

public struct TraceSelectionError: Error, CustomStringConvertible {
    public let description: String
}
