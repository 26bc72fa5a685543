import SimKernel

/// The in-process transport: hosts with uplink and downlink capacities and a one-way
/// latency, and links between them (docs/model.md, "Network").
///
/// A data message of n wire bytes occupies the sender's uplink for 8n/up, travels for the
/// link latency, then occupies the receiver's downlink for 8n/down. Each side serves its
/// links round-robin, one message per turn. Control messages are small and go ahead of
/// data: they preempt the data message in transmission, whose end moves back by the
/// control message's own time (or, with `ControlOverlap.delaysNext`, the next data
/// message's start), so neither side exceeds its capacity. All of this is O(1) per
/// message. The network never sees payloads: the driver keeps them in per-link
/// FIFOs, which is sound because each link delivers each class in order.
public final class Network {
    @usableFromInline var hosts: [HostState] = []
    @usableFromInline var links: [LinkState] = []
    @usableFromInline var freeLinks: [Int32] = []
    /// Who pays for control time spent while a data message is on a link.
    public let controlOverlap: ControlOverlap

    public init(controlOverlap: ControlOverlap = .delaysCurrent) {
        self.controlOverlap = controlOverlap
    }

    public var hostCount: Int { hosts.count }

    public func addHost(upBitsPerSecond: Double, downBitsPerSecond: Double, latency: SimTime) -> HostID {
        precondition(upBitsPerSecond > 0 && downBitsPerSecond > 0, "capacities must be positive")
        precondition(latency >= .zero, "latency cannot be negative")
        hosts.append(HostState(up: upBitsPerSecond, down: downBitsPerSecond, latency: latency))
        return HostID(Int32(hosts.count - 1))
    }

    /// Opens one direction of a connection. Path latency is the sum of the two hosts'
    /// one-way latencies to the network core.
    public func openLink(from sender: HostID, to receiver: HostID) -> LinkID {
        let latency = hosts[Int(sender.index)].latency + hosts[Int(receiver.index)].latency
        if let index = freeLinks.popLast() {
            links[Int(index)].reopen(sender: sender, receiver: receiver, latency: latency)
            return LinkID(index: index, generation: links[Int(index)].generation)
        }
        links.append(LinkState(sender: sender, receiver: receiver, latency: latency))
        return LinkID(index: Int32(links.count - 1), generation: 0)
    }

    /// Closes a link: messages queued or in flight on it are dropped when they come due.
    public func closeLink(_ link: LinkID) {
        guard isOpen(link) else { return }
        let l = Int(link.index)
        let receiver = Int(links[l].receiver.index)
        hosts[receiver].downBacklogBytes -= links[l].downQueue.queuedBytes
        if links[l].upQueue.inRing { unlink(l, host: Int(links[l].sender.index), side: .up) }
        if links[l].downQueue.inRing { unlink(l, host: receiver, side: .down) }
        links[l].close()
        freeLinks.append(link.index)
    }

    @inlinable
    public func isOpen(_ link: LinkID) -> Bool {
        let state = links[Int(link.index)]
        return state.isOpen && state.generation == link.generation
    }

    public func sender(of link: LinkID) -> HostID { links[Int(link.index)].sender }
    public func receiver(of link: LinkID) -> HostID { links[Int(link.index)].receiver }
    public func latency(of link: LinkID) -> SimTime { links[Int(link.index)].latency }

    /// Bytes a host has put on the wire and taken off it, data and control together.
    public func bytesSent(by host: HostID) -> Int64 { hosts[Int(host.index)].bytesSent }
    public func bytesReceived(by host: HostID) -> Int64 { hosts[Int(host.index)].bytesReceived }
    /// The longest the downlink's queue of data ever was, in time to drain it: flow control
    /// (the request pipeline) should keep this at a few seconds.
    public func maxDownlinkBacklog(of host: HostID) -> SimTime {
        let h = hosts[Int(host.index)]
        return SimTime.transmission(bytes: Int(h.maxDownBacklogBytes), bitsPerSecond: h.down)
    }

    public func upBitsPerSecond(of host: HostID) -> Double { hosts[Int(host.index)].up }
    public func downBitsPerSecond(of host: HostID) -> Double { hosts[Int(host.index)].down }

