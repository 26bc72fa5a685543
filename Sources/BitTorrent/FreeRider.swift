/// `freerider`: downloads like anyone but never unchokes, so it never uploads (and, in a
/// Speed swarm, never bids or pays). It still gets optimistic unchokes and spare slots.
public final class FreeRider: PeerStrategy {
    public init() {}
    public var uploads: Bool { false }
}
