import Foundation
import Speed

#if canImport(Glibc)
    import Glibc
#endif

/// A Speed ledger shared by Live peers in different processes (`--ledger FILE`): `FILE`,
/// a JSON snapshot of the live market (balances, open channels, pending transactions)
/// and the names of its accounts, and `FILE.history`, the payment and settlement logs as
/// JSON lines that are only ever appended.
///
/// A change appends what it added to the history (nothing, for a voucher), then writes
/// the snapshot to a temporary file renamed over the ledger, so a reader never sees half
/// a write; the snapshot says how many history bytes belong to it, so a line a crashed
/// writer left behind is ignored and then cut off. A change therefore costs what the live
/// market holds, not the whole history (a voucher on a market with 1,000 settled
/// channels took about 100 ms when the snapshot held the logs). Changes hold an flock(2)
/// on `FILE.lock` from load to save, so two processes never interleave one. A load that
/// finds the snapshot as last seen (same inode, size and modification time) decodes
/// nothing, and otherwise reads only the history appended since.
///
/// The file is input like any other: one that turns unreadable (another program wrote
/// over it) or unwritable (a full disk) mid-run is reported through `onFailure`, never a
/// trap. The market then keeps its last good state, which no other process sees, so the
/// command-line peer stops on the first failure (docs/live.md).
public final class LedgerFile: MarketStore {
    public let path: String
    /// Called with each load or save that failed; the last one is also kept.
    public var onFailure: (@Sendable (Failure) -> Void)?
    public private(set) var lastFailure: Failure?
    /// Account names; the position of a name is its peer number in the market.
    public private(set) var accounts: [String] = []
    private let lockDescriptor: Int32
    private var lockDepth = 0
    private var seen: FileIdentity?
    /// The history as far as this process has read or written it, and where that ends.
    private var history = MarketHistory()
    private var historyBytes: Int64 = 0
    private var historyPath: String { path + ".history" }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private struct Contents: Codable {
        var accounts: [String]
        /// Without its history, except in a ledger written before the history file.
        var market: MarketState
        /// How much of the history file belongs to this snapshot; nil in older ledgers.
        var history: HistoryMark?
    }

    private struct HistoryMark: Codable {
        var count: MarketHistory.Count
        var bytes: Int64
    }

    private struct FileIdentity: Equatable {
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    /// Opens the ledger at `path` (it need not exist yet: the first change creates it).
    /// Throws when the lock file cannot be made or an existing file is not a ledger.
    public init(path: String) throws(Failure) {
        self.path = path
        lockDescriptor = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lockDescriptor >= 0 else {
            throw Failure(description: "\(path).lock: \(String(cString: strerror(errno)))")
        }
        if FileManager.default.fileExists(atPath: path) {
            do { _ = try read() } catch { throw Failure(description: "\(path): not a btsim ledger (\(error))") }
        }
    }

    deinit { close(lockDescriptor) }

    /// The peer number of an account, if the ledger has it.
    public func peer(named name: String) -> Int? { accounts.firstIndex(of: name) }

    /// Adds a named account and returns its peer number; the market's `join` (in the same
    /// `exclusively` call) then opens it and saves both.
    public func addAccount(named name: String) -> Int {
        accounts.append(name)
        return accounts.count - 1
    }

    public func load() -> MarketState? {
        let current = identity()
        guard current != nil, current != seen else { return nil }
        do {
            let contents = try read()
            var market = contents.market
            if let mark = contents.history {
                try catchUp(to: mark)
                market.restore(history)
            } else {
                // An older ledger holds its history inline; the next save moves it out.
                history = MarketHistory()
                historyBytes = 0
            }
            accounts = contents.accounts
            seen = current
            return market
        } catch {
            report(Failure(description: "\(path): no longer a btsim ledger (\(error))"))
            return nil
        }
    }

    public func save(_ state: MarketState) {
        let temporary = path + ".new"
        do {
            guard let (present, appended) = state.split(after: history.count) else {
                throw Failure(description: "the market holds less history than the ledger")
            }
            try append(appended)
            let mark = HistoryMark(count: history.count, bytes: historyBytes)
            let data = try JSONEncoder().encode(Contents(accounts: accounts, market: present, history: mark))
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else {
                throw Failure(description: "rename: \(String(cString: strerror(errno)))")
            }
        } catch {
            report(Failure(description: "\(path): cannot save the ledger (\(error))"))
            return
        }
        seen = identity()
    }

    private func report(_ failure: Failure) {
        lastFailure = failure
        onFailure?(failure)
    }

    public func exclusively<T>(_ body: () -> T) -> T {
        if lockDepth == 0 { flock(lockDescriptor, LOCK_EX) }
        lockDepth += 1
        defer {
            lockDepth -= 1
            if lockDepth == 0 { flock(lockDescriptor, LOCK_UN) }
        }
        return body()
    }

    /// Reads the history lines other processes appended, up to the snapshot's mark.
    private func catchUp(to mark: HistoryMark) throws {
        if mark.bytes < historyBytes {
            // Not a later state of what we read: start over.
            history = MarketHistory()
            historyBytes = 0
        }
        guard mark.bytes > historyBytes else { return }
        guard let handle = FileHandle(forReadingAtPath: historyPath) else {
            throw Failure(description: "\(historyPath): cannot open")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(historyBytes))
        let wanted = Int(mark.bytes - historyBytes)
        let data = try handle.read(upToCount: wanted) ?? Data()
        guard data.count == wanted else { throw Failure(description: "\(historyPath): shorter than the ledger says") }
        for line in data.split(separator: UInt8(ascii: "\n")) {
            history.append(try JSONDecoder().decode(MarketHistory.self, from: line))
        }
        historyBytes = mark.bytes
        guard history.count == mark.count else {
            throw Failure(description: "\(historyPath): does not hold the history the ledger counts")
        }
    }

    /// Appends one line (when there is anything new), after cutting off whatever a writer
    /// that never renamed its snapshot left past our mark.
    private func append(_ appended: MarketHistory) throws {
        guard !appended.isEmpty || historyBytes == 0 else { return }
        let descriptor = open(historyPath, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(description: "\(historyPath): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard ftruncate(descriptor, off_t(historyBytes)) == 0 else {
            throw Failure(description: "\(historyPath): \(String(cString: strerror(errno)))")
        }
        guard !appended.isEmpty else { return }
        var line = Array(try JSONEncoder().encode(appended))
        line.append(UInt8(ascii: "\n"))
        let written = line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(historyBytes)) }
        guard written == line.count else {
            throw Failure(
                description: "\(historyPath): \(written < 0 ? String(cString: strerror(errno)) : "short write")")
        }
        history.append(appended)
        historyBytes += Int64(line.count)
    }

    private func read() throws -> Contents {
        try JSONDecoder().decode(Contents.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func identity() -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(
            inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}
