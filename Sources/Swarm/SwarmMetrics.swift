import BitTorrent
import Incentives
import SimKernel

/// Swarm-wide observations: piece availability among online peers, counts of leechers
/// and seeds, delivered bytes, and the time series.
struct SwarmMetrics {
    /// Online peers holding each piece.
    private(set) var availability: [Int32]
    /// Pieces no online peer holds: the swarm has a full copy exactly when this is 0.
    private(set) var piecesMissing: Int
    private(set) var fullCopyExisted = false
    private(set) var death: SimTime?
    var onlineLeechers = 0
    var onlineSeeds = 0
    var completedTotal = 0
    var payloadDelivered: Int64 = 0
    private var deliveredAtLastSample: Int64 = 0
    private var transferredAtLastSample = TokenAmount.zero
    private var lastSampleTime = SimTime.zero
    private(set) var samples: [Sample] = []

    init(pieceCount: Int) {
        availability = Array(repeating: 0, count: pieceCount)
        piecesMissing = pieceCount
    }

    var online: Int { onlineLeechers + onlineSeeds }
    var hasFullCopy: Bool { piecesMissing == 0 }

    mutating func gained(_ piece: Int) {
        availability[piece] += 1
        if availability[piece] == 1 {
            piecesMissing -= 1
            if piecesMissing == 0 { fullCopyExisted = true }
        }
    }

    mutating func lost(_ piece: Int, now: SimTime) {
        precondition(availability[piece] > 0, "piece \(piece) lost more often than gained")
        availability[piece] -= 1
        if availability[piece] == 0 {
            piecesMissing += 1
            if fullCopyExisted && death == nil { death = now }
        }
    }

    mutating func gained(_ pieces: Bitfield) { pieces.forEachSet { gained($0) } }
    mutating func lost(_ pieces: Bitfield, now: SimTime) { pieces.forEachSet { lost($0, now: now) } }

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
