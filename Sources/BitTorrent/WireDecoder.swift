/// An incremental decoder for one peer's TCP byte stream: `append` whatever arrived,
/// then call `next()` until it returns nil (more bytes needed).
///
/// It validates everything a frame can get wrong without knowing the session's state:
/// length prefixes against a limit (checked from the header alone, before buffering the
/// payload), payload lengths per message id, bitfield size and spare bits, piece indices
/// and block sizes. Piece-layout checks of `request`s (`PieceLayout.isValid`) belong to
/// the session. After an error the decoder stays failed and rethrows it: the stream is
/// out of sync and the connection must be dropped.
///
/// `append` takes whatever it is given; a driver that reads faster than it decodes
/// should watch `bufferedByteCount`. Consumed bytes are skipped by advancing a read index; the buffer is compacted only
/// when the consumed prefix is large and at least half the buffer, so each byte is moved
/// at most a constant number of times.
public struct WireDecoder {
    /// Enough for a bitfield of `Metainfo.maxPieceCount` pieces and any BEP 10 message
    /// btsim cares about.
    public static let defaultMaxMessageLength = 1 << 20
    /// Consumed bytes beyond which `append` considers compacting.
    static let compactionThreshold = 1 << 16

    public let pieceCount: Int
    public let maxBlockLength: Int
    /// The largest length prefix accepted. Never below what a bitfield of `pieceCount`
    /// needs, so a large torrent cannot be made undecodable by a small limit.
    public let maxMessageLength: Int

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var failure: WireError?

    public init(
        pieceCount: Int, maxBlockLength: Int = PieceLayout.standardBlockLength,
        maxMessageLength: Int = WireDecoder.defaultMaxMessageLength
    ) {
        precondition(pieceCount >= 0 && maxBlockLength > 0 && maxMessageLength > 0, "invalid decoder limits")
        self.pieceCount = pieceCount
        self.maxBlockLength = maxBlockLength
        self.maxMessageLength = max(maxMessageLength, 1 + (pieceCount + 7) / 8, 9 + maxBlockLength)
    }

    /// Bytes received but not yet decoded.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Bytes held, decoded or not: lets tests check that compaction bounds memory.
    var storedByteCount: Int { buffer.count }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex >= WireDecoder.compactionThreshold && readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The peer's handshake, the first 68 bytes of a connection; nil until all have
    /// arrived. Throws as soon as the bytes so far cannot start a BitTorrent handshake.
    public mutating func nextHandshake() throws(WireError) -> Handshake? {
        try guarded { (decoder: inout WireDecoder) throws(WireError) -> Handshake? in
            try Handshake.checkPrefix(decoder.buffer[decoder.readIndex...])
            guard decoder.bufferedByteCount >= Handshake.wireSize else { return nil }
            let end = decoder.readIndex + Handshake.wireSize
            let handshake = try Handshake(decoding: decoder.buffer[decoder.readIndex..<end])
            decoder.readIndex = end
            return handshake
        }
    }

    /// The next complete message, or nil when more bytes are needed.
    public mutating func next() throws(WireError) -> WireMessage? {
        try guarded { (decoder: inout WireDecoder) throws(WireError) -> WireMessage? in try decoder.decodeFrame() }
    }

    /// Runs `body`, remembering its first error so every later call fails the same way.
    private mutating func guarded<T>(
        _ body: (inout WireDecoder) throws(WireError) -> T?
    ) throws(WireError) -> T? {
        if let failure { throw failure }
        do throws(WireError) {
            return try body(&self)
        } catch {
            failure = error
            throw error
        }
    }

    // MARK: - Frames

    private mutating func decodeFrame() throws(WireError) -> WireMessage? {
        guard bufferedByteCount >= 4 else { return nil }
        let length = readUInt32(at: readIndex)
        if length == 0 {
            readIndex += 4
            return .keepAlive
        }
        guard Int(length) <= maxMessageLength else { throw .messageTooLong(length: length, limit: maxMessageLength) }
        guard bufferedByteCount >= 5 else { return nil }
        let id = buffer[readIndex + 4]
        try checkLength(id: id, length: length)
        guard bufferedByteCount >= 4 + Int(length) else { return nil }
        let payload = readIndex + 5..<readIndex + 4 + Int(length)
        let message = try parse(id: id, payload: payload)
        readIndex = payload.upperBound
        return message
    }

