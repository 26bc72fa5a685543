import DequeModule
import SimKernel

/// Who a client is and what it shares.
public struct ClientConfiguration: Sendable {
    public var infoHash: InfoHash
    public var peerID: PeerID
    public var address: PeerAddress
    public var layout: PieceLayout
    public var settings: ProtocolSettings
    public var startsAsSeed: Bool

    public init(
        infoHash: InfoHash, peerID: PeerID, address: PeerAddress, layout: PieceLayout, settings: ProtocolSettings,
        startsAsSeed: Bool
    ) {
        self.infoHash = infoHash
        self.peerID = peerID
        self.address = address
        self.layout = layout
        self.settings = settings
        self.startsAsSeed = startsAsSeed
    }
}

/// One peer's BitTorrent client for one torrent: its connections, piece picker and
/// choker, as a sans-IO state machine.
///
/// Inputs are method calls with the current time; outputs are `ClientAction`s appended to
/// the caller's buffer. The simulator and the TCP driver run exactly this code. Split by
/// concern: this file holds state and connection lifecycle; `+Messages` the wire input,
/// `+Downloading` the request pipeline, `+Choking` the upload slots.
public final class TorrentClient {
    public let config: ClientConfiguration
    var settings: ProtocolSettings { config.settings }
    let random: any RandomSource
    /// How this peer trades: slots, upload admission, extension messages.
    public let strategy: any PeerStrategy
    public internal(set) var picker: PiecePicker
    /// Indexed by slot. Closed sessions stay in place (`isOpen == false`) so the array
    /// holds plain values: reading a field never copies a session.
    var sessions: [PeerSession] = []
    var freeSlots: [Int32] = []
    public internal(set) var connectionCount = 0
    var connectedAddresses: Set<PeerAddress> = []
    /// Peers from the tracker we have not tried yet, oldest first.
    var candidates: Deque<PeerAddress> = []
    var pendingConnects = 0
    var timerDeadlines = [SimTime](repeating: .never, count: ClientTimer.allCases.count)
    var lastAnnounce = SimTime.never
    /// Pieces completed since the last `have` batch went out (`protocol.have_batch`).
    var pendingHaves: [UInt32] = []
    var isStopped = false
    /// Requests outstanding on all connections, and the total download rate: the request
    /// budget (see `fillRequests`).
    var outstandingTotal = 0
    var downloadMeter = RateMeter(now: .zero)
    /// Some connection got no requests for lack of budget; `budgetCursor` is where the
    /// next search for it starts.
    var someWaitForBudget = false
    var budgetCursor = 0
    /// Scratch buffers reused on every call, so steady-state work allocates nothing.
    var pickScratch: [BlockRequest] = []
    var chokeScratch: [ChokeCandidate] = []
    var uploadScratch: [ConnectionID] = []
    /// The strategy's `uploadScheduling` is `strategyChooses` (read once: it is the
    /// strategy's nature, not a state).
    let strategyChoosesUploads: Bool
    /// Under `strategyChooses`, the connection whose block is in the transport.
    var uploadInTransport: ConnectionID?
    public internal(set) var bytesDownloaded: Int64 = 0
    public internal(set) var bytesUploaded: Int64 = 0
    /// Blocks that arrived when we already had them (end game, late cancels).
    public internal(set) var wastedBytes: Int64 = 0
    /// Whether a piece whose blocks have all arrived is checked by the driver (Live: its
    /// SHA-1 on disk, hashed off the event loop) before it counts: the client asks with
    /// `.checkPiece` and the driver answers `pieceChecked`. False in the simulator, where
    /// content is virtual and every piece passes at once.
    public var checksPieces = false
    /// Whether this client is one of several identities of one user that download into
    /// one storage (docs/model.md, "Sybil requesters"): it reports each block it asks
    /// for, withdraws and stores (`.blockClaimed`, `.blockReleased`, `.blockStored`), and
    /// the driver tells the other identities (`claimedBySibling` and the rest), so that
    /// they pick as one client would. False for every ordinary client.
    public var sharesBlocks = false
    /// Told each decision worth a trace (`PeerEventKind`) with the remote it concerns;
    /// nil (the simulator, except for traced peers) costs one test per decision.
    public var trace: ((PeerEventKind, PeerAddress?) -> Void)?

    public init(config: ClientConfiguration, random: any RandomSource, strategy: any PeerStrategy = TitForTat()) {
        self.config = config
        self.random = random
        self.strategy = strategy
        strategyChoosesUploads = strategy.uploadScheduling == .strategyChooses
        let have = Bitfield(count: config.layout.pieceCount, allSet: config.startsAsSeed)
        picker = PiecePicker(layout: config.layout, have: have, settings: config.settings)
    }

