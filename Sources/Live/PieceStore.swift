import BitTorrent
import Crypto
import Foundation

/// The torrent's content in one file on disk, read and written by block. A downloader's
/// pieces are checked against the metainfo's SHA-1 as they complete, so nothing
/// unverified is ever taken for the file.
public final class PieceStore {
    public let metainfo: Metainfo
    public let path: String
    private let handle: FileHandle

    public enum Failure: Error, CustomStringConvertible {
        case cannotOpen(String)
        case wrongSize(String, expected: Int64, actual: Int64)
        case io(String, Error)

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
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .cannotOpen(path) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? -1
        guard size == metainfo.length else { throw .wrongSize(path, expected: metainfo.length, actual: size) }
        self.metainfo = metainfo
        self.path = path
        self.handle = handle
    }

    /// Creates (or truncates) the file a downloader fills, at its final size.
    public init(creating path: String, metainfo: Metainfo) throws(Failure) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forUpdatingAtPath: path)
        else { throw .cannotOpen(path) }
        do { try handle.truncate(atOffset: UInt64(metainfo.length)) } catch { throw .io(path, error) }
        self.metainfo = metainfo
        self.path = path
        self.handle = handle
    }

    deinit { try? handle.close() }

    private func offset(_ r: BlockRequest) -> UInt64 {
        UInt64(r.piece) * UInt64(metainfo.pieceLength) + UInt64(r.begin)
    }

    public func read(_ r: BlockRequest) throws(Failure) -> [UInt8] {
        do {
            try handle.seek(toOffset: offset(r))
            let data = try handle.read(upToCount: Int(r.length)) ?? Data()
            return Array(data)
        } catch {
            throw .io(path, error)
        }
    }

    public func write(_ r: BlockRequest, _ bytes: [UInt8]) throws(Failure) {
        do {
            try handle.seek(toOffset: offset(r))
            try handle.write(contentsOf: bytes)
        } catch {
            throw .io(path, error)
        }
    }

    /// The piece on disk hashes to the metainfo's SHA-1.
    public func verify(piece: Int) throws(Failure) -> Bool {
        let length = metainfo.layout.length(ofPiece: piece)
        let bytes = try read(BlockRequest(piece: UInt32(piece), begin: 0, length: UInt32(length)))
        return Array(Insecure.SHA1.hash(data: bytes)) == Array(metainfo.pieceHash(piece))
    }

    public func synchronize() { try? handle.synchronize() }
}
