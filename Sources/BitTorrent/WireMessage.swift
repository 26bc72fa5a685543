/// A BEP 3 peer-wire message, after the handshake.
///
/// The simulator queues millions of these, so the enum is kept to 24 bytes (checked by a
/// test): the rare `bitfield` case is boxed (`indirect`) because `Bitfield`'s three words
/// would otherwise add a tag byte to every message and push the stride to 32.
public enum WireMessage: Hashable, Sendable {
    case keepAlive
    case choke
    case unchoke
    case interested
    case notInterested
    case have(piece: UInt32)
    /// Several `have`s to one connection, coalesced over `protocol.have_batch`: never
    /// decoded, encoded and charged as that many `have` messages (`HaveBatch`).
    case haves(HaveBatch)
    indirect case bitfield(Bitfield)
    case request(BlockRequest)
    /// A block; its length is the request's `length`. In the simulator the payload is
    /// `.virtual`; in Live it is `.bytes` of exactly that length.
    case piece(BlockRequest, BlockPayload)
    case cancel(BlockRequest)
    /// A BEP 10 extension message: `id` is the extended message id (0 is the extension
    /// handshake) and `payload` everything after it, usually a bencoded dictionary,
    /// possibly followed by raw data.
    case extended(id: UInt8, payload: [UInt8])
    /// BEP 6 (the Fast extension): the sender has every piece, or none; either replaces
    /// a bitfield.
    case haveAll
    case haveNone
    /// BEP 6: the sender will not serve this request (every request gets exactly one
    /// piece or reject once both ends speak the Fast extension).
    case rejectRequest(BlockRequest)
    /// BEP 6 hints, decoded without a range check (a receiver ignores one it cannot use).
    case suggest(piece: UInt32)
    case allowedFast(piece: UInt32)
    /// A message btsim does not implement (`port`, ...), skipped by the decoder. `length`
    /// is the number of payload bytes after the id.
    case unknown(id: UInt8, length: UInt32)
}

/// The data of a `piece` message.
public enum BlockPayload: Hashable, Sendable {
    /// The simulator moves no bytes: the block's content is defined to be zeros, which is
    /// also what `encode` writes for it.
    case virtual
    case bytes([UInt8])
}

/// The one-byte message ids of BEP 3 and BEP 10.
enum WireMessageID {
    static let choke: UInt8 = 0
    static let unchoke: UInt8 = 1
    static let interested: UInt8 = 2
    static let notInterested: UInt8 = 3
    static let have: UInt8 = 4
    static let bitfield: UInt8 = 5
    static let request: UInt8 = 6
    static let piece: UInt8 = 7
    static let cancel: UInt8 = 8
    static let suggest: UInt8 = 0x0D
    static let haveAll: UInt8 = 0x0E
    static let haveNone: UInt8 = 0x0F
    static let rejectRequest: UInt8 = 0x10
    static let allowedFast: UInt8 = 0x11
    static let extended: UInt8 = 20
}

extension WireMessage {
    /// The message id on the wire; nil for keep-alive, which has none.
    public var id: UInt8? {
        switch self {
        case .keepAlive: nil
        case .choke: WireMessageID.choke
        case .unchoke: WireMessageID.unchoke
        case .interested: WireMessageID.interested
        case .notInterested: WireMessageID.notInterested
        case .have, .haves: WireMessageID.have
        case .bitfield: WireMessageID.bitfield
        case .request: WireMessageID.request
        case .piece: WireMessageID.piece
        case .cancel: WireMessageID.cancel
        case .extended: WireMessageID.extended
        case .haveAll: WireMessageID.haveAll
        case .haveNone: WireMessageID.haveNone
        case .rejectRequest: WireMessageID.rejectRequest
        case .suggest: WireMessageID.suggest
        case .allowedFast: WireMessageID.allowedFast
        case .unknown(let id, _): id
        }
    }

    /// The exact encoded size including the 4-byte length prefix, computed without
    /// encoding: the simulator charges links by it for every message it never encodes.
    public var wireSize: Int {
        switch self {
        case .keepAlive: 4
        case .choke, .unchoke, .interested, .notInterested, .haveAll, .haveNone: 5
        case .have, .suggest, .allowedFast: 9
        case .haves(let batch): 9 * batch.count
        case .bitfield(let bitfield): 5 + (bitfield.count + 7) / 8
        case .request, .cancel, .rejectRequest: 17
        case .piece(let request, _): 13 + Int(request.length)
        case .extended(_, let payload): 6 + payload.count
        case .unknown(_, let length): 5 + Int(length)
        }
    }

    /// True only for `piece`: the messages that carry content, which the transport queues
    /// behind control messages and counts as transferred data.
    public var isData: Bool {
        if case .piece = self { return true }
        return false
    }
}
