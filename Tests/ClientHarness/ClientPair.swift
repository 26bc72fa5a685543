import BitTorrent
import SimKernel

/// Two clients wired back to back through an in-order, zero-delay fake link: the smallest
/// whole-protocol test, with no simulator involved.
public final class ClientPair {
    public enum Frame {
        case handshake(Handshake)
        case message(WireMessage)
    }

    public let a: TorrentClient
    public let b: TorrentClient
    public var aConn: ConnectionID?
    public var bConn: ConnectionID?
    public var inFlight: [(toA: Bool, frame: Frame)] = []
    public var closed: [(byA: Bool, reason: CloseReason)] = []
    public var timers: [(isA: Bool, timer: ClientTimer, at: SimTime)] = []
    /// Pieces a client with `checksPieces` asked to have checked, not yet answered.
    public var checks: [(isA: Bool, piece: Int)] = []
    public var now = SimTime.zero
    /// Sees every message on its way: returns it, a replacement (a forgery), or nil to
    /// drop it (to test protocol reactions).
    public var intercept: ((Bool, WireMessage) -> WireMessage?)?

    public static let layout = PieceLayout(totalLength: 5 * 65_536 + 1000, pieceLength: 65_536)
    public static let infoHash = InfoHash(bytes: Array(repeating: 7, count: 20))!

    public init(
        aSeed: Bool = true, bSeed: Bool = false, bInfoHash: InfoHash = ClientPair.infoHash,
        aStrategy: any PeerStrategy = TitForTat(), bStrategy: any PeerStrategy = TitForTat(),
        layout: PieceLayout = ClientPair.layout, aOffersFastExtension: Bool = true
    ) {
        var settings = ProtocolSettings()
        settings.randomFirstPieces = 0
        var aSettings = settings
        aSettings.fastExtension = aOffersFastExtension
        a = TorrentClient(
            config: ClientConfiguration(
                infoHash: Self.infoHash, peerID: PeerID(azureusStyle: 1), address: PeerAddress(ipv4: 1, port: 1),
                layout: layout, settings: aSettings, startsAsSeed: aSeed), random: RandomStream(seed: 1),
            strategy: aStrategy)
        b = TorrentClient(
            config: ClientConfiguration(
                infoHash: bInfoHash, peerID: PeerID(azureusStyle: 2), address: PeerAddress(ipv4: 2, port: 1),
                layout: layout, settings: settings, startsAsSeed: bSeed), random: RandomStream(seed: 2),
            strategy: bStrategy)
    }

    /// B connects to A, then everything runs until no message is in flight.
    public func connectAndRun() {
        var out: [ClientAction] = []
        a.start(now: now, out: &out)
        apply(out, fromA: true)
        out = []
        b.start(now: now, out: &out)
        apply(out, fromA: false)
        out = []
        aConn = a.openConnection(to: b.config.address, outgoing: false, now: now, out: &out)
        apply(out, fromA: true)
        out = []
        bConn = b.openConnection(to: a.config.address, outgoing: true, now: now, out: &out)
        apply(out, fromA: false)
        run()
    }

    public func run(steps: Int = 100_000) {
        var n = 0
        while !inFlight.isEmpty && n < steps {
            n += 1
            let (toA, frame) = inFlight.removeFirst()
            now = now + .milliseconds(1)
            let client = toA ? a : b
            guard let conn = toA ? aConn : bConn else { continue }
            var out: [ClientAction] = []
            switch frame {
            case .handshake(let h): client.received(h, on: conn, now: now, out: &out)
            case .message(let m): client.received(m, on: conn, now: now, out: &out)
            }
            apply(out, fromA: toA)
        }
    }

    public func fire(_ timer: ClientTimer, onA: Bool, at time: SimTime) {
        now = time
        var out: [ClientAction] = []
        (onA ? a : b).timerFired(timer, deadline: time, now: time, out: &out)
        apply(out, fromA: onA)
        run()
    }

    /// The deadline a client last armed for `timer`, as its `.setTimer` actions said.
    public func deadline(of timer: ClientTimer, onA: Bool) -> SimTime? {
        timers.last { $0.isA == onA && $0.timer == timer }?.at
    }

    /// Fires both clients' rechoke rounds in time order for `duration` of simulated
    /// time, or until `stop` holds.
    public func runRechokeRounds(for duration: SimTime, until stop: () -> Bool = { false }) {
        let end = now + duration
        while !stop(), let a = deadline(of: .rechoke, onA: true), let b = deadline(of: .rechoke, onA: false) {
            let next = min(a, b)
            guard next <= end, next >= now else { return }
            fire(.rechoke, onA: a <= b, at: next)
        }
    }

    /// Answers every pending piece check (`passed` decides each), then runs.
    public func answerChecks(passed: (Int) -> Bool = { _ in true }) {
        let pending = checks
        checks = []
        for (isA, piece) in pending {
            var out: [ClientAction] = []
            (isA ? a : b).pieceChecked(piece, passed: passed(piece), now: now, out: &out)
            apply(out, fromA: isA)
        }
        run()
    }

    public func apply(_ actions: [ClientAction], fromA: Bool) {
        for action in actions {
            switch action {
            case .sendHandshake(_, let h):
                inFlight.append((!fromA, .handshake(h)))
            case .send(let conn, let sent):
                guard let m = intercept.map({ $0(fromA, sent) }) ?? sent else { continue }
                inFlight.append((!fromA, .message(m)))
                if case .piece = m {
                    var out: [ClientAction] = []
                    (fromA ? a : b).blockSent(on: conn, now: now, out: &out)
                    apply(out, fromA: fromA)
                }
            case .close(_, let reason):
                closed.append((fromA, reason))
                var out: [ClientAction] = []
                if fromA, let bConn {
                    b.connectionClosed(bConn, now: now, out: &out)
                } else if let aConn {
                    a.connectionClosed(aConn, now: now, out: &out)
                }
                aConn = nil
                bConn = nil
                inFlight.removeAll()
            case .setTimer(let t, let at):
                timers.append((fromA, t, at))
            case .checkPiece(let piece):
                checks.append((fromA, piece))
            case .connect, .announce, .pieceCompleted, .pieceFailed, .downloadCompleted, .blockClaimed, .blockReleased,
                .blockStored:
                break
            }
        }
    }
}
