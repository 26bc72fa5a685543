/// `bittorrent`: plain tit-for-tat (BEP 3 and mainline's choker), no tokens. Everything is
/// the protocol's default.
public final class TitForTat: PeerStrategy {
    public init() {}
}
