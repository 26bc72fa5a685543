import SimKernel
import Testing

@testable import BitTorrent

@Suite struct PieceAvailabilityTests {
    @Test func keepsNeededPiecesSortedUnderRandomUpdates() {
        let n = 40
        var have = Bitfield(count: n)
        var a = PieceAvailability(pieceCount: n, have: have)
        let rng = RandomStream(seed: 11)
        var reference = [Int](repeating: 0, count: n)
        for _ in 0..<5000 {
            let p = rng.integer(below: n)
            switch rng.integer(below: 10) {
            case 0..<5:
                a.increment(p)
                reference[p] += 1
            case 5..<9 where reference[p] > 0:
                a.decrement(p)
                reference[p] -= 1
            case 9 where !have[p] && rng.bernoulli(0.2):
                a.remove(p)
                have.insert(p)
            default: break
            }
            #expect(a.isConsistent())
        }
        #expect(a.counts.map(Int.init) == reference)
        #expect(a.neededCount == n - have.setCount)
        let order = (0..<a.neededCount).map { a.piece(at: $0) }
        #expect(zip(order, order.dropFirst()).allSatisfy { reference[$0] <= reference[$1] })
        #expect(order.allSatisfy { !have[$0] })
    }
}
