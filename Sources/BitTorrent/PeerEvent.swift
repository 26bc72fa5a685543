/// One thing a peer did, as a trace of its decisions shows it (docs/live.md, "Watching a
/// peer decide"): what `btsim live … --events FILE` and `btsim run … --trace-peers` write,
/// one JSON line each, so one peer's behaviour can be compared between the two worlds.
///
/// Every event of one client call carries the same `t`, the time the client was given
/// for that call: events with equal `t` are one decision (a rechoke round and the
/// chokes and unchokes it sent, in that order).
public struct PeerEvent: Sendable, Equatable, CustomStringConvertible {
    /// Seconds since the peer started (a Live peer was created, a simulated one arrived).
    public var t: Double
    public var kind: PeerEventKind
    /// The remote end of the connection the event is about (`ip:port`), if any.
    public var peer: PeerAddress?

    public init(t: Double, kind: PeerEventKind, peer: PeerAddress? = nil) {
        self.t = t
        self.kind = kind
        self.peer = peer
    }

    public var description: String { "\(t) \(kind.rawValue)" + (peer.map { " \($0)" } ?? "") }

    /// The event as one line of JSON:
    /// `{"t":12.345678,"event":"unchoke","peer":"127.0.0.1:51234"}` (no `peer` when the
    /// event is about no connection). Nothing in it needs escaping.
    public var jsonLine: String {
        let seconds = (t * 1e6).rounded() / 1e6
        return "{\"t\":\(seconds),\"event\":\"\(kind.rawValue)\"" + (peer.map { ",\"peer\":\"\($0)\"" } ?? "") + "}\n"
    }
}
