import DequeModule
import SimKernel
import Testing

@testable import BitTorrent

/// Builds a picker whose availability is given like libtorrent's tests: one digit per
/// piece ("2223333" = availability per piece).
func makePicker(
    availability: String, pieceLength: Int = 4 * 16_384, have: [Int] = [], settings: ProtocolSettings = .init()
)
    -> PiecePicker
{
    let counts = availability.map { Int(String($0))! }
    let layout = PieceLayout(totalLength: Int64(counts.count * pieceLength), pieceLength: pieceLength)
    var bits = Bitfield(count: counts.count)
    for p in have { bits.insert(p) }
    var picker = PiecePicker(layout: layout, have: bits, settings: settings)
    for (p, c) in counts.enumerated() { for _ in 0..<c { picker.peerHas(p) } }
    return picker
}

func fullBitfield(_ n: Int) -> Bitfield { Bitfield(count: n, allSet: true) }

var rarestFirstSettings: ProtocolSettings {
    var s = ProtocolSettings()
    s.randomFirstPieces = 0
    return s
}

@Suite struct PiecePickerTests {
    let none = Deque<BlockRequest>()

    @Test func picksTheRarestPieceFirst() {
        for seed in 1...20 {
            var picker = makePicker(availability: "3332333", settings: rarestFirstSettings)
            var out: [BlockRequest] = []
            picker.pick(
                from: fullBitfield(7), limit: 1, outstanding: none, random: RandomStream(seed: UInt64(seed)), into: &out
            )
            #expect(out == [BlockRequest(piece: 3, begin: 0, length: 16_384)])
        }
    }

    @Test func skipsPiecesTheRemoteLacks() {
        var picker = makePicker(availability: "1233", settings: rarestFirstSettings)
        var remote = Bitfield(count: 4)
        remote.insert(2)
        remote.insert(3)
        var out: [BlockRequest] = []
        picker.pick(from: remote, limit: 1, outstanding: none, random: RandomStream(seed: 1), into: &out)
        #expect(out.first.map { $0.piece == 2 || $0.piece == 3 } == true)
        #expect(out.first?.piece != 0 && out.first?.piece != 1)
    }

    @Test func breaksTiesBetweenEquallyRarePiecesAtRandom() {
        var seen = Set<UInt32>()
        for seed in 1...40 {
            var picker = makePicker(availability: "5111", settings: rarestFirstSettings)
            var out: [BlockRequest] = []
            picker.pick(
                from: fullBitfield(4), limit: 1, outstanding: none, random: RandomStream(seed: UInt64(seed)), into: &out
            )
            seen.insert(out[0].piece)
        }
        #expect(seen == [1, 2, 3])
    }

    @Test func finishesAStartedPieceBeforeStartingAnother() {
        var picker = makePicker(availability: "1222", settings: rarestFirstSettings)
        var out: [BlockRequest] = []
        picker.pick(from: fullBitfield(4), limit: 2, outstanding: none, random: RandomStream(seed: 3), into: &out)
        #expect(out.map(\.piece) == [0, 0])
        #expect(out.map(\.begin) == [0, 16_384])
        // Another connection continues piece 0 (strict priority), lowest free block first.
        var more: [BlockRequest] = []
        picker.pick(from: fullBitfield(4), limit: 3, outstanding: none, random: RandomStream(seed: 3), into: &more)
        #expect(more.prefix(2).map(\.piece) == [0, 0])
        #expect(more.prefix(2).map(\.begin) == [32_768, 49_152])
        #expect(more[2].piece != 0)
    }

    @Test(arguments: [PiecePickerPolicy.rarestFirst, .random, .sequential])
    func completesAPieceWhenAllBlocksArrive(policy: PiecePickerPolicy) {
        var settings = rarestFirstSettings
        settings.piecePicker = policy
        var picker = makePicker(availability: "11", settings: settings)
        var out: [BlockRequest] = []
        picker.pick(from: fullBitfield(2), limit: 4, outstanding: none, random: RandomStream(seed: 1), into: &out)
        #expect(Set(out.map(\.piece)).count == 1)
        let receipts = out.map { picker.received($0) }
        #expect(receipts.dropLast().allSatisfy { $0 == .block })
        let piece = Int(out[0].piece)
        #expect(receipts.last == .pieceCompleted(piece))
        // Complete, but not ours until its check passes; a block again is a duplicate.
        #expect(!picker.have[piece] && picker.isAwaitingCheck(piece))
        #expect(picker.received(out[0]) == .duplicate)
        // Not picked again while it waits: the other piece is the only one left to start.
        var more: [BlockRequest] = []
        picker.pick(from: fullBitfield(2), limit: 8, outstanding: none, random: RandomStream(seed: 2), into: &more)
        #expect(!more.isEmpty && more.allSatisfy { Int($0.piece) != piece })
        #expect(!picker.partialPieces.contains(Int32(piece)))
        picker.verified(piece)
        #expect(picker.have[piece] && !picker.isAwaitingCheck(piece))
    }

