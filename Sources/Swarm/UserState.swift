import SimKernel
import SimNet
import Speed

/// One user of a catalogue (docs/scenarios.md, "Users"): one host shared by all its
/// downloads, and the torrents it has asked for. Its peers, one per torrent, are ordinary
/// `PeerState`s that point back here (`PeerRecord.user`).
struct UserState {
    let group: Int
    /// The user's place in its group's arrivals, and the master seed of its own draws.
    let ordinal: Int
    let seed: UInt64
    let host: HostID
    let up: Double
    let down: Double
    /// Which torrents to ask for and when: one stream for the user's whole life.
    let choices: RandomStream
    let joined: SimTime
    /// Downloads still to start.
    var wanted: Int
    /// Downloads started so far: the k of its k-th peer's draw keys.
    var started = 0
    /// Its peers online now.
    var online = 0
    /// Requests that found no torrent to start (none released that it had not joined).
    var passed = 0
    /// Torrents it has joined, by index: a user downloads each at most once.
    var torrents: [Bool]
    /// Its one ledger account and wallet on the Speed market, opened with its first
    /// download's peer; the later ones trade on aliases of it.
    var account: SpeedAccount?
}

/// The keys of a peer's one-off draws (`Simulation.draw`): master seed and two keys. A
/// group's peer in a torrent draws from (torrent seed, group, ordinal); a user's k-th
/// download from (user seed, k, 0).
struct DrawKeys {
    let master: UInt64
    let a: UInt64
    let b: UInt64

    init(master: UInt64, _ a: UInt64, _ b: UInt64) {
        self.master = master
        self.a = a
        self.b = b
    }
}
