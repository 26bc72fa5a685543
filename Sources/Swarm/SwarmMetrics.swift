import BitTorrent
import Incentives
import SimKernel

/// Swarm-wide observations: piece availability among online peers, counts of leechers
/// and seeds, delivered bytes, and the time series.
struct SwarmMetrics {
    /// Online peers holding each piece; empty while nobody is online (`releaseAvailability`).
    private(set) var availability: [Int32] = []
    let pieceCount: Int
    /// Pieces no online peer holds: the swarm has a full copy exactly when this is 0.
    private(set) var piecesMissing: Int
    /// When the online peers first held a full copy between them: the swarm's lifetime
    /// starts here (docs/metrics.md, "Availability and lifetime").
    private(set) var firstAvailable: SimTime?
    /// The first time after `firstAvailable` that they no longer did.
    private(set) var death: SimTime?
    /// Time available before the current stretch, and when that stretch began (nil while
    /// the swarm is not available): revivals count.
    private var availableBefore = SimTime.zero
    private var availableSince: SimTime?
    var onlineLeechers = 0
    var onlineSeeds = 0
    var completedTotal = 0
    var payloadDelivered: Int64 = 0
    private var deliveredAtLastSample: Int64 = 0
    private var transferredAtLastSample = TokenAmount.zero
    private var lastSampleTime = SimTime.zero
    private(set) var samples: [Sample] = []

    init(pieceCount: Int) {
        self.pieceCount = pieceCount
        piecesMissing = pieceCount
    }

    /// Nobody is online, so every count is 0: the array goes until a piece comes back.
    /// Copies and mean copies read 0 from an empty array, as from zeros.
    mutating func releaseAvailability() {
        availability = []
    }

    var online: Int { onlineLeechers + onlineSeeds }
    var hasFullCopy: Bool { piecesMissing == 0 }

    mutating func gained(_ piece: Int, now: SimTime) {
        if availability.isEmpty { availability = Array(repeating: 0, count: pieceCount) }
        availability[piece] += 1
        if availability[piece] == 1 {
            piecesMissing -= 1
            if piecesMissing == 0 {
                if firstAvailable == nil { firstAvailable = now }
                availableSince = now
            }
        }
    }

    mutating func lost(_ piece: Int, now: SimTime) {
        precondition(!availability.isEmpty && availability[piece] > 0, "piece \(piece) lost more often than gained")
        availability[piece] -= 1
        if availability[piece] == 0 {
            piecesMissing += 1
            if piecesMissing == 1, let since = availableSince {
                availableBefore += now - since
                availableSince = nil
                if death == nil { death = now }
            }
        }
    }

    mutating func gained(_ pieces: Bitfield, now: SimTime) { pieces.forEachSet { gained($0, now: now) } }
    mutating func lost(_ pieces: Bitfield, now: SimTime) { pieces.forEachSet { lost($0, now: now) } }

    /// How long the swarm was available up to `end`, revivals included.
    func availableTime(until end: SimTime) -> SimTime {
        availableBefore + (availableSince.map { end - $0 } ?? .zero)
    }

    /// libtorrent's distributed copies: the rarest piece's count plus the fraction of
    /// pieces more common than that.
    var distributedCopies: Double {
        guard let rarest = availability.min() else { return 0 }
        let above = availability.reduce(0) { $0 + ($1 > rarest ? 1 : 0) }
        return Double(rarest) + Double(above) / Double(availability.count)
    }

    var meanCopies: Double {
        availability.isEmpty ? 0 : Double(availability.reduce(0) { $0 + Int($1) }) / Double(availability.count)
    }

    /// `bttTransferred` is the run's running total; the sample keeps the part since the
    /// previous sample, like `throughput_bps`.
    mutating func takeSample(now: SimTime, bttTransferred: TokenAmount) {
        let elapsed = now - lastSampleTime
        let bits = Double(payloadDelivered - deliveredAtLastSample) * 8
        samples.append(
            Sample(
                time: now, leechers: onlineLeechers, seeds: onlineSeeds, completedTotal: completedTotal,
                distributedCopies: distributedCopies, meanCopies: meanCopies,
                throughputBitsPerSecond: elapsed > .zero ? bits / elapsed.seconds : 0,
                bttTransferred: bttTransferred - transferredAtLastSample))
        deliveredAtLastSample = payloadDelivered
        transferredAtLastSample = bttTransferred
        lastSampleTime = now
    }
}
