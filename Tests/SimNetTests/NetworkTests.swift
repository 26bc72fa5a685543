import SimKernel
import Testing

@testable import SimNet

/// A minimal driver: runs the network's own events and records what it delivers.
struct NetHarness {
    let net: Network
    var queue = EventQueue<NetEvent>()
    var pending = NetSchedule()
    var deliveries: [(time: SimTime, delivery: NetDelivery)] = []
    var now = SimTime.zero

    init(controlOverlap: ControlOverlap = .delaysCurrent) {
        net = Network(controlOverlap: controlOverlap)
    }

    mutating func flush() {
        var q = queue
        pending.drain { q.push($0.event, at: $0.time) }
        queue = q
    }

    /// The links whose data messages left their sender's uplink, in order.
    var linksThatSentData: [LinkID] {
        deliveries.compactMap { d -> LinkID? in
            if case .dataSent(let l) = d.delivery { return l }
            return nil
        }
    }

    mutating func sendData(_ link: LinkID, bytes: Int) {
        net.sendData(on: link, bytes: bytes, now: now, schedule: &pending)
        flush()
    }

    mutating func sendControl(_ link: LinkID, bytes: Int) {
        net.sendControl(on: link, bytes: bytes, now: now, schedule: &pending)
        flush()
    }

    /// Runs until `limit` (or until nothing is pending), calling `onDelivery` for each.
    mutating func run(until limit: SimTime = .never, onDelivery: (inout NetHarness, NetDelivery) -> Void = { _, _ in })
    {
        while let t = queue.nextTime, t <= limit, let e = queue.pop() {
            precondition(e.time >= now, "time went backwards")
            now = e.time
            if let d = net.handle(e.payload, now: now, schedule: &pending) {
                deliveries.append((now, d))
                flush()
                onDelivery(&self, d)
            }
            flush()
        }
    }
}

@Suite struct NetworkTests {
    let mbit = 1_000_000.0

    @Test func dataTakesUplinkPlusLatencyPlusDownlink() {
        var h = NetHarness()
        let a = h.net.addHost(upBitsPerSecond: 1 * mbit, downBitsPerSecond: 8 * mbit, latency: .milliseconds(10))
        let b = h.net.addHost(upBitsPerSecond: 1 * mbit, downBitsPerSecond: 2 * mbit, latency: .milliseconds(30))
        let link = h.net.openLink(from: a, to: b)
        h.sendData(link, bytes: 16_397)
        h.run()
        let expected =
            SimTime.transmission(bytes: 16_397, bitsPerSecond: 1 * mbit) + .milliseconds(40)
            + SimTime.transmission(bytes: 16_397, bitsPerSecond: 2 * mbit)
        #expect(h.deliveries.map(\.delivery) == [.dataSent(link), .data(link)])
        #expect(h.deliveries.last?.time == expected)
    }

    @Test func uplinkServesLinksRoundRobin() {
        var h = NetHarness()
        let a = h.net.addHost(upBitsPerSecond: mbit, downBitsPerSecond: mbit, latency: .zero)
        let b = h.net.addHost(upBitsPerSecond: mbit, downBitsPerSecond: 100 * mbit, latency: .zero)
        let c = h.net.addHost(upBitsPerSecond: mbit, downBitsPerSecond: 100 * mbit, latency: .zero)
        let ab = h.net.openLink(from: a, to: b)
        let ac = h.net.openLink(from: a, to: c)
        let busy = h.net.openLink(from: a, to: c)
        h.sendData(busy, bytes: 1000)  // occupies the uplink while the others queue
        for _ in 0..<3 { h.sendData(ab, bytes: 1000) }
        for _ in 0..<3 { h.sendData(ac, bytes: 1000) }
        h.run()
        let sent = h.linksThatSentData
        #expect(sent == [busy, ab, ac, ab, ac, ab, ac])
    }

