/// Which pieces a peer has, one bit per piece, packed into 64-bit words.
///
/// Piece `i` is bit `63 - i % 64` of word `i / 64`, so the words read in the same order
/// as BEP 3's bitfield bytes (high bit of the first byte is piece 0).
public struct Bitfield: Hashable, Sendable {
    public private(set) var words: [UInt64]
    public let count: Int
    /// Number of set bits, kept up to date so "is this a seed" is O(1).
    public private(set) var setCount: Int = 0

    public init(count: Int, allSet: Bool = false) {
        precondition(count >= 0, "a bitfield cannot have a negative size")
        self.count = count
        words = Array(repeating: 0, count: (count + 63) / 64)
        if allSet {
            for i in words.indices { words[i] = ~0 }
            clearSpareBits()
            setCount = count
        }
    }

    /// Builds a bitfield from BEP 3 bytes; nil when the length is wrong or a spare bit at
    /// the end is set (both are protocol violations a peer must be dropped for).
    public init?(bytes: some Collection<UInt8>, count: Int) {
        guard bytes.count == (count + 7) / 8 else { return nil }
        self.init(count: count)
        for (i, byte) in bytes.enumerated() {
            words[i / 8] |= UInt64(byte) << (56 - 8 * UInt64(i % 8))
        }
        let before = words
        clearSpareBits()
        guard before == words else { return nil }
        setCount = words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// The BEP 3 encoding: ceil(count / 8) bytes, spare bits zero.
    public var bytes: [UInt8] {
        (0..<(count + 7) / 8).map { i in UInt8(truncatingIfNeeded: words[i / 8] >> (56 - 8 * UInt64(i % 8))) }
    }

    @inlinable public var isEmpty: Bool { setCount == 0 }
    @inlinable public var isFull: Bool { setCount == count }

    @inlinable
    public subscript(index: Int) -> Bool {
        words[index >> 6] & (1 << (63 - UInt64(index & 63))) != 0
    }

    /// Sets bit `index`; returns false when it was already set.
    @discardableResult
    public mutating func insert(_ index: Int) -> Bool {
        precondition(index >= 0 && index < count, "piece index \(index) out of range 0..<\(count)")
        let mask: UInt64 = 1 << (63 - UInt64(index & 63))
        if words[index >> 6] & mask != 0 { return false }
        words[index >> 6] |= mask
        setCount += 1
        return true
    }

    /// Clears bit `index`; returns false when it was not set.
    @discardableResult
    public mutating func remove(_ index: Int) -> Bool {
        precondition(index >= 0 && index < count, "piece index \(index) out of range 0..<\(count)")
        let mask: UInt64 = 1 << (63 - UInt64(index & 63))
        if words[index >> 6] & mask == 0 { return false }
        words[index >> 6] &= ~mask
        setCount -= 1
        return true
    }

    /// The set indices in increasing order.
    public var indices: [Int] {
        var out: [Int] = []
        out.reserveCapacity(setCount)
        forEachSet { out.append($0) }
        return out
    }

    /// Calls `body` for each set index in increasing order, without allocating.
    @inlinable
    public func forEachSet(_ body: (Int) -> Void) {
        for (w, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                let lead = bits.leadingZeroBitCount
                body(w * 64 + lead)
                bits &= ~(UInt64(1) << (63 - UInt64(lead)))
            }
        }
    }

    /// Number of pieces set here and clear in `other`: what a peer with this bitfield
    /// could give one with `other`.
    public func countMissing(from other: Bitfield) -> Int {
        precondition(count == other.count, "bitfields of different torrents")
        var n = 0
        for i in words.indices { n += (words[i] & ~other.words[i]).nonzeroBitCount }
        return n
    }

    private mutating func clearSpareBits() {
        let spare = words.count * 64 - count
        if spare > 0 { words[words.count - 1] &= ~UInt64(0) << UInt64(spare) }
    }
}
