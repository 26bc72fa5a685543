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
    /// Data bytes waiting for the downlink, and the most that ever waited.
    @usableFromInline var downBacklogBytes: Int64 = 0
    @usableFromInline var maxDownBacklogBytes: Int64 = 0
    @usableFromInline var bytesSent: Int64 = 0
    @usableFromInline var bytesReceived: Int64 = 0

    /// The round-robin ring of one side, without copying it.
    subscript(ring side: Side) -> Deque<LinkID> {
        get { side == .up ? upRing : downRing }
        _modify {
            switch side {
            case .up: yield &upRing
            case .down: yield &downRing
            }
        }
    }

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
    @usableFromInline var upQueue = LinkQueue()
    @usableFromInline var downQueue = LinkQueue()
    /// Keeps control messages in order on the link even when a short one follows a long one.
    @usableFromInline var lastControlDelivery: SimTime = .zero

    init(sender: HostID, receiver: HostID, latency: SimTime) {
        self.sender = sender
        self.receiver = receiver
        self.latency = latency
    }

    mutating func close() {
        isOpen = false
        upQueue.clear()
        downQueue.clear()
    }

    /// One side's queue, without copying it (a copy would defeat copy-on-write).
    subscript(side: Side) -> LinkQueue {
        get { side == .up ? upQueue : downQueue }
        _modify {
            switch side {
            case .up: yield &upQueue
            case .down: yield &downQueue
            }
        }
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

/// The two sides of a host that serve data messages.
@usableFromInline
enum Side {
    case up
    case down
}

/// A link's data messages waiting for one side of a host, and whether the link is in that
/// side's round-robin ring.
@usableFromInline
struct LinkQueue {
    @usableFromInline var messages: Deque<Int32> = []
    @usableFromInline var inRing = false

    mutating func clear() {
        messages.removeAll(keepingCapacity: true)
        inRing = false
    }
}
