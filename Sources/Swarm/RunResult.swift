import Incentives
import SimKernel
import Speed
import Storage

/// What happened to one peer (a row of `peers.csv`).
public struct PeerRecord: Sendable, Equatable {
    public var peer: Int
    public var group: String
    public var strategy: String
    public var upBitsPerSecond: Double
    public var downBitsPerSecond: Double
    public var joined: SimTime
    /// When the download completed; nil if it never did. Peers that arrive with the file
    /// never "complete".
    public var completed: SimTime?
    public var left: SimTime?
    /// Payload bytes received, duplicates included, and sent.
    public var bytesDown: Int64
    public var bytesUp: Int64
    /// Time spent as a seed, up to leaving or to the end of the run.
    public var seeding: SimTime
    public var startedWithFile: Bool
    /// Settled channel payments made and received, and chain fees paid.
    public var bttSpent = TokenAmount.zero
    public var bttEarned = TokenAmount.zero
    public var bttFees = TokenAmount.zero
    /// The popularity rank of the torrent it is in (`TorrentPlan.rank`; 1 in a one-torrent run).
    public var torrent = 1
    /// The user whose download this peer is (its index among the run's users, in arrival
    /// order); nil for a group's peer.
    public var user: Int?
    /// How many peer identities this row's user ran in the swarm (`identities`, docs/model.md
    /// "Sybil requesters"): bytes and BTT are theirs together; 1 for an ordinary peer.
    public var identities = 1

    /// Earned less spent less fees.
    public var bttNet: TokenAmount { bttEarned - bttSpent - bttFees }

    public var downloadTime: SimTime? { completed.map { $0 - joined } }
}

/// One row of `timeseries.csv`.
public struct Sample: Sendable, Equatable {
    public var time: SimTime
    public var leechers: Int
    public var seeds: Int
    public var completedTotal: Int
    /// Full copies among online peers: the rarest piece's count, plus the fraction of
    /// pieces more common than it (libtorrent's definition).
    public var distributedCopies: Double
    /// Online copies of the average piece: with `distributedCopies`' rarest count, how
    /// even replication is (rarest-first keeps the two close).
    public var meanCopies: Double
    /// Payload bits delivered per second since the previous sample.
    public var throughputBitsPerSecond: Double
    /// Voucher value accepted by providers since the previous sample.
    public var bttTransferred: TokenAmount

    public var online: Int { leechers + seeds }
}

/// Everything one run produced.
public struct RunResult: Sendable {
    public var seed: UInt64
    public var peers: [PeerRecord]
    public var samples: [Sample]
    /// When the run ended: the duration, or earlier when nothing could change any more.
    public var endTime: SimTime
    public var stopReason: StopReason
    /// Set when the run stopped for `.supplyExhausted`.
    public var fundingShortfall: FundingShortfall?
    /// The scenario's duration: the horizon at which a swarm still alive is censored.
    public var horizon: SimTime
    /// The scenario's peer groups, in scenario order, with their strategies: every group
    /// has a row of groups.csv, even one nobody of arrived in.
    public var groups: [(name: String, strategy: String)]
    /// False for a scenario without peer groups (storage only): no swarm, no lifetime.
    public var hasSwarm: Bool { !groups.isEmpty }
    /// First time the online peers held a full copy between them; nil if they never did
    /// (and in a catalogue, whose torrents each have their own in `torrents`).
    public var firstAvailable: SimTime?
    /// First time after `firstAvailable` that they no longer did.
    public var swarmDeath: SimTime?
    /// How long they held a full copy in all, revivals included.
    public var availableTime: SimTime
    public var aliveAtEnd: Bool
    public var events: UInt64
    public var wallSeconds: Double
    /// The longest any downlink queue got, in time to drain it (docs/model.md, "Network": a few
    /// seconds at most; tens of seconds would mean broken flow control).
    public var maxDownlinkBacklog: SimTime
    /// The ledger and chain log (`payments.csv`); empty without Speed peers.
    public var payments: [PaymentRecord] = []
    /// Total BTT paid to providers in settled channels, and in chain fees.
    public var bttVolume = TokenAmount.zero
    public var bttFees = TokenAmount.zero
    /// The token supply was unchanged and no balance negative at the end.
    public var tokensConserved = true
    /// The storage market's outcome, when the scenario has one.
    public var storage: StorageOutcome?
    /// The traced peers' traces, in arrival order (`TraceSelection`); empty by default.
    public var traces: [PeerTrace] = []
    /// Each torrent's own outcome, in popularity order; one for the `torrent:` form. In a
    /// catalogue `samples` sum the torrents' and the swarm-wide fields above are unset.
    public var torrents: [TorrentOutcome] = []
    /// A catalogue's users, in arrival order; empty without user groups.
    public var users: [UserRecord] = []
    /// A catalogue's economy at each of `samples`' times; empty for one torrent.
    public var catalogSamples: [CatalogSample] = []

    /// More than one torrent: `torrents`, not the swarm-wide fields, describe the swarms.
    public var isCatalog: Bool { torrents.count > 1 }
}

public enum StopReason: String, Sendable {
    case duration
    /// Nobody online and no arrivals left.
    case empty
    /// An arriving peer's starting funds exceed what is left of BTT's supply: the run
    /// cannot go on as the scenario says (`RunResult.fundingShortfall` says who and when).
    case supplyExhausted
}

/// The arrival a run could not fund: its group, when, what it needed and what was left.
public struct FundingShortfall: Sendable, Equatable {
    public var group: String
    public var time: SimTime
    public var needed: TokenAmount
    public var left: TokenAmount
}

/// Reported every so often during a run, for a progress line.
public struct RunProgress: Sendable {
    public var now: SimTime
    public var duration: SimTime
    public var events: UInt64
    public var online: Int
    /// Peers that have arrived so far, and downloads completed among them: a flash crowd
    /// can be done long before `duration`, which the simulated time alone does not show.
    public var joined: Int
    public var completed: Int
    public var wallSeconds: Double
}
