import SimKernel

/// What the choker knows of one connection when it ranks them.
public struct ChokeCandidate: Sendable, Equatable {
    public var connection: ConnectionID
    /// Bytes per second over the last two rechoke rounds: received from the peer while we
    /// download (tit-for-tat), sent to it once we seed (those who take data fastest).
    public var rateBytesPerSecond: Double
    /// The peer has sent us nothing for `snub_timeout` while we want its data.
    public var isSnubbing: Bool
    /// Connected less than one optimistic interval ago: three times as likely to get the
    /// optimistic slot, so newcomers get their first pieces.
    public var isNew: Bool
    /// A fresh random number each round, so equal rates do not always favour the same peer.
    public var tieBreak: UInt32

    public init(connection: ConnectionID, rateBytesPerSecond: Double, isSnubbing: Bool, isNew: Bool, tieBreak: UInt32) {
        self.connection = connection
        self.rateBytesPerSecond = rateBytesPerSecond
        self.isSnubbing = isSnubbing
        self.isNew = isNew
        self.tieBreak = tieBreak
    }
}

/// Who gets an upload slot: pure functions over a snapshot, like libtorrent's
/// `unchoke_sort`, so the algorithm is tested without any connection.
public enum Choker {
    /// Sorts `candidates` (interested peers) best first and returns how many of the first
    /// ones get a regular slot: the `slots` fastest, never one that is snubbing us.
    public static func rankRegular(_ candidates: inout [ChokeCandidate], slots: Int) -> Int {
        candidates.sort { a, b in
            if a.isSnubbing != b.isSnubbing { return !a.isSnubbing }
            if a.rateBytesPerSecond != b.rateBytesPerSecond { return a.rateBytesPerSecond > b.rateBytesPerSecond }
            return a.tieBreak < b.tieBreak
        }
        let eligible = candidates.prefix { !$0.isSnubbing }.count
        return min(slots, eligible)
    }

    /// Picks the optimistic unchoke among `candidates` (interested peers without a regular
    /// slot), new peers weighted three to one.
    public static func pickOptimistic(_ candidates: some Collection<ChokeCandidate>, random: some RandomSource)
        -> ConnectionID?
    {
        let total = candidates.reduce(0) { $0 + ($1.isNew ? 3 : 1) }
        guard total > 0 else { return nil }
        var ticket = random.integer(below: total)
        for c in candidates {
            ticket -= c.isNew ? 3 : 1
            if ticket < 0 { return c.connection }
        }
        return nil
    }
}

/// A connection within one client: a slot index, reused after the connection closes, and
/// the slot's generation, so an action or event meant for a closed connection can never
/// reach the one that reused its slot.
public struct ConnectionID: Hashable, Sendable {
    public let slot: Int32
    public let generation: UInt32
    public init(_ slot: Int32, generation: UInt32 = 0) {
        self.slot = slot
        self.generation = generation
    }
}
