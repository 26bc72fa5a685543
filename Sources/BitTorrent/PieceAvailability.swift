/// How many connected peers have each piece, with the pieces we still need kept sorted by
/// that count, so that rarest-first is a scan from the front.
///
/// libtorrent's layout: one array of needed pieces ordered by availability, and for each
/// availability level the index where its bucket starts. A `have` moves a piece to the
/// edge of its bucket and shifts one boundary: O(1), which is what keeps have-message
/// fan-out cheap in large swarms. Removing a piece we completed walks it up through the
/// buckets above it: O(levels) once per piece.
public struct PieceAvailability: Sendable {
    /// Peers having each piece, including pieces we already have.
    public private(set) var counts: [UInt16]
    /// Needed pieces, ascending by availability.
    @usableFromInline private(set) var order: [Int32]
    /// Index of each piece in `order`, or -1 once we have it.
    @usableFromInline private(set) var position: [Int32]
    /// `bucketStart[a]` is the first index in `order` with availability ≥ a; the last
    /// entry is `order.count`.
    @usableFromInline private(set) var bucketStart: [Int32]

    /// Every piece starts with availability 0; those in `have` are not needed.
    public init(pieceCount: Int, have: Bitfield) {
        counts = Array(repeating: 0, count: pieceCount)
        position = Array(repeating: -1, count: pieceCount)
        order = []
        order.reserveCapacity(pieceCount - have.setCount)
        for piece in 0..<pieceCount where !have[piece] {
            position[piece] = Int32(order.count)
            order.append(Int32(piece))
        }
        bucketStart = [0, Int32(order.count)]
    }

    /// Pieces still needed.
    public var neededCount: Int { order.count }

    /// The availability levels that currently exist (buckets may be empty).
    @usableFromInline var levelCount: Int { bucketStart.count - 1 }

    /// The needed pieces at availability `level`, as a range of `order`.
    @usableFromInline
    func bucket(_ level: Int) -> Range<Int> { Int(bucketStart[level])..<Int(bucketStart[level + 1]) }

    public mutating func increment(_ piece: Int) {
        let level = Int(counts[piece])
        precondition(level < Int(UInt16.max), "availability overflow")
        counts[piece] += 1
        guard position[piece] >= 0 else { return }
        if level + 1 >= levelCount { bucketStart.append(Int32(order.count)) }
        let last = Int(bucketStart[level + 1]) - 1
        swapOrder(Int(position[piece]), last)
        bucketStart[level + 1] -= 1
    }

    public mutating func decrement(_ piece: Int) {
        let level = Int(counts[piece])
        precondition(level > 0, "availability of piece \(piece) would go negative")
        counts[piece] -= 1
        guard position[piece] >= 0 else { return }
        let first = Int(bucketStart[level])
        swapOrder(Int(position[piece]), first)
        bucketStart[level] += 1
    }

    /// Drops a piece we now have from the needed order.
    public mutating func remove(_ piece: Int) {
        guard position[piece] >= 0 else { return }
        var level = Int(counts[piece])
        while level + 1 < levelCount {
            let last = Int(bucketStart[level + 1]) - 1
            swapOrder(Int(position[piece]), last)
            bucketStart[level + 1] -= 1
            level += 1
        }
        swapOrder(Int(position[piece]), order.count - 1)
        order.removeLast()
        bucketStart[levelCount] = Int32(order.count)
        position[piece] = -1
    }

    /// Puts a piece back among the needed ones (its data failed the hash check): the
    /// reverse of `remove`, entering at the top and walking down to its level.
    public mutating func restore(_ piece: Int) {
        guard position[piece] < 0 else { return }
        let level = Int(counts[piece])
        while level + 1 > levelCount { bucketStart.append(Int32(order.count)) }
        order.append(Int32(piece))
        position[piece] = Int32(order.count - 1)
        bucketStart[levelCount] = Int32(order.count)
        var l = levelCount - 1
        while l > level {
            swapOrder(Int(position[piece]), Int(bucketStart[l]))
            bucketStart[l] += 1
            l -= 1
        }
    }

    public func isNeeded(_ piece: Int) -> Bool { position[piece] >= 0 }

    /// The needed piece at `index` of the ordering.
    @inlinable func piece(at index: Int) -> Int { Int(order[index]) }

    private mutating func swapOrder(_ i: Int, _ j: Int) {
        guard i != j else { return }
        let a = order[i]
        let b = order[j]
        order[i] = b
        order[j] = a
        position[Int(b)] = Int32(i)
        position[Int(a)] = Int32(j)
    }

    /// Checks the ordering invariants; for tests and debug builds.
    public func isConsistent() -> Bool {
        guard bucketStart.first == 0, bucketStart.last == Int32(order.count) else { return false }
        for level in 0..<levelCount {
            guard bucketStart[level] <= bucketStart[level + 1] else { return false }
            for i in bucket(level) where Int(counts[Int(order[i])]) != level { return false }
        }
        for (i, p) in order.enumerated() where position[Int(p)] != Int32(i) { return false }
        return position.filter { $0 >= 0 }.count == order.count
    }
}
