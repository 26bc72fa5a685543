/// Why a .torrent file (or the parameters of a torrent to build) was rejected.
///
/// Keys are named as they appear in the file (`info.piece length`), so a user can find
/// the problem with any bencode viewer.
public enum MetainfoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes are not valid (canonical) bencode.
    case bencode(BencodeError)
    /// The file does not start with a dictionary.
    case notADictionary
    case missingKey(String)
    case wrongType(key: String, expected: String)
    case invalidValue(key: String, reason: String)
    /// The info dictionary has `files`: btsim handles single-file torrents only.
    case multiFileNotSupported
    /// A BitTorrent v2 (BEP 52) torrent without v1 `pieces`.
    case version2NotSupported

    public var description: String {
        switch self {
        case .bencode(let error): "torrent is not valid bencode: \(error)"
        case .notADictionary: "torrent is not a bencoded dictionary"
        case .missingKey(let key): "torrent has no '\(key)'"
        case .wrongType(let key, let expected): "torrent '\(key)' should be \(expected)"
        case .invalidValue(let key, let reason): "torrent '\(key)' is invalid: \(reason)"
        case .multiFileNotSupported: "multi-file torrents are not supported (only single-file)"
        case .version2NotSupported: "BitTorrent v2 (BEP 52) torrents without v1 piece hashes are not supported"
        }
    }
}