    /// Rejects a length that cannot be right for `id`, from the 5-byte header alone, so
    /// a bogus frame fails before its payload is awaited.
    private func checkLength(id: UInt8, length: UInt32) throws(WireError) {
        let payloadLength = Int(length) - 1
        switch id {
        case WireMessageID.choke, WireMessageID.unchoke, WireMessageID.interested, WireMessageID.notInterested,
            WireMessageID.haveAll, WireMessageID.haveNone:
            guard payloadLength == 0 else { throw .wrongLength(id: id, length: length) }
        case WireMessageID.have, WireMessageID.suggest, WireMessageID.allowedFast:
            guard payloadLength == 4 else { throw .wrongLength(id: id, length: length) }
        case WireMessageID.bitfield:
            guard payloadLength == (pieceCount + 7) / 8 else {
                throw .wrongBitfieldLength(byteCount: payloadLength, pieceCount: pieceCount)
            }
        case WireMessageID.request, WireMessageID.cancel, WireMessageID.rejectRequest:
            guard payloadLength == 12 else { throw .wrongLength(id: id, length: length) }
        case WireMessageID.piece:
            guard payloadLength >= 8 else { throw .wrongLength(id: id, length: length) }
            guard payloadLength - 8 <= maxBlockLength else {
                throw .blockTooLarge(length: payloadLength - 8, limit: maxBlockLength)
            }
        case WireMessageID.extended:
            guard payloadLength >= 1 else { throw .wrongLength(id: id, length: length) }
        default:
            break
        }
    }

    /// Builds the message from a complete payload whose length `checkLength` accepted.
    private func parse(id: UInt8, payload: Range<Int>) throws(WireError) -> WireMessage {
        let start = payload.lowerBound
        switch id {
        case WireMessageID.choke: return .choke
        case WireMessageID.unchoke: return .unchoke
        case WireMessageID.interested: return .interested
        case WireMessageID.notInterested: return .notInterested
        case WireMessageID.have:
            return .have(piece: try pieceIndex(at: start))
        case WireMessageID.bitfield:
            guard let bitfield = Bitfield(bytes: buffer[payload], count: pieceCount) else {
                throw .bitfieldSpareBitsSet
            }
            return .bitfield(bitfield)
        case WireMessageID.request:
            return .request(try blockRequest(at: start))
        case WireMessageID.cancel:
            return .cancel(try blockRequest(at: start))
        case WireMessageID.piece:
            let piece = try pieceIndex(at: start)
            let block = BlockRequest(
                piece: piece, begin: readUInt32(at: start + 4), length: UInt32(payload.count - 8))
            return .piece(block, .bytes(Array(buffer[start + 8..<payload.upperBound])))
        case WireMessageID.extended:
            return .extended(id: buffer[start], payload: Array(buffer[start + 1..<payload.upperBound]))
        case WireMessageID.haveAll: return .haveAll
        case WireMessageID.haveNone: return .haveNone
        case WireMessageID.rejectRequest:
            // Unchecked: a reject names one of our requests, or is ignored.
            return .rejectRequest(
                BlockRequest(
                    piece: readUInt32(at: start), begin: readUInt32(at: start + 4), length: readUInt32(at: start + 8)))
        case WireMessageID.suggest: return .suggest(piece: readUInt32(at: start))
        case WireMessageID.allowedFast: return .allowedFast(piece: readUInt32(at: start))
        default:
            return .unknown(id: id, length: UInt32(payload.count))
        }
    }

    private func blockRequest(at offset: Int) throws(WireError) -> BlockRequest {
        BlockRequest(
            piece: try pieceIndex(at: offset), begin: readUInt32(at: offset + 4), length: readUInt32(at: offset + 8))
    }

    private func pieceIndex(at offset: Int) throws(WireError) -> UInt32 {
        let piece = readUInt32(at: offset)
        guard Int(piece) < pieceCount else { throw .pieceIndexOutOfRange(piece: piece, pieceCount: pieceCount) }
        return piece
    }

    /// Big-endian; callers have checked that four bytes are buffered.
    private func readUInt32(at offset: Int) -> UInt32 {
        UInt32(buffer[offset]) << 24 | UInt32(buffer[offset + 1]) << 16 | UInt32(buffer[offset + 2]) << 8
            | UInt32(buffer[offset + 3])
    }
}
