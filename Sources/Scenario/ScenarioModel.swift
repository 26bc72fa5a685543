import BitTorrent
import Incentives
import SimKernel
import SimNet
import Storage
import Strategies

/// A validated scenario (docs/scenarios.md), in exact units: times as `SimTime`, sizes in bytes,
/// rates in bits per second, random durations as `Distribution`s in seconds.
public struct Scenario: Sendable, Equatable {
    public var name: String
    public var seed: UInt64
    public var duration: SimTime
    public var replications: Int
    public var sampleInterval: SimTime
    /// The tier whose defaults `protocolSettings` started from (recorded in the manifest).
    public var fidelity: Fidelity
    /// The one torrent; in a catalogue, only its piece size (shared by every torrent) is used.
    public var torrent: TorrentSpec
    /// Many torrents instead of one (`catalog:`); nil for the one-`torrent:` form.
    public var catalog: CatalogSpec?
    public var network: NetworkSpec
    public var protocolSettings: ProtocolSettings
    public var peers: [PeerGroup]
    public var incentives: IncentivesSpec
    /// The BTFS storage market (`storage:`); nil when the scenario has none.
    public var storage: StorageSettings?
    public var variants: [Variant]
    /// The axes of a `sweep:` grid; empty for a list of points or no sweep.
    public var sweep: [SweepAxis]
    /// The points of a `sweep:` given as a list (linked keys); empty for a grid.
    public var sweepList: [[Override]]
    /// The point (1-based) the others are compared with, pair by pair (`sweep: {reference: N}`).
    public var sweepReference: Int?
    /// The text and overrides this scenario was parsed from, so that variants and sweep
    /// points can be derived by re-parsing with more overrides; nil when built in code.
    public var source: ScenarioSource?

    public init(
        name: String, seed: UInt64 = 1, duration: SimTime, replications: Int = 1,
        sampleInterval: SimTime = .seconds(10), fidelity: Fidelity = .block, torrent: TorrentSpec,
        catalog: CatalogSpec? = nil, network: NetworkSpec = NetworkSpec(),
        protocolSettings: ProtocolSettings = ProtocolSettings(), peers: [PeerGroup],
        incentives: IncentivesSpec = IncentivesSpec(), storage: StorageSettings? = nil, variants: [Variant] = [],
        sweep: [SweepAxis] = [], sweepList: [[Override]] = [], sweepReference: Int? = nil,
        source: ScenarioSource? = nil
    ) {
        self.name = name
        self.seed = seed
        self.duration = duration
        self.replications = replications
        self.sampleInterval = sampleInterval
        self.fidelity = fidelity
        self.torrent = torrent
        self.catalog = catalog
        self.network = network
        self.protocolSettings = protocolSettings
        self.peers = peers
        self.incentives = incentives
        self.storage = storage
        self.variants = variants
        self.sweep = sweep
        self.sweepList = sweepList
        self.sweepReference = sweepReference
        self.source = source
    }
}

/// The YAML text of a scenario and the overrides applied to it, in order.
public struct ScenarioSource: Sendable, Equatable {
    /// The file name used in error messages; relative paths inside the scenario (empirical
    /// distributions) are resolved against its folder.
    public var file: String
    public var text: String
    public var overrides: [Override]

    public init(file: String, text: String, overrides: [Override] = []) {
        self.file = file
        self.text = text
        self.overrides = overrides
    }
}

public struct TorrentSpec: Sendable, Equatable {
    public static let defaultPieceSize = 262_144

    public var sizeBytes: Int64
    public var pieceSizeBytes: Int

    public init(sizeBytes: Int64, pieceSizeBytes: Int = TorrentSpec.defaultPieceSize) {
        self.sizeBytes = sizeBytes
        self.pieceSizeBytes = pieceSizeBytes
    }
}

public struct NetworkSpec: Sendable, Equatable {
    /// One-way latency of each host, drawn once per host, in seconds.
    public var latency: Distribution
    /// Who pays for control time on a busy link (the fidelity tier's default unless set).
    public var controlOverlap: ControlOverlap

    public init(
        latency: Distribution = .uniform(min: 0.010, max: 0.100), controlOverlap: ControlOverlap = .delaysCurrent
    ) {
        self.latency = latency
        self.controlOverlap = controlOverlap
    }
}

