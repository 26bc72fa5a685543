import SimKernel

/// The protocol's tunables: the scenario's `protocol:` block (docs/scenarios.md).
///
/// Policy is data: every timing and limit the client uses comes from here, with the
/// defaults of mainline BitTorrent and libtorrent, so a scenario can vary any of them.
public struct ProtocolSettings: Sendable, Equatable {
    /// Regular (tit-for-tat) upload slots; one optimistic slot comes on top.
    public var unchokeSlots = 4
    public var rechokeInterval = SimTime.seconds(10)
    public var optimisticInterval = SimTime.seconds(30)
    /// A peer that has sent us no block for this long, while we want its data, is
    /// snubbing us and loses its regular slot.
    public var snubTimeout = SimTime.seconds(60)
    /// Requests a peer leaves unanswered this long (a BEP 6 choke that never rejects
    /// them, or an unchoke that never delivers) are withdrawn and asked elsewhere
    /// (libtorrent's `request_timeout`). Checked at each rechoke round.
    public var requestTimeout = SimTime.seconds(60)
    public var maxConnections = 80
    /// Below this many connections a peer asks the tracker for more (rate-limited by
    /// `minAnnounceInterval`).
    public var minConnections = 20
    public var numwant = 50
    public var announceInterval = SimTime.minutes(30)
    public var minAnnounceInterval = SimTime.minutes(1)
    /// Outstanding requests per connection ≈ observed rate × this (at least 32 KiB: two
    /// 16 KiB blocks, one larger block).
    public var requestQueueTime = SimTime.seconds(3)
    public var endGame = true
    /// Offer BEP 6, the Fast extension (on by default in libtorrent, Transmission and
    /// aria2): `have all`/`have none` instead of a bitfield, and a `reject` for every
    /// request we will not serve. Used on a connection only when both ends offer it.
    public var fastExtension = true
    public var piecePicker: PiecePickerPolicy = .rarestFirst
    /// Pieces picked at random before rarest-first takes over (libtorrent's
    /// `initial_picker_threshold`): a newcomer needs something to trade quickly.
    public var randomFirstPieces = 4
    /// The unit of `request` and `piece` messages. 16 KiB is what every client sends
    /// (libtorrent's `block_size`); `fidelity: piece` makes it 64 KiB, so a 256 KiB piece
    /// takes four requests and four messages (docs/model.md, "Fidelity tiers"). The piece
    /// size must be a multiple of it.
    public var blockLength = PieceLayout.standardBlockLength
    /// `have`s to a peer we choke that is interested in us wait up to this long, from the
    /// first piece completed in the window, and go out together (one `.haves` message);
    /// other peers get each at once. Zero sends every `have` at once, as BEP 3 clients do.
    public var haveBatch = SimTime.zero

    public init() {}
}

/// Which piece a downloader asks for next.
public enum PiecePickerPolicy: String, Sendable, CaseIterable {
    case rarestFirst = "rarest-first"
    case random
    case sequential
}
