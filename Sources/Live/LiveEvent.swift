import BitTorrent

/// One thing a live peer did, as its observer sees it: what a trace of the peer's
/// decisions needs (docs/live.md, "Watching a peer decide"), so a test or a user can
/// check over real TCP that rechoke rounds, optimistic unchokes and announces happen when
/// the simulator says they do.
///
/// Every event of one client call carries the same `t`, the time the client was given
/// for that call: events with equal `t` are one decision (a rechoke round and the
/// chokes and unchokes it sent, in that order).
public struct LiveEvent: Sendable, Equatable, CustomStringConvertible {
    /// What happened: the client's own trace kinds, the same in the simulator.
    public typealias Kind = PeerEventKind

    /// Seconds since the peer was created.
    public var t: Double
    public var kind: Kind
    /// The remote end of the connection the event is about (`ip:port`), if any.
    public var peer: PeerAddress?

    public init(t: Double, kind: Kind, peer: PeerAddress? = nil) {
        self.t = t
        self.kind = kind
        self.peer = peer
    }

    public var description: String { "\(t) \(kind.rawValue)" + (peer.map { " \($0)" } ?? "") }

    /// The event as one line of JSON, what `btsim live … --events FILE` writes:
    /// `{"t":12.345678,"event":"unchoke","peer":"127.0.0.1:51234"}` (no `peer` when the
    /// event is about no connection). Nothing in it needs escaping.
    public var jsonLine: String {
        let seconds = (t * 1e6).rounded() / 1e6
        return "{\"t\":\(seconds),\"event\":\"\(kind.rawValue)\"" + (peer.map { ",\"peer\":\"\($0)\"" } ?? "") + "}\n"
    }
}
