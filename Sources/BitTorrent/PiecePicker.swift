import SimKernel

/// Decides which blocks to request from a peer, and tracks every block we need.
///
/// Policy (libtorrent's): finish pieces already started first, lowest block first (strict
/// priority within a piece, so pieces complete and can be shared early); start a new piece
/// at random for the first few pieces (a newcomer needs something to trade quickly), then
/// by the configured policy — rarest first by default, ties broken at random; once every
/// needed block has been requested, end game: request outstanding blocks from other peers
/// too, and cancel the duplicates when one arrives.
public struct PiecePicker: Sendable {
    public let layout: PieceLayout
    public let policy: PiecePickerPolicy
    public let randomFirstPieces: Int
    public let endGameEnabled: Bool
    public private(set) var have: Bitfield
    public private(set) var availability: PieceAvailability
    /// Per block: 0 free, 1 or 2 requested from that many peers, 255 received.
    private var blockState: [UInt8]
    private var receivedBlocks: [UInt16]
    /// Pieces with at least one block requested or received, not yet complete.
    private var started: Bitfield
    /// The started pieces, in the order they were started.
    public private(set) var partialPieces: [Int32] = []
    /// Blocks of needed pieces that nobody has been asked for.
    public private(set) var unrequestedBlocks: Int

    private static let received: UInt8 = 255
    /// End game asks for a busy block from one more peer at most (libtorrent's strict end
    /// game): every duplicate already handed to a sender's transport is sent anyway, so
    /// more copies waste the downlink.
    private static let endGameRequestsPerBlock: UInt8 = 2

    public init(layout: PieceLayout, have: Bitfield, settings: ProtocolSettings) {
        precondition(have.count == layout.pieceCount, "bitfield size must match the torrent")
        self.layout = layout
        policy = settings.piecePicker
        randomFirstPieces = settings.randomFirstPieces
        endGameEnabled = settings.endGame
        self.have = have
        availability = PieceAvailability(pieceCount: layout.pieceCount, have: have)
        blockState = Array(repeating: 0, count: layout.pieceCount * layout.blocksPerPiece)
        receivedBlocks = Array(repeating: 0, count: layout.pieceCount)
        started = Bitfield(count: layout.pieceCount)
        unrequestedBlocks = 0
        for piece in 0..<layout.pieceCount {
            if have[piece] {
                receivedBlocks[piece] = UInt16(layout.blockCount(ofPiece: piece))
                for b in 0..<layout.blockCount(ofPiece: piece) { blockState[blockIndex(piece, b)] = Self.received }
            } else {
                unrequestedBlocks += layout.blockCount(ofPiece: piece)
            }
        }
    }

    public var isComplete: Bool { have.isFull }
    /// True once every needed block has been requested at least once.
    public var inEndGame: Bool { endGameEnabled && unrequestedBlocks == 0 && !have.isFull }

    // MARK: availability

    public mutating func peerHas(_ piece: Int) { availability.increment(piece) }
    public mutating func peerLost(_ piece: Int) { availability.decrement(piece) }
    public mutating func peerHas(_ pieces: Bitfield) { pieces.forEachSet { availability.increment($0) } }
    public mutating func peerLost(_ pieces: Bitfield) { pieces.forEachSet { availability.decrement($0) } }

    // MARK: requests

    /// Appends up to `limit` new requests for blocks `remote` has, marking them requested.
    /// `outstanding` are the requests already sent on this connection (never duplicated).
    public mutating func pick(
        from remote: Bitfield, limit: Int, outstanding: some Collection<BlockRequest>, random: some RandomSource,
        into requests: inout [BlockRequest]
    ) {
        var wanted = limit
        guard wanted > 0, !have.isFull else { return }
        wanted -= continuePartialPieces(from: remote, limit: wanted, into: &requests)
        while wanted > 0, let piece = newPiece(from: remote, random: random) {
            started.insert(piece)
            partialPieces.append(Int32(piece))
            wanted -= requestFree(in: piece, limit: wanted, into: &requests)
        }
        if wanted > 0 && inEndGame {
            endGame(from: remote, limit: wanted, outstanding: outstanding, into: &requests)
        }
    }

    /// A request was withdrawn (choke, disconnect, cancel): its block is free again
    /// unless another peer was asked too or it already arrived.
    public mutating func cancelled(_ request: BlockRequest) {
        let i = blockIndex(request)
        let state = blockState[i]
        guard state != Self.received, state > 0 else { return }
        blockState[i] = state - 1
        if state == 1 { unrequestedBlocks += 1 }
    }

    /// Another identity of our user, downloading into the same storage, asked a peer for
    /// this block (docs/model.md, "Sybil requesters"): it counts as requested, as if we had
    /// asked, and its piece as started, so that we ask for the piece's other blocks but not
    /// for this one before end game. `cancelled` undoes it and `received` completes it.
    public mutating func claimedElsewhere(_ request: BlockRequest) {
        let piece = Int(request.piece)
        let i = blockIndex(request)
        // Below the received mark: at most 2 claims per identity, and 64 identities.
        guard !have[piece], blockState[i] < Self.received - 1 else { return }
        if blockState[i] == 0 { unrequestedBlocks -= 1 }
        blockState[i] += 1
        if !started[piece] {
            started.insert(piece)
            partialPieces.append(Int32(piece))
        }
    }

    /// How many peers we asked for this block (0 once received).
    public func requestCount(_ request: BlockRequest) -> Int {
        let state = blockState[blockIndex(request)]
        return state == Self.received ? 0 : Int(state)
    }

    /// The block is still missing, so `received` would count it rather than call it a
    /// duplicate, whichever connection it came on. The caller has checked it is a valid
    /// block of this torrent.
    public func needs(_ request: BlockRequest) -> Bool {
        !have[Int(request.piece)] && blockState[blockIndex(request)] != Self.received
    }