    public var isSeed: Bool { picker.isComplete }
    public var have: Bitfield { picker.have }
    public var bytesLeft: Int64 {
        var left: Int64 = 0
        for p in 0..<config.layout.pieceCount where !picker.have[p] { left += Int64(config.layout.length(ofPiece: p)) }
        return left
    }

    public func session(_ id: ConnectionID) -> PeerSession? {
        isLive(id) ? sessions[Int(id.slot)] : nil
    }

    /// True when `id` names an open connection (not a closed one whose slot was reused).
    public func isLive(_ id: ConnectionID) -> Bool {
        let i = Int(id.slot)
        return i >= 0 && i < sessions.count && sessions[i].isOpen && sessions[i].id == id
    }

    /// The open connections, by slot.
    public var connectionIDs: [ConnectionID] { sessions.filter(\.isOpen).map(\.id) }

    // MARK: lifecycle

    /// Joins the swarm: announce, and arm the periodic timers.
    public func start(now: SimTime, out: inout [ClientAction]) {
        trace?(.started, nil)
        announce(.started, now: now, out: &out)
        arm(.rechoke, at: now + settings.rechokeInterval, out: &out)
        arm(.optimisticUnchoke, at: now + settings.optimisticInterval, out: &out)
    }

    /// Leaves the swarm: closes every connection and tells the tracker.
    public func stop(now: SimTime, out: inout [ClientAction]) {
        guard !isStopped else { return }
        for id in connectionIDs { close(id, .leaving, out: &out) }
        announce(.stopped, now: now, out: &out)
        isStopped = true
        candidates.removeAll()
    }

    public func trackerResponded(_ response: AnnounceResponse, now: SimTime, out: inout [ClientAction]) {
        guard !isStopped else { return }
        for address in response.peers where address != config.address && !connectedAddresses.contains(address) {
            candidates.append(address)
        }
        connectToCandidates(out: &out)
        refillConnections(now: now, out: &out)
    }

    /// A timer the client asked for with `.setTimer(timer, at: deadline)` is due.
    ///
    /// The timer rule, the same for every driver (docs/architecture.md, "Time"): the driver
    /// hands back the `deadline` it was given and the current time, `now >= deadline`
    /// (the simulator's queue fires exactly at the deadline, so its `now` equals it; a
    /// real event loop fires later, by however long it takes). The deadline is the
    /// timer's identity: the client acts only while that deadline is still the one armed
    /// for `timer`, so a firing for a deadline since replaced or already served is stale
    /// and changes nothing. A firing before its deadline (a driver bug) changes nothing
    /// either and asks for the same deadline again. Periodic timers re-arm one period after
    /// the deadline, not after `now`, so a late driver does not make rounds drift (a
    /// driver late by a whole period skips the missed rounds).
    ///
    /// Returns true when the timer acted (a rechoke round, an optimistic rotation, an
    /// announce), false for a stale or early firing.
    @discardableResult
    public func timerFired(_ timer: ClientTimer, deadline: SimTime, now: SimTime, out: inout [ClientAction]) -> Bool {
        guard !isStopped, deadline != .never, timerDeadlines[timer.rawValue] == deadline else { return false }
        guard now >= deadline else {
            out.append(.setTimer(timer, at: deadline))
            return false
        }
        timerDeadlines[timer.rawValue] = .never
        switch timer {
        case .rechoke:
            trace?(.rechoke, nil)
            strategy.roundStarted(client: self, now: now, out: &out)
            releaseUnansweredRequests(now: now, out: &out)
            rechoke(now: now, newRound: true, out: &out)
            arm(.rechoke, at: Self.nextPeriod(after: deadline, every: settings.rechokeInterval, now: now), out: &out)
        case .optimisticUnchoke:
            trace?(.optimistic, nil)
            rotateOptimistic(now: now, out: &out)
            arm(
                .optimisticUnchoke, at: Self.nextPeriod(after: deadline, every: settings.optimisticInterval, now: now),
                out: &out)
        case .announce:
            announce(.none, now: now, out: &out)
        case .haveBatch:
            sendBatchedHaves(out: &out)
        }
        return true
    }

    /// One period after `deadline`, or after `now` when that is already past.
    static func nextPeriod(after deadline: SimTime, every period: SimTime, now: SimTime) -> SimTime {
        let next = deadline + period
        return next > now ? next : now + period
    }

    // MARK: connections

