import Foundation
import Speed

#if canImport(Glibc)
    import Glibc
#endif

/// A Speed ledger shared by Live peers in different processes (`--ledger FILE`): one
/// JSON file with the market's state and the names of its accounts.
///
/// Each change is written to a temporary file and renamed over the ledger, so a reader
/// never sees half a write; changes hold an flock(2) on `FILE.lock` from load to save,
/// so two processes never interleave one. A load that finds the file as last seen
/// (same inode, size and modification time) decodes nothing.
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

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private struct Contents: Codable {
        var accounts: [String]
        var market: MarketState
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
            accounts = contents.accounts
            seen = current
            return contents.market
        } catch {
            report(Failure(description: "\(path): no longer a btsim ledger (\(error))"))
            return nil
        }
    }

    public func save(_ state: MarketState) {
        let temporary = path + ".new"
        do {
            let data = try JSONEncoder().encode(Contents(accounts: accounts, market: state))
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
