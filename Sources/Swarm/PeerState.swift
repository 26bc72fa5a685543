import BitTorrent
import DequeModule
import Incentives
import SimKernel
import SimNet
import Speed

/// The simulator's side of one virtual peer: its client, its host, and how its
/// connections map to links.
struct PeerState {
    let client: TorrentClient
    let host: HostID
    let group: Int
    /// The swarm it is in (`Simulation.swarms`).
    let torrent: Int32
    var online = true
    /// The link this peer sends on, per client connection slot, with the connection it
    /// belongs to (a slot's later connection has another generation).
    var outLinks: [(connection: ConnectionID, link: LinkID)?] = []
    var record: PeerRecord
    /// When this peer began seeding (arrival for publishers, completion otherwise).
    var seedingSince: SimTime?
    /// Drawn at arrival so the draw does not depend on when the download completes.
    let seedingDuration: SimTime?
    /// The peer's side of the Speed market, when its strategy trades there: the driver
    /// settles its channels at the end and withdraws its earnings when it leaves.
    let trader: (any SpeedTrader)?
    /// A rational seeder's private cost of seeding, BTT per hour.
    let seedingCost: Double?
    /// The peer rents storage: its balance stays on the ledger when it leaves, to pay
    /// its contracts.
    var rentsStorage = false
    /// A rational seeder's earnings so far at each review (and at seeding start), for
    /// the earnings rate over the review window.
    var earningsMarks: Deque<(time: SimTime, earned: TokenAmount)> = []
    /// Set for a publisher that comes and goes (`uptime`): which session this is.
    var session: PublisherSession?
    /// Set for one of a Sybil user's identities: its user's index in `Simulation.sybils`.
    var sybil: Int32?

    mutating func setLink(_ link: LinkID, for connection: ConnectionID) {
        let i = Int(connection.slot)
        if i >= outLinks.count { outLinks.append(contentsOf: repeatElement(nil, count: i + 1 - outLinks.count)) }
        outLinks[i] = (connection, link)
    }

    mutating func removeLink(for connection: ConnectionID) {
        if link(connection) != nil { outLinks[Int(connection.slot)] = nil }
    }

    /// The link of `connection`, or nil when that connection is closed.
    func link(_ connection: ConnectionID) -> LinkID? {
        let i = Int(connection.slot)
        guard i < outLinks.count, let entry = outLinks[i], entry.connection == connection else { return nil }
        return entry.link
    }
}

/// What travels on a link's control channel, in order.
enum ControlFrame {
    /// Boxed, so that the frequent messages do not pay for the rare handshake's size.
    indirect case handshake(Handshake)
    case message(WireMessage)
}

/// The two ends of a link, and the payloads in transit on it. The network only tracks
/// sizes; since each channel delivers in order, the payload is the front of its FIFO.
struct LinkEnds {
    var sender: Int32
    var senderSlot: ConnectionID
    var receiver: Int32
    var receiverSlot: ConnectionID
    var control = InlineFIFO<ControlFrame>()
    var data = InlineFIFO<BlockRequest>()
}
