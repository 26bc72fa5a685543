/// `bittorrent`: plain tit-for-tat (BEP 3 and mainline's choker), no tokens. Everything is
/// the protocol's default.
public final class TitForTat: PeerStrategy {
    private let handshake: ExtensionHandshake?

    /// `extensionHandshake`: what to announce over BEP 10 (Live sends its client name, as
    /// real clients expect); nil in the simulator, where it would only add traffic.
    public init(extensionHandshake: ExtensionHandshake? = nil) { handshake = extensionHandshake }

    public func extensionHandshake(client: TorrentClient) -> ExtensionHandshake? { handshake }
}