    /// Queues a data message (a `piece`) of `bytes` wire bytes on `link`.
    public func sendData(on link: LinkID, bytes: Int, now: SimTime, schedule: inout NetSchedule) {
        precondition(bytes > 0, "a message has at least its length prefix")
        guard isOpen(link) else { return }
        let l = Int(link.index)
        let host = Int(links[l].sender.index)
        enqueue(link, bytes: Int32(bytes), host: host, side: .up)
        if hosts[host].upCurrent == nil { startUplink(host, now: now, schedule: &schedule) }
    }

    /// Sends a control message of `bytes` wire bytes ahead of any queued data.
    public func sendControl(on link: LinkID, bytes: Int, now: SimTime, schedule: inout NetSchedule) {
        guard isOpen(link) else { return }
        let l = Int(link.index)
        let host = Int(links[l].sender.index)
        let upTime = SimTime.transmission(bytes: bytes, bitsPerSecond: hosts[host].up)
        let departure = max(now, hosts[host].controlBusyUntil) + upTime
        hosts[host].controlBusyUntil = departure
        hosts[host].bytesSent += Int64(bytes)
        if hosts[host].upCurrent != nil { hosts[host].upDebt += upTime }
        let receiver = Int(links[l].receiver.index)
        let downTime = SimTime.transmission(bytes: bytes, bitsPerSecond: hosts[receiver].down)
        let delivery = max(departure + links[l].latency + downTime, links[l].lastControlDelivery)
        links[l].lastControlDelivery = delivery
        schedule.append(ScheduledNetEvent(time: delivery, event: .controlDelivered(link, bytes: Int32(bytes))))
    }

    /// Advances the network by one of its own events; returns what the endpoints learn.
    public func handle(_ event: NetEvent, now: SimTime, schedule: inout NetSchedule) -> NetDelivery? {
        switch event {
        case .uplinkDone(let host): return uplinkDone(Int(host.index), now: now, schedule: &schedule)
        case .dataArrived(let link, let bytes):
            dataArrived(link, bytes: bytes, now: now, schedule: &schedule)
            return nil
        case .downlinkDone(let host): return downlinkDone(Int(host.index), now: now, schedule: &schedule)
        case .controlDelivered(let link, let bytes):
            guard isOpen(link) else { return nil }
            let receiver = Int(links[Int(link.index)].receiver.index)
            hosts[receiver].bytesReceived += Int64(bytes)
            if hosts[receiver].downCurrent != nil {
                hosts[receiver].downDebt += SimTime.transmission(bytes: Int(bytes), bitsPerSecond: hosts[receiver].down)
            }
            return .control(link)
        }
    }

    private func startUplink(_ host: Int, now: SimTime, schedule: inout NetSchedule) {
        if let next = nextInRing(host, side: .up) {
            hosts[host].upCurrent = next
            hosts[host].upDebt = .zero
            let start = max(now, hosts[host].controlBusyUntil, hosts[host].upFreeAt)
            let end = start + SimTime.transmission(bytes: Int(next.bytes), bitsPerSecond: hosts[host].up)
            schedule.append(ScheduledNetEvent(time: end, event: .uplinkDone(HostID(Int32(host)))))
            return
        }
        hosts[host].upCurrent = nil
    }

    private func uplinkDone(_ host: Int, now: SimTime, schedule: inout NetSchedule) -> NetDelivery? {
        if let later = hosts[host].payControlDebt(.up, now: now, overlap: controlOverlap) {
            schedule.append(ScheduledNetEvent(time: later, event: .uplinkDone(HostID(Int32(host)))))
            return nil
        }
        guard let done = hosts[host].upCurrent else {
            preconditionFailure("uplinkDone on an idle uplink: scheduling bug")
        }
        startUplink(host, now: now, schedule: &schedule)
        guard isOpen(done.link) else { return nil }
        hosts[host].bytesSent += Int64(done.bytes)
        let arrival = now + links[Int(done.link.index)].latency
        schedule.append(ScheduledNetEvent(time: arrival, event: .dataArrived(done.link, bytes: done.bytes)))
        return .dataSent(done.link)
    }

