import Scenario
import SimKernel
import Speed

/// Publishers that come and go (`uptime: {on, off}`, docs/scenarios.md): each online
/// session is a peer of its own (a row of peers.csv) on the publisher's one host, with its
/// one balance; between sessions the publisher is offline and its pieces are not online.
struct PublisherSession {
    /// The first session's draw keys: every later session's derive from them.
    let first: DrawKeys
    /// 0 for the first session.
    let number: Int
    /// This session's draw keys (`first` for the first).
    let keys: DrawKeys
    /// When the publisher stops coming back: its first arrival plus its seeding time
    /// (`seeding: {for: D}`), or never for `seeding: forever`.
    let ends: SimTime?

    init(first: DrawKeys, start: SimTime, spec: PeerGroup, draw: (StreamPurpose, DrawKeys) -> RandomStream) {
        self.first = first
        number = 0
        keys = first
        ends =
            switch spec.seeding {
            case .forever: nil
            case .duration(let d): start.adding(d.sampleDuration(draw(.seeding, first)))
            }
    }

    private init(first: DrawKeys, number: Int, ends: SimTime?) {
        self.first = first
        self.number = number
        self.ends = ends
        let master = SeedDerivation.seed(master: first.master, purpose: .sessionOn, first.a, first.b)
        keys = DrawKeys(master: master, UInt64(number), 0)
    }

    /// The next session.
    var next: PublisherSession { PublisherSession(first: first, number: number + 1, ends: ends) }

    /// How long a session that may last `on` stays online from `now`: cut at `ends`.
    func online(_ on: SimTime, now: SimTime) -> SimTime {
        guard let ends else { return on }
        return min(on, max(.zero, ends - now))
    }
}

extension Simulation {
    /// A publisher's session ended: unless its seeding time is over, it comes back after an
    /// offline period. True when a comeback is scheduled.
    func scheduleComeback(_ index: Int) -> Bool {
        let spec = scenario.peers[peers[index].group]
        guard let session = peers[index].session, let uptime = spec.uptime else { return false }
        // A session starting at the horizon would have no time online.
        guard let back = now.adding(uptime.off.sampleDuration(draw(.sessionOff, session.keys))),
            back < scenario.duration, session.ends.map({ back < $0 }) ?? true
        else { return false }
        queue.push(.comeback(peer: Int32(index)), at: back)
        arrivalsPending += 1
        return true
    }

    /// Peer `index`'s publisher is back: its next session, on the same host and balance.
    func comeback(_ index: Int) {
        arrivalsPending -= 1
        let old = peers[index]
        guard let session = old.session else { return }
        let next = session.next
        join(
            torrent: Int(old.torrent), group: old.group, keys: next.keys, user: nil, up: old.record.upBitsPerSecond,
            down: old.record.downBitsPerSecond, host: old.host, sharing: old.trader?.account, session: next)
    }
}
