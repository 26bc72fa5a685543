import BitTorrent
import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The torrent's content in one file on disk, read and written by block. A downloader's
/// pieces are checked against the metainfo's SHA-1 as they complete, so nothing
/// unverified is ever taken for the file.
///
/// Reads and writes are positional (pread/pwrite on one descriptor, no shared file
/// offset), so the event loop may read blocks to serve while the disk thread writes
/// arrived ones and hashes pieces (`LivePeer`); nothing else here is mutable.
public final class PieceStore: @unchecked Sendable {
    public let metainfo: Metainfo
    public let path: String
    private let descriptor: Int32

    public enum Failure: Error, CustomStringConvertible {
        case cannotOpen(String)
        case wrongSize(String, expected: Int64, actual: Int64)
        case io(String, String)

        public var description: String {
            switch self {
            case .cannotOpen(let p): "\(p): cannot open"
            case .wrongSize(let p, let e, let a): "\(p): \(a) bytes, the torrent describes \(e)"
            case .io(let p, let e): "\(p): \(e)"
            }
        }
    }

    /// Opens the complete file a seed serves; its size must match the torrent.
    public init(seeding path: String, metainfo: Metainfo) throws(Failure) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(path) }
        var info = stat()
        let size = fstat(descriptor, &info) == 0 ? Int64(info.st_size) : -1
        guard size == metainfo.length else {
            close(descriptor)
            throw .wrongSize(path, expected: metainfo.length, actual: size)
        }
        self.metainfo = metainfo
        self.path = path
        self.descriptor = descriptor
    }

    /// Creates (or truncates) the file a downloader fills, at its final size.
    public init(creating path: String, metainfo: Metainfo) throws(Failure) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotOpen(path) }
        guard ftruncate(descriptor, off_t(metainfo.length)) == 0 else {
            let reason = Self.lastError()
            close(descriptor)
            throw .io(path, reason)
        }
        self.metainfo = metainfo
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    private func offset(_ r: BlockRequest) -> off_t {
        off_t(r.piece) * off_t(metainfo.pieceLength) + off_t(r.begin)
    }

    public func read(_ r: BlockRequest) throws(Failure) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Int(r.length))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done, offset(r) + off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .io(path, n == 0 ? "unexpected end of file" : Self.lastError()) }
            done += n
        }
        return bytes
    }

    public func write(_ r: BlockRequest, _ bytes: [UInt8]) throws(Failure) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                pwrite(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done, offset(r) + off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .io(path, Self.lastError()) }
            done += n
        }
    }

    /// The piece on disk hashes to the metainfo's SHA-1.
    public func verify(piece: Int) throws(Failure) -> Bool {
        let length = metainfo.layout.length(ofPiece: piece)
        let bytes = try read(BlockRequest(piece: UInt32(piece), begin: 0, length: UInt32(length)))
        return Array(Insecure.SHA1.hash(data: bytes)) == Array(metainfo.pieceHash(piece))
    }

    public func synchronize() { _ = fsync(descriptor) }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
