import Testing

@testable import Swarm

/// A link's payload FIFO keeps first-in first-out order whether elements sit in the
/// inline front or behind it, and across emptying, clearing and refilling.
struct InlineFIFOTests {
    @Test func orderHoldsAcrossTheFrontAndTheElementsBehindIt() {
        var fifo = InlineFIFO<Int>()
        #expect(fifo.isEmpty && fifo.popFirst() == nil)
        var model: [Int] = []
        var next = 0
        // Swing between empty, one, and many, as a link's queue does.
        for burst in [1, 3, 1, 0, 5, 2, 1, 4] {
            for _ in 0..<burst {
                fifo.append(next)
                model.append(next)
                next += 1
            }
            for _ in 0..<((burst + 1) / 2) where !model.isEmpty {
                #expect(fifo.popFirst() == model.removeFirst())
            }
            #expect(fifo.isEmpty == model.isEmpty)
        }
        while let x = fifo.popFirst() { #expect(x == model.removeFirst()) }
        #expect(model.isEmpty)
    }

    @Test func removeAllEmptiesItAndItRefillsInOrder() {
        var fifo = InlineFIFO<Int>()
        for i in 0..<5 { fifo.append(i) }
        fifo.removeAll()
        #expect(fifo.isEmpty && fifo.popFirst() == nil)
        for i in 10..<13 { fifo.append(i) }
        #expect([fifo.popFirst(), fifo.popFirst(), fifo.popFirst(), fifo.popFirst()] == [10, 11, 12, nil])
    }
}
