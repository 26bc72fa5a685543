import Testing

@testable import SimNet

/// The run-length link queue gives back exactly what was queued, in order, whatever the
/// mix of sizes.
struct LinkQueueTests {
    @Test func mixedSizesComeOutInOrder() {
        var queue = LinkQueue()
        let sizes: [Int32] = [16_397, 16_397, 9_000, 9_000, 16_397, 13, 13, 16_397]
        for s in sizes { queue.append(s) }
        #expect(queue.queuedBytes == sizes.reduce(Int64(0)) { $0 + Int64($1) })
        var out: [Int32] = []
        while !queue.isEmpty { out.append(queue.removeFirst()) }
        #expect(out == sizes)
        #expect(queue.laterRuns == nil, "no storage once the sizes are equal again")
    }

    @Test func interleavedAppendsAndRemovalsKeepFIFO() {
        var queue = LinkQueue()
        var expected: [Int32] = []
        var got: [Int32] = []
        var state: UInt32 = 1
        for step in 0..<2_000 {
            state = state &* 1_664_525 &+ 1_013_904_223
            if state >> 31 == 0 || queue.isEmpty {
                let size: Int32 = step % 7 == 0 ? 100 : 16_397
                queue.append(size)
                expected.append(size)
            } else {
                got.append(queue.removeFirst())
            }
        }
        while !queue.isEmpty { got.append(queue.removeFirst()) }
        #expect(got == expected)
    }

    @Test func clearEmptiesEverything() {
        var queue = LinkQueue()
        for s: Int32 in [5, 6, 7] { queue.append(s) }
        queue.inRing = true
        queue.clear()
        #expect(queue.isEmpty && !queue.inRing && queue.queuedBytes == 0)
        queue.append(9)
        #expect(queue.removeFirst() == 9)
    }
}
