import Crypto

/// SHA-1 of runs of zero bytes, the piece hashes of a virtual torrent (`Metainfo.virtual`).
/// The hasher's state after every `step` zero bytes is kept as it is reached, so once a
/// run's prefix has been hashed, a run of any length costs at most `step` bytes more. A
/// catalogue's torrents share a piece length and differ in their last piece: hashing
/// each from scratch took 18 % of a run of 10,000 torrents (docs/decisions.md).
public final class ZeroRunHasher {
    /// A block, so that the saved states for a 256 KiB piece number 17.
    static let step = 16 * 1024
    private var checkpoints = [Insecure.SHA1()]
    private let zeros = [UInt8](repeating: 0, count: step)

    public init() {}

    /// SHA-1 of `count` zero bytes (`count` ≥ 0).
    public func sha1(ofZeros count: Int) -> [UInt8] {
        let whole = max(count, 0) / Self.step
        while checkpoints.count <= whole {
            // Hashers are copy-on-write values: the copy leaves the saved state alone.
            var next = checkpoints[checkpoints.count - 1]
            zeros.withUnsafeBytes { next.update(bufferPointer: $0) }
            checkpoints.append(next)
        }
        var hasher = checkpoints[whole]
        zeros.withUnsafeBytes {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<(max(count, 0) % Self.step)]))
        }
        return Array(hasher.finalize())
    }
}
