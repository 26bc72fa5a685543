/// Who pays for the time a control message takes on an uplink or a downlink while a data
/// message is on it (`network.control_overlap`, docs/model.md, "Network").
///
/// Either way the link's capacity is kept: the control message goes ahead at once, and
/// some data message ends later by its time. The difference is which one, and what it
/// costs: moving the current message's end needs one more completion event per data
/// message overtaken (13 % of a 1,000-peer flash crowd's events in `fidelity: piece`),
/// moving the next one's start needs none.
public enum ControlOverlap: String, Sendable, CaseIterable {
    /// The data message on the link ends later by the control time (exact).
    case delaysCurrent = "delays_current"
    /// The data message on the link ends on time, up to a few milliseconds before it
    /// would have; the next data message on that side starts later by the control time.
    case delaysNext = "delays_next"
}