/// A group of peers that arrive, behave and leave alike.
public struct PeerGroup: Sendable, Equatable {
    public var name: String
    /// Number of peers for `at` arrivals; an optional cap for `poisson` and `decaying`.
    public var count: Int?
    public var arrival: Arrival
    public var hasFile: Bool
    public var bandwidth: Bandwidth
    /// Time from arrival until the peer gives up if it has not completed; nil: never.
    public var abort: Distribution?
    public var seeding: Seeding
    /// Keep seeding past `seeding` while earnings beat a private cost; nil: leave then.
    public var rationalSeeding: RationalSeeding?
    /// How its peers trade (`StrategyRegistry`).
    public var strategy: StrategyDefinition
    public var wallet: WalletSpec
    /// Overrides `incentives.budget` for this group.
    public var budget: TokenAmount?
    /// The group's own protocol settings: the scenario-wide block with the group's
    /// `protocol:` keys applied, resolved when parsed; nil when it has none.
    public var protocolSettings: ProtocolSettings?
    /// Set for a catalogue's users: each arrival is one user who downloads several
    /// torrents with one host and one wallet; nil for a group of peers per torrent.
    public var downloads: UserDownloads?
    /// Set for publishers that come and go: online for `on`, then offline for `off`, over
    /// and over while their seeding time lasts; nil: online until they leave.
    public var uptime: Uptime?
    /// Peer identities per user (docs/scenarios.md, "Sybil requesters"): each arrival is
    /// one user behind this many peers in the swarm, sharing a host, a balance and pieces.
    public var identities: Int
    /// Leechers per farmer (docs/scenarios.md, "Self-dealing farms"): each arrival is a
    /// seed with this many leechers of its own, each with its own account; 0: none.
    public var farm: Int

    public init(
        name: String, count: Int?, arrival: Arrival, hasFile: Bool = false, bandwidth: Bandwidth,
        abort: Distribution? = nil, seeding: Seeding = .forever, rationalSeeding: RationalSeeding? = nil,
        strategy: StrategyDefinition = StrategyRegistry.standard, wallet: WalletSpec = WalletSpec(),
        budget: TokenAmount? = nil,
        protocolSettings: ProtocolSettings? = nil, downloads: UserDownloads? = nil, uptime: Uptime? = nil,
        identities: Int = 1, farm: Int = 0
    ) {
        self.identities = identities
        self.farm = farm
        self.protocolSettings = protocolSettings
        self.downloads = downloads
        self.uptime = uptime
        self.name = name
        self.count = count
        self.arrival = arrival
        self.hasFile = hasFile
        self.bandwidth = bandwidth
        self.abort = abort
        self.seeding = seeding
        self.rationalSeeding = rationalSeeding
        self.strategy = strategy
        self.wallet = wallet
        self.budget = budget
    }
}

public enum Arrival: Sendable, Equatable {
    /// All `count` peers arrive at this time.
    case at(SimTime)
    /// A Poisson process of `ratePerSecond` until `until` (nil: until the run ends).
    case poisson(ratePerSecond: Double, until: SimTime?)
    /// A Poisson process of rate λ0·e^(−t/τ) (Guo et al.), until `until` if given.
    case decaying(initialRatePerSecond: Double, tau: SimTime, until: SimTime?)
}

public enum Bandwidth: Sendable, Equatable {
    case fixed(upBitsPerSecond: Double, downBitsPerSecond: Double)
    /// Each peer draws one class with probability `share`; shares sum to 1.
    case mix([BandwidthClass])
}

public struct BandwidthClass: Sendable, Equatable {
    public var share: Double
    public var upBitsPerSecond: Double
    public var downBitsPerSecond: Double

    public init(share: Double, upBitsPerSecond: Double, downBitsPerSecond: Double) {
        self.share = share
        self.upBitsPerSecond = upBitsPerSecond
        self.downBitsPerSecond = downBitsPerSecond
    }
}

/// How long a peer stays once it has the whole file.
public enum Seeding: Sendable, Equatable {
    case forever
    /// Seconds of seeding; `.constant(0)` leaves on completion.
    case duration(Distribution)
}

/// A named set of overrides, for `btsim compare`.
public struct Variant: Sendable, Equatable {
    public var name: String
    public var overrides: [Override]

    public init(name: String, overrides: [Override]) {
        self.name = name
        self.overrides = overrides
    }
}

/// One dotted-path assignment, as in `--set torrent.size=1GiB` or a variant's `set:`.
public struct Override: Sendable, Equatable {
    public var path: String
    /// The value as YAML text, parsed with the same rules as the file.
    public var value: String
    /// Where the assignment was written; errors in the value name it instead of a file line.
    public var origin: OverrideOrigin

    public init(path: String, value: String, origin: OverrideOrigin = .commandLine) {
        self.path = path
        self.value = value
        self.origin = origin
    }
}

/// Where an `Override` came from.
public enum OverrideOrigin: Sendable, Equatable {
    /// `--set PATH=VALUE` on the command line.
    case commandLine
    /// An entry of a variant's `set:`, at `line` of the scenario file.
    case variant(name: String, line: Int?)
    /// A value of a `sweep:` axis, at `line` of the scenario file.
    case sweep(line: Int?)
}

/// One axis of a `sweep:` grid: a dotted path and the values it takes.
public struct SweepAxis: Sendable, Equatable {
    public var path: String
    /// Each value as YAML text.
    public var values: [String]
    /// The line of the axis in the scenario file, for error messages.
    public var line: Int?

    public init(path: String, values: [String], line: Int? = nil) {
        self.path = path
        self.values = values
        self.line = line
    }
}