    /// Control overtakes queued data. `delays_current`: the data message on the uplink ends
    /// later by the control time; `delays_next`: it ends on time and the next one starts
    /// later, so the second ends exactly when it would have, with one event fewer.
    @Test func controlOvertakesQueuedDataAndOneOfThemPaysForIt() {
        let data = SimTime.transmission(bytes: 10_000, bitsPerSecond: mbit)
        let control = SimTime.transmission(bytes: 17, bitsPerSecond: mbit)
        var sentTimes: [ControlOverlap: [SimTime]] = [:]
        var events: [ControlOverlap: Int] = [:]
        for overlap in ControlOverlap.allCases {
            var h = NetHarness(controlOverlap: overlap)
            let a = h.net.addHost(upBitsPerSecond: mbit, downBitsPerSecond: mbit, latency: .zero)
            let b = h.net.addHost(upBitsPerSecond: mbit, downBitsPerSecond: 100 * mbit, latency: .zero)
            let link = h.net.openLink(from: a, to: b)
            h.sendData(link, bytes: 10_000)
            h.sendData(link, bytes: 10_000)
            h.sendControl(link, bytes: 17)
            var count = 0
            while let e = h.queue.pop() {
                count += 1
                h.now = e.time
                if let d = h.net.handle(e.payload, now: h.now, schedule: &h.pending) { h.deliveries.append((h.now, d)) }
                h.flush()
            }
            #expect(h.deliveries.first?.delivery == .control(link))
            sentTimes[overlap] = h.deliveries.filter { $0.delivery == .dataSent(link) }.map(\.time)
            events[overlap] = count
        }
        #expect(sentTimes[.delaysCurrent] == [data + control, data + control + data])
        #expect(sentTimes[.delaysNext] == [data, data + control + data])
        #expect(events[.delaysNext] == events[.delaysCurrent]! - 1)
    }

    /// The downlink likewise: a control message received during a data message delays the
    /// next data message on that downlink, not the current one.
    @Test func withDelaysNextTheDownlinkChargesTheNextMessage() {
        var h = NetHarness(controlOverlap: .delaysNext)
        let a = h.net.addHost(upBitsPerSecond: 100 * mbit, downBitsPerSecond: mbit, latency: .zero)
        let b = h.net.addHost(upBitsPerSecond: 100 * mbit, downBitsPerSecond: mbit, latency: .zero)
        let ab = h.net.openLink(from: a, to: b)
        h.sendData(ab, bytes: 10_000)
        h.sendData(ab, bytes: 10_000)
        // Once the first message is on b's downlink, a control message from a arrives.
        let up = SimTime.transmission(bytes: 10_000, bitsPerSecond: 100 * mbit)
        h.run(until: up + .milliseconds(1))
        h.sendControl(ab, bytes: 500)
        h.run()
        let down = SimTime.transmission(bytes: 10_000, bitsPerSecond: mbit)
        let control = SimTime.transmission(bytes: 500, bitsPerSecond: mbit)
        let received = h.deliveries.filter { $0.delivery == .data(ab) }.map(\.time)
        #expect(received == [up + down, up + down + control + down])
    }

    @Test func controlMessagesStayInOrderOnALink() {
        var h = NetHarness()
        let a = h.net.addHost(upBitsPerSecond: mbit, downBitsPerSecond: mbit, latency: .zero)
        let b = h.net.addHost(upBitsPerSecond: 100 * mbit, downBitsPerSecond: 0.1 * mbit, latency: .zero)
        let link = h.net.openLink(from: a, to: b)
        h.sendControl(link, bytes: 5000)
        h.sendControl(link, bytes: 9)
        h.run()
        #expect(h.deliveries.count == 2)
        #expect(h.deliveries[0].time <= h.deliveries[1].time)
    }

    @Test func closedLinkDeliversNothingMore() {
        var h = NetHarness()
        let a = h.net.addHost(upBitsPerSecond: mbit, downBitsPerSecond: mbit, latency: .milliseconds(5))
        let b = h.net.addHost(upBitsPerSecond: mbit, downBitsPerSecond: mbit, latency: .milliseconds(5))
        let link = h.net.openLink(from: a, to: b)
        h.sendData(link, bytes: 2000)
        h.sendData(link, bytes: 2000)
        h.sendControl(link, bytes: 9)
        h.net.closeLink(link)
        h.run()
        #expect(!h.deliveries.contains { $0.delivery == .data(link) || $0.delivery == .control(link) })
        let reused = h.net.openLink(from: a, to: b)
        #expect(reused.index == link.index && reused.generation != link.generation)
        #expect(!h.net.isOpen(link))
        h.sendData(reused, bytes: 100)
        h.run()
        #expect(h.deliveries.last?.delivery == .data(reused))
    }

