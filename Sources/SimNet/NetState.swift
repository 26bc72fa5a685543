import DequeModule
import SimKernel

/// A data message occupying an uplink or a downlink.
@usableFromInline
struct Transmission {
    @usableFromInline var link: LinkID
    @usableFromInline var bytes: Int32
}

/// One host's two directions.
@usableFromInline
struct HostState {
    @usableFromInline let up: Double
    @usableFromInline let down: Double
    @usableFromInline let latency: SimTime
    /// Links with queued data, served one message per turn.
    @usableFromInline var upRing: Deque<LinkID> = []
    @usableFromInline var upCurrent: Transmission?
    /// Control time sent while a data message was on the uplink; it ends that much later.
    @usableFromInline var upDebt: SimTime = .zero
    /// When the uplink finishes the control messages already given to it.
    @usableFromInline var controlBusyUntil: SimTime = .zero
    @usableFromInline var downRing: Deque<LinkID> = []
    @usableFromInline var downCurrent: Transmission?
    @usableFromInline var downDebt: SimTime = .zero
    @usableFromInline var bytesSent: Int64 = 0
    @usableFromInline var bytesReceived: Int64 = 0

    init(up: Double, down: Double, latency: SimTime) {
        self.up = up
        self.down = down
        self.latency = latency
    }
}

/// One direction of a connection.
@usableFromInline
struct LinkState {
    @usableFromInline var sender: HostID
    @usableFromInline var receiver: HostID
    @usableFromInline var latency: SimTime
    @usableFromInline var generation: UInt32 = 0
    @usableFromInline var isOpen = true
    /// Data messages waiting for the sender's uplink, and for the receiver's downlink.
    @usableFromInline var upQueue: Deque<Int32> = []
    @usableFromInline var downQueue: Deque<Int32> = []
    @usableFromInline var inUpRing = false
    @usableFromInline var inDownRing = false
    /// Keeps control messages in order on the link even when a short one follows a long one.
    @usableFromInline var lastControlDelivery: SimTime = .zero

    init(sender: HostID, receiver: HostID, latency: SimTime) {
        self.sender = sender
        self.receiver = receiver
        self.latency = latency
    }

    mutating func close() {
        isOpen = false
        upQueue.removeAll(keepingCapacity: true)
        downQueue.removeAll(keepingCapacity: true)
        inUpRing = false
        inDownRing = false
    }

    mutating func reopen(sender: HostID, receiver: HostID, latency: SimTime) {
        self.sender = sender
        self.receiver = receiver
        self.latency = latency
        generation &+= 1
        isOpen = true
        lastControlDelivery = .zero
    }
}
