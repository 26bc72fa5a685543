/// Up to `capacity` pieces announced to one connection at once: the simulator's internal
/// form of that many back-to-back `have` messages (`protocol.have_batch`,
/// docs/model.md, "Fidelity tiers").
///
/// The pieces are stored inline so that a batch fits in a `WireMessage` (24 bytes) and
/// sending one allocates nothing; a client with more pieces to announce sends several.
/// On the wire a batch is exactly its `have` messages, one after another, and it is
/// charged as them: coalescing saves events, not bytes.
public struct HaveBatch: Hashable, Sendable {
    public static let capacity = 5
    /// Piece indices are below `Metainfo.maxPieceCount` (2^21): 16 low bits each in
    /// `low`, 5 high bits each in `high`. Fifteen bytes in all: any more and the enum
    /// would grow past 24 bytes (checked by a test).
    static let pieceBits = 21

    private var high: UInt32 = 0
    private var low: (UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0)
    private var storedCount: UInt8 = 0

    public init() {}

    /// The batch of `pieces`, which must hold at most `capacity` (checked: callers are
    /// the client and tests, never input).
    public init(_ pieces: some Sequence<UInt32>) {
        for piece in pieces {
            let added = append(piece)
            precondition(added, "a have batch holds at most \(HaveBatch.capacity) pieces")
        }
    }

    public var count: Int { Int(storedCount) }
    public var isEmpty: Bool { storedCount == 0 }
    public var isFull: Bool { count == Self.capacity }
    public var first: UInt32? { isEmpty ? nil : piece(at: 0) }

    /// Adds `piece`; false (and unchanged) when the batch is full. Unused bits stay zero,
    /// so two batches of the same pieces are equal.
    @discardableResult
    public mutating func append(_ piece: UInt32) -> Bool {
        precondition(piece < 1 << Self.pieceBits, "piece \(piece) is beyond any torrent's piece count")
        guard !isFull else { return false }
        let part = UInt16(truncatingIfNeeded: piece)
        switch storedCount {
        case 0: low.0 = part
        case 1: low.1 = part
        case 2: low.2 = part
        case 3: low.3 = part
        default: low.4 = part
        }
        high |= (piece >> 16) << (5 * UInt32(storedCount))
        storedCount += 1
        return true
    }

    /// The `index`th piece added (`index < count`).
    func piece(at index: Int) -> UInt32 {
        let part: UInt16
        switch index {
        case 0: part = low.0
        case 1: part = low.1
        case 2: part = low.2
        case 3: part = low.3
        default: part = low.4
        }
        return UInt32(part) | ((high >> (5 * UInt32(index))) & 0x1F) << 16
    }

    /// The pieces, in the order they were added.
    public var pieces: [UInt32] { (0..<count).map(piece(at:)) }

    /// Calls `body` with each piece in order, without building an array.
    public func forEach(_ body: (UInt32) throws -> Void) rethrows {
        for index in 0..<count { try body(piece(at: index)) }
    }

    public static func == (a: HaveBatch, b: HaveBatch) -> Bool {
        a.high == b.high && a.storedCount == b.storedCount && a.low.0 == b.low.0 && a.low.1 == b.low.1
            && a.low.2 == b.low.2 && a.low.3 == b.low.3 && a.low.4 == b.low.4
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(high)
        hasher.combine(storedCount)
        forEach { hasher.combine($0) }
    }
}
