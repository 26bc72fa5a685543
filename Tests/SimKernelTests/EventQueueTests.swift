import Testing

@testable import SimKernel

@Suite struct EventQueueTests {
    @Test func popsInTimeOrder() {
        var q = EventQueue<Int>()
        let times: [Int64] = [50, 10, 40, 30, 20, 60, 0]
        for (i, t) in times.enumerated() { q.push(i, at: SimTime(nanoseconds: t)) }
        var out: [Int64] = []
        while let e = q.pop() { out.append(e.time.nanoseconds) }
        #expect(out == times.sorted())
    }

    @Test func equalTimesPopInInsertionOrder() {
        var q = EventQueue<Int>()
        for i in 0..<100 { q.push(i, at: SimTime(nanoseconds: Int64(i % 3))) }
        var out: [(Int64, Int)] = []
        while let e = q.pop() { out.append((e.time.nanoseconds, e.payload)) }
        for k in 1..<out.count {
            #expect(out[k - 1].0 <= out[k].0)
            if out[k - 1].0 == out[k].0 { #expect(out[k - 1].1 < out[k].1) }
        }
        #expect(out.count == 100)
    }

    @Test func matchesSortedOrderOnRandomInterleavings() {
        var q = EventQueue<UInt64>()
        var reference: [(Int64, UInt64)] = []
        var state: UInt64 = 7
        var popped: [(Int64, UInt64)] = []
        for step in 0..<5000 {
            state = SeedDerivation.mix(state)
            if state % 3 == 0, let e = q.pop() {
                popped.append((e.time.nanoseconds, e.payload))
                let min = reference.indices.min {
                    (reference[$0].0, reference[$0].1) < (reference[$1].0, reference[$1].1)
                }!
                #expect(reference[min].1 == e.payload)
                reference.remove(at: min)
            } else {
                let t = Int64(state % 1000)
                q.push(UInt64(step), at: SimTime(nanoseconds: t))
                reference.append((t, UInt64(step)))
            }
        }
        #expect(q.count == reference.count)
    }
}
