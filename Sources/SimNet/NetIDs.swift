import SimKernel

/// A host (one peer's machine) in the simulated network.
public struct HostID: Hashable, Sendable {
    public let index: Int32
    @inlinable public init(_ index: Int32) { self.index = index }
}

/// One direction of a connection, sender → receiver.
///
/// Link slots are reused after a connection closes; the generation tells a live link from
/// a closed one whose events are still pending, so those events can be dropped cheaply.
public struct LinkID: Hashable, Sendable {
    public let index: Int32
    public let generation: UInt32
    @inlinable public init(index: Int32, generation: UInt32) {
        self.index = index
        self.generation = generation
    }
}

/// Work the network asks its driver to schedule. Compact (≤ 12 bytes of payload) so that
/// the driver's event enum stays small.
public enum NetEvent: Sendable, Equatable {
    /// The host's uplink finished sending its current data message.
    case uplinkDone(HostID)
    /// A data message of `bytes` reached the receiver's downlink.
    case dataArrived(LinkID, bytes: Int32)
    /// The host's downlink finished receiving its current data message.
    case downlinkDone(HostID)
    /// The link's next control message (of `bytes`) is delivered to the receiver.
    case controlDelivered(LinkID, bytes: Int32)
}

public struct ScheduledNetEvent: Sendable, Equatable {
    public var time: SimTime
    public var event: NetEvent
    @inlinable public init(time: SimTime, event: NetEvent) {
        self.time = time
        self.event = event
    }
}

/// The events one network call asks its driver to schedule: at most two, held inline so
/// that the per-message path allocates and retains nothing.
public struct NetSchedule: Sendable {
    @usableFromInline var first: ScheduledNetEvent?
    @usableFromInline var second: ScheduledNetEvent?

    @inlinable public init() {}

    @inlinable
    public mutating func append(_ event: ScheduledNetEvent) {
        if first == nil {
            first = event
        } else {
            precondition(second == nil, "a network call schedules at most two events")
            second = event
        }
    }

    @inlinable public var isEmpty: Bool { first == nil }

    /// Takes the events out, earliest scheduled first.
    @inlinable
    public mutating func drain(_ body: (ScheduledNetEvent) -> Void) {
        if let e = first { body(e) }
        if let e = second { body(e) }
        first = nil
        second = nil
    }
}

/// What a handled event means for the endpoints.
public enum NetDelivery: Sendable, Equatable {
    /// The sender's uplink put the link's oldest data message on the wire: the sender may
    /// queue another one (the transport's send buffer has room).
    case dataSent(LinkID)
    /// The link's oldest data message reached the receiving application.
    case data(LinkID)
    /// The link's next control message reached the receiving application.
    case control(LinkID)
}