    @Test func cancelledBlocksArePickedAgain() {
        var picker = makePicker(availability: "1", settings: rarestFirstSettings)
        var out: [BlockRequest] = []
        picker.pick(from: fullBitfield(1), limit: 4, outstanding: none, random: RandomStream(seed: 1), into: &out)
        #expect(picker.unrequestedBlocks == 0)
        picker.cancelled(out[1])
        #expect(picker.unrequestedBlocks == 1)
        var again: [BlockRequest] = []
        picker.pick(
            from: fullBitfield(1), limit: 4, outstanding: Deque([out[0], out[2], out[3]]),
            random: RandomStream(seed: 1), into: &again)
        #expect(again.first == out[1])
    }

    @Test func endGameRequestsOutstandingBlocksFromOtherPeersButNeverTwiceOnOneConnection() {
        var picker = makePicker(availability: "2", settings: rarestFirstSettings)
        var first: [BlockRequest] = []
        picker.pick(from: fullBitfield(1), limit: 10, outstanding: none, random: RandomStream(seed: 1), into: &first)
        #expect(first.count == 4)
        #expect(picker.inEndGame)
        var second: [BlockRequest] = []
        picker.pick(from: fullBitfield(1), limit: 10, outstanding: none, random: RandomStream(seed: 1), into: &second)
        #expect(second == first)
        #expect(picker.requestCount(first[0]) == 2)
        var third: [BlockRequest] = []
        picker.pick(
            from: fullBitfield(1), limit: 10, outstanding: Deque(first), random: RandomStream(seed: 1), into: &third)
        #expect(third.isEmpty)
    }

    @Test func endGameCanBeTurnedOff() {
        var settings = rarestFirstSettings
        settings.endGame = false
        var picker = makePicker(availability: "2", settings: settings)
        var first: [BlockRequest] = []
        picker.pick(from: fullBitfield(1), limit: 10, outstanding: none, random: RandomStream(seed: 1), into: &first)
        var second: [BlockRequest] = []
        picker.pick(from: fullBitfield(1), limit: 10, outstanding: none, random: RandomStream(seed: 1), into: &second)
        #expect(second.isEmpty)
        #expect(!picker.inEndGame)
    }

    @Test func firstPiecesArePickedAtRandomRegardlessOfRarity() {
        var pieces = Set<UInt32>()
        for seed in 1...30 {
            var picker = makePicker(availability: "19999999")  // default: 4 random first pieces
            var out: [BlockRequest] = []
            picker.pick(
                from: fullBitfield(8), limit: 1, outstanding: none, random: RandomStream(seed: UInt64(seed)), into: &out
            )
            pieces.insert(out[0].piece)
        }
        #expect(pieces.count > 3)
    }

    @Test func sequentialPolicyTakesTheLowestNeededPiece() {
        var settings = rarestFirstSettings
        settings.piecePicker = .sequential
        var picker = makePicker(availability: "9991", have: [0], settings: settings)
        var out: [BlockRequest] = []
        picker.pick(from: fullBitfield(4), limit: 1, outstanding: none, random: RandomStream(seed: 1), into: &out)
        #expect(out.first?.piece == 1)
    }

    @Test func lastPieceIsShorter() {
        let layout = PieceLayout(totalLength: 3 * 16_384 + 100, pieceLength: 2 * 16_384)
        #expect(layout.pieceCount == 2)
        #expect(layout.blockCount(ofPiece: 1) == 2)
        #expect(layout.length(ofBlock: 1, inPiece: 1) == 100)
        #expect(layout.isValid(BlockRequest(piece: 1, begin: 16_384, length: 100)))
        #expect(!layout.isValid(BlockRequest(piece: 1, begin: 16_384, length: 16_384)))
        #expect(!layout.isValid(BlockRequest(piece: 2, begin: 0, length: 16_384)))
    }
}