    /// A link closed while it waits in a ring leaves it, and its slot reopened joins at the
    /// back: the others keep their turns (the ring is threaded through the links).
    @Test func aClosedLinkLeavesTheRingAndItsReusedSlotJoinsAtTheBack() {
        var h = NetHarness()
        let a = h.net.addHost(upBitsPerSecond: mbit, downBitsPerSecond: mbit, latency: .zero)
        let b = h.net.addHost(upBitsPerSecond: mbit, downBitsPerSecond: 100 * mbit, latency: .zero)
        let busy = h.net.openLink(from: a, to: b)
        let first = h.net.openLink(from: a, to: b)
        let middle = h.net.openLink(from: a, to: b)
        let last = h.net.openLink(from: a, to: b)
        h.sendData(busy, bytes: 1000)
        for link in [first, middle, last] { for _ in 0..<2 { h.sendData(link, bytes: 1000) } }
        h.net.closeLink(middle)
        let reused = h.net.openLink(from: a, to: b)
        #expect(reused.index == middle.index)
        for _ in 0..<2 { h.sendData(reused, bytes: 1000) }
        h.run()
        let sent = h.linksThatSentData
        #expect(sent == [busy, first, last, reused, first, last, reused])
    }

    /// Safety: under a random load no host ever sends or receives faster than its capacity.
    /// With `delays_next` a host may run ahead of its capacity by the control time that
    /// overlapped its last data message, which the next one pays back: at most one data
    /// message's worth here.
    @Test(arguments: [1, 2, 3], ControlOverlap.allCases)
    func hostsNeverExceedTheirCapacities(seed: UInt64, overlap: ControlOverlap) {
        var h = NetHarness(controlOverlap: overlap)
        let slackBits = overlap == .delaysNext ? 8.0 * (13 + 16_384) : 0
        let rng = RandomStream(seed: seed)
        let hosts = (0..<12).map { _ in
            h.net.addHost(
                upBitsPerSecond: mbit * (0.2 + 4 * rng.uniform()), downBitsPerSecond: mbit * (0.5 + 8 * rng.uniform()),
                latency: .seconds(0.1 * rng.uniform()))
        }
        var links: [LinkID] = []
        for a in hosts {
            for b in hosts where a != b && rng.bernoulli(0.4) { links.append(h.net.openLink(from: a, to: b)) }
        }
        for _ in 0..<2000 {
            let link = links[rng.integer(below: links.count)]
            if rng.bernoulli(0.3) {
                h.sendControl(link, bytes: 9 + rng.integer(below: 60))
            } else {
                h.sendData(link, bytes: 13 + 16_384)
            }
            h.run(until: h.now + .seconds(0.05 * rng.uniform()))
            h.now = max(h.now, h.queue.nextTime.map { min($0, h.now + .milliseconds(20)) } ?? h.now)
        }
        h.run { h, _ in
            for host in hosts {
                let sentBits = Double(h.net.bytesSent(by: host)) * 8
                let receivedBits = Double(h.net.bytesReceived(by: host)) * 8
                #expect(sentBits <= h.net.upBitsPerSecond(of: host) * h.now.seconds * (1 + 1e-9) + slackBits)
                #expect(receivedBits <= h.net.downBitsPerSecond(of: host) * h.now.seconds * (1 + 1e-9) + slackBits)
            }
        }
        let delivered = h.deliveries.filter { if case .data = $0.delivery { true } else { false } }.count
        let sent = h.deliveries.filter { if case .dataSent = $0.delivery { true } else { false } }.count
        #expect(delivered == sent)
        #expect(sent > 0)
    }
}
