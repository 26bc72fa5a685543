/// The geometry of a torrent's content: pieces of `pieceLength` bytes (the last one
/// shorter), split into blocks of 16 KiB, the unit of `request` and `piece` messages.
public struct PieceLayout: Hashable, Sendable {
    public static let standardBlockLength = 16_384

    public let totalLength: Int64
    public let pieceLength: Int
    public let blockLength: Int
    public let pieceCount: Int
    public let blocksPerPiece: Int

    /// `pieceLength` must be a positive multiple of `blockLength`.
    public init(totalLength: Int64, pieceLength: Int, blockLength: Int = PieceLayout.standardBlockLength) {
        precondition(totalLength > 0 && pieceLength > 0 && blockLength > 0, "sizes must be positive")
        precondition(pieceLength % blockLength == 0, "piece length must be a multiple of the block length")
        self.totalLength = totalLength
        self.pieceLength = pieceLength
        self.blockLength = blockLength
        pieceCount = Int((totalLength + Int64(pieceLength) - 1) / Int64(pieceLength))
        blocksPerPiece = pieceLength / blockLength
    }

    public func length(ofPiece piece: Int) -> Int {
        piece == pieceCount - 1 ? Int(totalLength - Int64(pieceLength) * Int64(pieceCount - 1)) : pieceLength
    }

    public func blockCount(ofPiece piece: Int) -> Int {
        (length(ofPiece: piece) + blockLength - 1) / blockLength
    }

    public func length(ofBlock block: Int, inPiece piece: Int) -> Int {
        min(blockLength, length(ofPiece: piece) - block * blockLength)
    }

    /// The request for block `block` of `piece`.
    public func request(piece: Int, block: Int) -> BlockRequest {
        BlockRequest(
            piece: UInt32(piece), begin: UInt32(block * blockLength),
            length: UInt32(length(ofBlock: block, inPiece: piece)))
    }

    /// True when `request` names exactly one whole block of this torrent: the only kind
    /// btsim sends, and the only kind it serves.
    public func isValid(_ request: BlockRequest) -> Bool {
        let piece = Int(request.piece)
        guard piece < pieceCount, request.begin % UInt32(blockLength) == 0 else { return false }
        let block = Int(request.begin) / blockLength
        return block < blockCount(ofPiece: piece) && Int(request.length) == length(ofBlock: block, inPiece: piece)
    }
}

/// One block of a piece, as named by `request`, `piece` and `cancel` messages.
public struct BlockRequest: Hashable, Sendable {
    public var piece: UInt32
    public var begin: UInt32
    public var length: UInt32

    public init(piece: UInt32, begin: UInt32, length: UInt32) {
        self.piece = piece
        self.begin = begin
        self.length = length
    }
}
