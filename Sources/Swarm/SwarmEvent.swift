import BitTorrent
import SimNet

/// Everything that can happen in a run, as one compact value (≤ 16 bytes), so the event
/// queue stays a flat array of 32-byte entries.
enum SwarmEvent {
    case net(NetEvent)
    case timer(peer: Int32, ClientTimer)
    /// The next arrival (or, for `at`, all arrivals) of a peer group in one torrent
    /// (`Simulation.arrivals`).
    case arrival(process: Int32)
    /// A catalogue's user starts its next download (`Simulation.request`).
    case request(user: Int32)
    /// A publisher that comes and goes is back online after `peer`'s session.
    case comeback(peer: Int32)
    case departure(peer: Int32, DepartureReason)
    case sample
    /// The chain has a block with transactions, or a credit, due.
    case chain
}

enum DepartureReason {
    /// The peer's seeding time is over.
    case seedingOver
    /// The peer gave up before completing.
    case abort
    /// A rational seeder weighs its recent earnings against its cost of seeding.
    case seedingReview
}
