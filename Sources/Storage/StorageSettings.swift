import Incentives
import SimKernel

/// A group of BTFS hosts that behave alike (`storage.hosts` in a scenario).
public struct HostGroupSpec: Sendable, Equatable {
    public var name: String
    public var count: Int
    /// Space offered, in bytes.
    public var capacityBytes: Int64
    /// Asking price in µBTT (ledger base units) per GiB per day.
    public var price: Distribution
    /// Length of each online period, in seconds.
    public var online: Distribution
    /// Length of each offline period, in seconds; `.constant(0)` for a host always online.
    public var offline: Distribution
    /// Time from joining until the host leaves for good, in seconds; nil: never.
    public var departure: Distribution?
    /// The version part of the host score (1: current release).
    public var version: Double

    public init(
        name: String, count: Int, capacityBytes: Int64, price: Distribution, online: Distribution = .constant(1),
        offline: Distribution = .constant(0), departure: Distribution? = nil, version: Double = 1
    ) {
        self.name = name
        self.count = count
        self.capacityBytes = capacityBytes
        self.price = price
        self.online = online
        self.offline = offline
        self.departure = departure
        self.version = version
    }

    /// Long-run fraction of time online.
    public var availability: Double {
        let on = online.mean
        let off = offline.mean
        return on + off > 0 ? on / (on + off) : 1
    }
}

/// A group of renters that store files alike (`storage.renters`).
public struct RenterGroupSpec: Sendable, Equatable {
    public var name: String
    /// Renters present from the start, each funded with `budget` (0 for a group tied to peers).
    public var count: Int
    /// The swarm peer group whose every peer rents as it arrives, paying from its own
    /// ledger account (what it brought and earns seeding); nil: renters of their own.
    public var peers: String?
    /// Files each renter stores.
    public var files: Int
    /// File size in bytes.
    public var fileSize: Distribution
    public var redundancy: Redundancy
    /// How long each contract runs before it is renewed or ends.
    public var contractLength: SimTime
    /// Each renter's BTT for storage.
    public var budget: TokenAmount
    /// The most a renter pays, in µBTT per GiB per day; nil: any price.
    public var maxPrice: Double?
    /// When each file is uploaded, in seconds from the renter joining (the start, or the
    /// peer's arrival).
    public var upload: Distribution

    public init(
        name: String, count: Int, files: Int, fileSize: Distribution, redundancy: Redundancy = .btfsDefault,
        contractLength: SimTime = .hours(30 * 24), budget: TokenAmount, maxPrice: Double? = nil,
        upload: Distribution = .constant(0), peers: String? = nil
    ) {
        self.name = name
        self.count = count
        self.peers = peers
        self.files = files
        self.fileSize = fileSize
        self.redundancy = redundancy
        self.contractLength = contractLength
        self.budget = budget
        self.maxPrice = maxPrice
        self.upload = upload
    }
}

/// The storage market of one run (`storage:` in a scenario).
public struct StorageSettings: Sendable, Equatable {
    public var hosts: [HostGroupSpec]
    public var renters: [RenterGroupSpec]
    /// Escrow is paid out (or refunded) once per period.
    public var payoutPeriod = SimTime.hours(24)
    /// Mean time between proof-of-storage challenges to one contract (Poisson).
    public var challengeInterval = SimTime.hours(6)
    /// Repair lost shards at all (from any `needed` online shards, onto new hosts).
    public var repair = true
    /// Repair a file once this many of its shards are lost (departed hosts, ended contracts).
    public var repairThreshold = 1
    /// Time to notice a lost shard and start its repair.
    public var repairDelay = SimTime.hours(1)
    public var scoreWeights = HostScoreWeights()
    /// Hosts scoring below this get no new contracts.
    public var minimumScore = 0.0
    public var chain = ChainSettings()
    /// Resolution of storage.csv (storage runs span days to months).
    public var sampleInterval = SimTime.hours(1)

    public init(hosts: [HostGroupSpec], renters: [RenterGroupSpec]) {
        self.hosts = hosts
        self.renters = renters
    }
}