    /// A connection to `address` is open. Returns its id, or nil when the client refuses
    /// it (full, stopped, or already connected to that peer): the driver then closes it.
    public func openConnection(to address: PeerAddress, outgoing: Bool, now: SimTime, out: inout [ClientAction])
        -> ConnectionID?
    {
        if outgoing { pendingConnects -= 1 }
        guard !isStopped, address != config.address, !connectedAddresses.contains(address),
            connectionCount < settings.maxConnections
        else { return nil }
        let id: ConnectionID
        if let free = freeSlots.popLast() {
            id = ConnectionID(free, generation: sessions[Int(free)].id.generation &+ 1)
        } else {
            id = ConnectionID(Int32(sessions.count), generation: 0)
        }
        let session = PeerSession(
            id: id, address: address, isOutgoing: outgoing, pieceCount: config.layout.pieceCount, now: now)
        if Int(id.slot) == sessions.count { sessions.append(session) } else { sessions[Int(id.slot)] = session }
        connectionCount += 1
        connectedAddresses.insert(address)
        trace?(.connected, address)
        if outgoing { out.append(.sendHandshake(id, handshake)) }
        return id
    }

    /// An outgoing connection we asked for could not be made.
    public func connectFailed(to address: PeerAddress, now: SimTime, out: inout [ClientAction]) {
        pendingConnects -= 1
        refillConnections(now: now, out: &out)
    }

    /// The remote closed the connection, or the transport lost it.
    public func connectionClosed(_ id: ConnectionID, now: SimTime, out: inout [ClientAction]) {
        guard isLive(id) else { return }
        forget(id, now: now, out: &out)
        refillConnections(now: now, out: &out)
    }

    /// Announces BEP 10 exactly when the strategy has extension messages, so a plain
    /// BitTorrent swarm sends no extension traffic; BEP 6 as the settings say.
    var handshake: Handshake {
        var bits = strategy.extensionHandshake(client: self) == nil ? 0 : Handshake.extensionProtocolBit
        if settings.fastExtension { bits |= Handshake.fastExtensionBit }
        return Handshake(infoHash: config.infoHash, peerID: config.peerID, reserved: bits)
    }

    /// Closes a connection on our initiative.
    func close(_ id: ConnectionID, _ reason: CloseReason, now: SimTime = .zero, out: inout [ClientAction]) {
        guard isLive(id) else { return }
        forget(id, now: now, out: &out)
        out.append(.close(id, reason))
    }

    /// Releases everything a connection held: availability, requests, its upload slot.
    private func forget(_ id: ConnectionID, now: SimTime, out: inout [ClientAction]) {
        guard isLive(id) else { return }
        let i = Int(id.slot)
        picker.peerLost(sessions[i].remoteHas)
        let freedBlocks = dropOutstanding(slot: i, out: &out)
        let address = sessions[i].address
        let hadSlot = sessions[i].slot != .none
        sessions[i].isOpen = false
        sessions[i].uploadQueue.removeAll()
        freeSlots.append(id.slot)
        connectionCount -= 1
        connectedAddresses.remove(address)
        if let dialled = sessions[i].dialledAddress { connectedAddresses.remove(dialled) }
        trace?(.disconnected, address)
        strategy.connectionClosed(id, client: self, now: now)
        uploadConnectionClosed(id, out: &out)
        if hadSlot && !isStopped { rechoke(now: now, newRound: false, out: &out) }
        if !isStopped {
            if freedBlocks { requestFreedBlocks(now: now, out: &out) } else { serveBudgetWaiters(now: now, out: &out) }
        }
    }

    private func connectToCandidates(out: inout [ClientAction]) {
        while connectionCount + pendingConnects < settings.maxConnections, let next = candidates.popFirst() {
            guard !connectedAddresses.contains(next) else { continue }
            pendingConnects += 1
            out.append(.connect(next))
        }
    }

    /// Below the minimum, try more peers; with none left, ask the tracker (no more often
    /// than `min_announce_interval`).
    func refillConnections(now: SimTime, out: inout [ClientAction]) {
        guard !isStopped, connectionCount + pendingConnects < settings.minConnections else { return }
        connectToCandidates(out: &out)
        guard candidates.isEmpty, connectionCount + pendingConnects < settings.minConnections else { return }
        let earliest = lastAnnounce == .never ? now : lastAnnounce + settings.minAnnounceInterval
        if earliest <= now {
            announce(.none, now: now, out: &out)
        } else if timerDeadlines[ClientTimer.announce.rawValue] > earliest {
            arm(.announce, at: earliest, out: &out)
        }
    }

    func announce(_ event: AnnounceEvent, now: SimTime, out: inout [ClientAction]) {
        trace?(.announce, nil)
        out.append(.announce(event))
        lastAnnounce = now
        if event != .stopped { arm(.announce, at: now + settings.announceInterval, out: &out) }
    }

    /// The announce request for `event`, for the driver to send to the tracker.
    public func announceRequest(_ event: AnnounceEvent) -> AnnounceRequest {
        AnnounceRequest(address: config.address, event: event, numwant: settings.numwant, left: bytesLeft)
    }

    func arm(_ timer: ClientTimer, at time: SimTime, out: inout [ClientAction]) {
        timerDeadlines[timer.rawValue] = time
        out.append(.setTimer(timer, at: time))
    }
}
