import Incentives
import SimKernel

/// Running counts of a storage run, kept up to date by every event, and the time
/// integrals behind availability and cost per TiB-month.
public struct StorageTally: Sendable {
    public var events = 0
    public var filesUploaded = 0
    public var failedUploads = 0
    public var filesReadable = 0
    public var filesLost = 0
    /// Shards of files not lost: on any host, and on hosts online now.
    public var shardsPresent = 0
    public var shardsOnline = 0
    public var hostsOnline = 0
    /// Bytes of files uploaded and not lost.
    public var bytesStored: Int64 = 0
    /// Shard bytes hosts hold under contract.
    public var shardBytesHeld: Int64 = 0
    public var challenges = 0
    public var renewals = 0
    public var repairs = 0
    public var repairBytes: Int64 = 0
    public var paidToHosts = TokenAmount.zero
    public var feesPaid = TokenAmount.zero
    /// ∫ readable files dt, ∫ uploaded files dt (lost ones included), ∫ stored bytes dt.
    public var readableFileSeconds = 0.0
    public var uploadedFileSeconds = 0.0
    public var storedByteSeconds = 0.0
    public var heldByteSeconds = 0.0

    /// Time-average fraction of uploaded files that were readable.
    public var availability: Double? { uploadedFileSeconds > 0 ? readableFileSeconds / uploadedFileSeconds : nil }

    /// Fraction of uploaded files never lost.
    public var durability: Double? {
        filesUploaded > 0 ? Double(filesUploaded - filesLost) / Double(filesUploaded) : nil
    }

    /// TiB-months of file data kept, and of shard data hosts held (a month is 30 days).
    public var tibMonths: Double { storedByteSeconds / Self.tibMonth }
    public var heldTiBMonths: Double { heldByteSeconds / Self.tibMonth }
    static let tibMonth = Double(1 << 40) * 30 * 86_400

    /// What renters paid (hosts' pay and chain fees) per TiB-month of file data kept.
    public var costPerTiBMonth: Double? { tibMonths > 0 ? (paidToHosts + feesPaid).btt / tibMonths : nil }

    /// What hosts earned per TiB-month of shard data they held.
    public var hostEarningsPerTiBMonth: Double? { heldTiBMonths > 0 ? paidToHosts.btt / heldTiBMonths : nil }
}

/// One row of storage.csv.
public struct StorageSample: Sendable, Equatable {
    public let time: SimTime
    public let filesStored: Int
    public let filesReadable: Int
    public let filesLost: Int
    public let shardsPresent: Int
    public let shardsOnline: Int
    public let hostsOnline: Int
    public let repairBytes: Int64
    public let paidToHosts: TokenAmount
}

extension StorageMarket {
    func sample() -> StorageSample {
        StorageSample(
            time: now, filesStored: tally.filesUploaded - tally.filesLost, filesReadable: tally.filesReadable,
            filesLost: tally.filesLost, shardsPresent: tally.shardsPresent, shardsOnline: tally.shardsOnline,
            hostsOnline: tally.hostsOnline, repairBytes: tally.repairBytes, paidToHosts: tally.paidToHosts)
    }
}

/// What a storage run leaves for the reports: the time series, every file and host, the
/// totals, and whether the tokens were conserved.
public struct StorageOutcome: Sendable {
    public let settings: StorageSettings
    /// Each renter's group name, in renter order.
    public let renterGroups: [String]
    /// Each renter's swarm peer (renters tied to a peer group), in renter order.
    public let renterPeers: [Int?]
    public let samples: [StorageSample]
    public let files: [StoredFile]
    public let hosts: [StorageHost]
    /// Each host's score at the end of the run, in host order.
    public let scores: [Double]
    public let tally: StorageTally
    public let end: SimTime
    public let tokensConserved: Bool
}

extension StorageMarket {
    /// The outcome once `finish(at:)` has run.
    public var outcome: StorageOutcome {
        StorageOutcome(
            settings: settings, renterGroups: renters.map { settings.renters[$0.group].name },
            renterPeers: renters.map(\.peer), samples: samples,
            files: files, hosts: hosts,
            scores: hosts.map { $0.score(at: now, weights: settings.scoreWeights) }, tally: tally, end: now,
            tokensConserved: bank.isConserved)
    }
}