    private func dataArrived(_ link: LinkID, bytes: Int32, now: SimTime, schedule: inout NetSchedule) {
        guard isOpen(link) else { return }
        let l = Int(link.index)
        let host = Int(links[l].receiver.index)
        if hosts[host].downCurrent == nil {
            startDownlink(host, transmission: Transmission(link: link, bytes: bytes), now: now, schedule: &schedule)
            return
        }
        enqueue(link, bytes: bytes, host: host, side: .down)
    }

    private func startDownlink(
        _ host: Int, transmission: Transmission, now: SimTime, schedule: inout NetSchedule
    ) {
        hosts[host].downCurrent = transmission
        hosts[host].downDebt = .zero
        let start = max(now, hosts[host].downFreeAt)
        let end = start + SimTime.transmission(bytes: Int(transmission.bytes), bitsPerSecond: hosts[host].down)
        schedule.append(ScheduledNetEvent(time: end, event: .downlinkDone(HostID(Int32(host)))))
    }

    private func downlinkDone(_ host: Int, now: SimTime, schedule: inout NetSchedule) -> NetDelivery? {
        if let later = hosts[host].payControlDebt(.down, now: now, overlap: controlOverlap) {
            schedule.append(ScheduledNetEvent(time: later, event: .downlinkDone(HostID(Int32(host)))))
            return nil
        }
        guard let done = hosts[host].downCurrent else {
            preconditionFailure("downlinkDone on an idle downlink: scheduling bug")
        }
        hosts[host].downCurrent = nil
        if let next = nextInRing(host, side: .down) {
            startDownlink(host, transmission: next, now: now, schedule: &schedule)
        }
        guard isOpen(done.link) else { return nil }
        hosts[host].bytesReceived += Int64(done.bytes)
        return .data(done.link)
    }

    /// Queues a data message of `link` for one side of `host`, joining its ring if needed.
    private func enqueue(_ link: LinkID, bytes: Int32, host: Int, side: Side) {
        let l = Int(link.index)
        links[l][side].append(bytes)
        if side == .down {
            hosts[host].downBacklogBytes += Int64(bytes)
            hosts[host].maxDownBacklogBytes = max(hosts[host].maxDownBacklogBytes, hosts[host].downBacklogBytes)
        }
        guard !links[l][side].inRing else { return }
        append(l, host: host, side: side)
    }

    /// Takes the next message of one side of `host`: the first link in its ring gives one
    /// message and, if it has more, goes to the back. Closed links leave their rings when
    /// they close, so every link here is open.
    private func nextInRing(_ host: Int, side: Side) -> Transmission? {
        let first = hosts[host][ring: side].first
        guard first >= 0 else { return nil }
        let l = Int(first)
        let bytes = links[l][side].removeFirst()
        if side == .down { hosts[host].downBacklogBytes -= Int64(bytes) }
        unlink(l, host: host, side: side)
        if !links[l][side].isEmpty { append(l, host: host, side: side) }
        return Transmission(link: LinkID(index: first, generation: links[l].generation), bytes: bytes)
    }

    /// Puts link `l` at the back of one side's ring of `host`.
    private func append(_ l: Int, host: Int, side: Side) {
        let last = hosts[host][ring: side].last
        links[l][side].inRing = true
        links[l][side].previous = last
        links[l][side].next = -1
        if last >= 0 { links[Int(last)][side].next = Int32(l) } else { hosts[host][ring: side].first = Int32(l) }
        hosts[host][ring: side].last = Int32(l)
    }

    /// Takes link `l` out of one side's ring of `host`.
    private func unlink(_ l: Int, host: Int, side: Side) {
        let previous = links[l][side].previous
        let next = links[l][side].next
        if previous >= 0 { links[Int(previous)][side].next = next } else { hosts[host][ring: side].first = next }
        if next >= 0 { links[Int(next)][side].previous = previous } else { hosts[host][ring: side].last = previous }
        links[l][side].inRing = false
        links[l][side].previous = -1
        links[l][side].next = -1
    }
}
