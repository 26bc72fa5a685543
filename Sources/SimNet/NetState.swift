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
    /// Links with queued data, served one message per turn: each side's ring is a list
    /// threaded through the links' own queues (first and last link index, −1: empty).
    @usableFromInline var upRing = Ring()
    @usableFromInline var upCurrent: Transmission?
    /// Control time sent while a data message was on the uplink; it ends that much later.
    @usableFromInline var upDebt: SimTime = .zero
    /// When the uplink finishes the control messages already given to it.
    @usableFromInline var controlBusyUntil: SimTime = .zero
    /// With `ControlOverlap.delaysNext`: the earliest the next data message may start on
    /// each side, the last one's end plus the control time that overlapped it.
    @usableFromInline var upFreeAt: SimTime = .zero
    @usableFromInline var downFreeAt: SimTime = .zero
    @usableFromInline var downRing = Ring()
    @usableFromInline var downCurrent: Transmission?
    @usableFromInline var downDebt: SimTime = .zero
    /// Data bytes waiting for the downlink, and the most that ever waited.
    @usableFromInline var downBacklogBytes: Int64 = 0
    @usableFromInline var maxDownBacklogBytes: Int64 = 0
    @usableFromInline var bytesSent: Int64 = 0
    @usableFromInline var bytesReceived: Int64 = 0

    /// The round-robin ring of one side.
    subscript(ring side: Side) -> Ring {
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

    /// The data message on `side` is due to end at `now`, but control time overlapped it
    /// (`upDebt`, `downDebt`). Returns when it ends instead if it moves back
    /// (`delaysCurrent`); nil when it ends now, the next one on that side starting later
    /// by the debt (`delaysNext`), or when there is no debt.
    mutating func payControlDebt(_ side: Side, now: SimTime, overlap: ControlOverlap) -> SimTime? {
        let debt = side == .up ? upDebt : downDebt
        guard debt > .zero else { return nil }
        if side == .up { upDebt = .zero } else { downDebt = .zero }
        switch overlap {
        case .delaysCurrent:
            return now + debt
        case .delaysNext:
            if side == .up { upFreeAt = now + debt } else { downFreeAt = now + debt }
            return nil
        }
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

/// The ends of one side's round-robin ring of links (indices into the links; −1: none).
@usableFromInline
struct Ring {
    @usableFromInline var first: Int32 = -1
    @usableFromInline var last: Int32 = -1
}

/// A link's data messages waiting for one side of a host, whether the link is in that
/// side's round-robin ring, and its neighbours there.
///
/// Kept as runs of equal sizes: nearly every data message is a full block, so the first
/// run, stored inline, usually holds the whole queue and taking a message touches no
/// memory outside the link's own state (a `Deque` per queue cost a cache miss per
/// message in large swarms; docs/performance.md).
@usableFromInline
struct LinkQueue {
    @usableFromInline var headSize: Int32 = 0
    @usableFromInline var headCount: Int32 = 0
    /// The runs after the first, only while sizes differ (nil otherwise).
    @usableFromInline var laterRuns: Deque<Run>?
    @usableFromInline var inRing = false
    /// The links before and after this one in the ring (−1: none), while `inRing`.
    @usableFromInline var previous: Int32 = -1
    @usableFromInline var next: Int32 = -1

    @usableFromInline
    struct Run {
        @usableFromInline var size: Int32
        @usableFromInline var count: Int32
    }

    var isEmpty: Bool { headCount == 0 }

    /// Bytes of every queued message.
    var queuedBytes: Int64 {
        let later = laterRuns?.reduce(Int64(0)) { $0 + Int64($1.size) * Int64($1.count) } ?? 0
        return Int64(headSize) * Int64(headCount) + later
    }

    mutating func append(_ bytes: Int32) {
        if headCount == 0 {
            headSize = bytes
            headCount = 1
        } else if laterRuns == nil && bytes == headSize {
            headCount += 1
        } else if let last = laterRuns?.last, last.size == bytes {
            laterRuns![laterRuns!.count - 1].count += 1
        } else {
            if laterRuns == nil { laterRuns = [] }
            laterRuns!.append(Run(size: bytes, count: 1))
        }
    }

    mutating func removeFirst() -> Int32 {
        precondition(headCount > 0, "taking a message from an empty link queue")
        let bytes = headSize
        headCount -= 1
        if headCount == 0, let next = laterRuns?.popFirst() {
            headSize = next.size
            headCount = next.count
            if laterRuns!.isEmpty { laterRuns = nil }
        }
        return bytes
    }

    mutating func clear() {
        headCount = 0
        laterRuns = nil
        inRing = false
    }
}