    /// Records an arrived block. The caller has checked it is a valid block of this torrent.
    public mutating func received(_ request: BlockRequest) -> BlockReceipt {
        guard needs(request) else { return .duplicate }
        let piece = Int(request.piece)
        let i = blockIndex(request)
        let state = blockState[i]
        if state == 0 { unrequestedBlocks -= 1 }
        if !started[piece] {
            started.insert(piece)
            partialPieces.append(Int32(piece))
        }
        blockState[i] = Self.received
        receivedBlocks[piece] += 1
        guard Int(receivedBlocks[piece]) == layout.blockCount(ofPiece: piece) else { return .block }
        // Not ours until `verified`: a piece being hashed is neither requested nor shared.
        started.remove(piece)
        availability.remove(piece)
        if let k = partialPieces.firstIndex(of: Int32(piece)) { partialPieces.remove(at: k) }
        return .pieceCompleted(piece)
    }

    /// A completed piece passed its hash check (at once in the simulator, whose content is
    /// virtual): it is ours to share.
    public mutating func verified(_ piece: Int) {
        guard isAwaitingCheck(piece) else { return }
        have.insert(piece)
    }

    /// A completed piece failed its hash check: forget its blocks, so that they are
    /// needed and requested again.
    public mutating func discard(_ piece: Int) {
        guard isAwaitingCheck(piece) else { return }
        let blocks = layout.blockCount(ofPiece: piece)
        for b in 0..<blocks { blockState[blockIndex(piece, b)] = 0 }
        receivedBlocks[piece] = 0
        unrequestedBlocks += blocks
        availability.restore(piece)
    }

    /// Every block is here and the piece is not yet verified.
    public func isAwaitingCheck(_ piece: Int) -> Bool {
        piece >= 0 && piece < layout.pieceCount && !have[piece]
            && Int(receivedBlocks[piece]) == layout.blockCount(ofPiece: piece)
    }

    // MARK: private

    private func blockIndex(_ piece: Int, _ block: Int) -> Int { piece * layout.blocksPerPiece + block }
    private func blockIndex(_ r: BlockRequest) -> Int {
        blockIndex(Int(r.piece), Int(r.begin) / layout.blockLength)
    }

    private mutating func continuePartialPieces(
        from remote: Bitfield, limit: Int, into requests: inout [BlockRequest]
    ) -> Int {
        var added = 0
        for piece in partialPieces where remote[Int(piece)] {
            added += requestFree(in: Int(piece), limit: limit - added, into: &requests)
            if added == limit { break }
        }
        return added
    }

    /// Requests free blocks of `piece`, lowest first.
    private mutating func requestFree(in piece: Int, limit: Int, into requests: inout [BlockRequest]) -> Int {
        var added = 0
        let base = blockIndex(piece, 0)
        for block in 0..<layout.blockCount(ofPiece: piece) where added < limit && blockState[base + block] == 0 {
            blockState[base + block] = 1
            unrequestedBlocks -= 1
            requests.append(layout.request(piece: piece, block: block))
            added += 1
        }
        return added
    }

    /// A needed piece `remote` has that nobody has started.
    private func newPiece(from remote: Bitfield, random: some RandomSource) -> Int? {
        let usable = { (p: Int) in remote[p] && !started[p] }
        if have.setCount < randomFirstPieces { return randomPiece(usable, random: random) }
        switch policy {
        case .rarestFirst: return rarestPiece(usable, random: random)
        case .random: return randomPiece(usable, random: random)
        case .sequential:
            for p in 0..<layout.pieceCount where !have[p] && !isAwaitingCheck(p) && usable(p) { return p }
            return nil
        }
    }

    /// Scans availability buckets from the rarest, each from one random offset.
    private func rarestPiece(_ usable: (Int) -> Bool, random: some RandomSource) -> Int? {
        let offset = random.integer(below: 1 << 30)
        for level in 1..<max(1, availability.levelCount) {
            let range = availability.bucket(level)
            guard !range.isEmpty else { continue }
            let start = offset % range.count
            for k in 0..<range.count {
                let piece = availability.piece(at: range.lowerBound + (start + k) % range.count)
                if usable(piece) { return piece }
            }
        }
        return nil
    }

    private func randomPiece(_ usable: (Int) -> Bool, random: some RandomSource) -> Int? {
        let n = availability.neededCount
        guard n > 0 else { return nil }
        let start = random.integer(below: n)
        for k in 0..<n {
            let piece = availability.piece(at: (start + k) % n)
            if usable(piece) { return piece }
        }
        return nil
    }

    private mutating func endGame(
        from remote: Bitfield, limit: Int, outstanding: some Collection<BlockRequest>,
        into requests: inout [BlockRequest]
    ) {
        var added = 0
        for piece in partialPieces where remote[Int(piece)] {
            let p = Int(piece)
            for block in 0..<layout.blockCount(ofPiece: p) {
                let i = blockIndex(p, block)
                guard blockState[i] != Self.received, blockState[i] < Self.endGameRequestsPerBlock else { continue }
                let request = layout.request(piece: p, block: block)
                // Never twice on one connection, counting what this call already asked for.
                guard !outstanding.contains(request), !requests.contains(request) else { continue }
                blockState[i] += 1
                requests.append(request)
                added += 1
                if added == limit { return }
            }
        }
    }
}

/// What an arrived block meant.
public enum BlockReceipt: Equatable, Sendable {
    /// We had it already (end game, or a late block after a cancel): wasted bandwidth.
    case duplicate
    case block
    /// The block completed this piece: every block is here, and once `verified` it is ours
    /// to share (`discard` if its hash check fails).
    case pieceCompleted(Int)
}
