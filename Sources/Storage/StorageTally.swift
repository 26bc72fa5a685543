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

    /// Time-average fraction of uploaded files that were readable.
    public var availability: Double? { uploadedFileSeconds > 0 ? readableFileSeconds / uploadedFileSeconds : nil }

    /// Fraction of uploaded files never lost.
    public var durability: Double? {
        filesUploaded > 0 ? Double(filesUploaded - filesLost) / Double(filesUploaded) : nil
    }

    /// TiB-months of file data kept (a month is 30 days).
    public var tibMonths: Double { storedByteSeconds / Double(1 << 40) / (30 * 86_400) }
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
