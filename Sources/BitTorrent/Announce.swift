/// The `event` parameter of a tracker announce (BEP 3).
public enum AnnounceEvent: String, Sendable {
    case started
    case completed
    case stopped
    /// A regular re-announce.
    case none = ""
}

public struct AnnounceRequest: Sendable, Equatable {
    public var address: PeerAddress
    public var event: AnnounceEvent
    public var numwant: Int
    /// Bytes still needed; 0 for a seed.
    public var left: Int64

    public init(address: PeerAddress, event: AnnounceEvent, numwant: Int, left: Int64) {
        self.address = address
        self.event = event
        self.numwant = numwant
        self.left = left
    }
}

public struct AnnounceResponse: Sendable, Equatable {
    public var peers: [PeerAddress]
    /// Seeds and leechers the tracker knows of.
    public var complete: Int
    public var incomplete: Int

    public init(peers: [PeerAddress], complete: Int, incomplete: Int) {
        self.peers = peers
        self.complete = complete
        self.incomplete = incomplete
    }
}
