import ClientHarness
import SimKernel
import Testing

@testable import BitTorrent

/// A client whose driver checks pieces (`checksPieces`, Live's SHA-1 off the event loop):
/// a complete piece counts only once the driver's answer comes, a failed one is fetched
/// again, and nothing is shared before it passes.
struct PieceCheckTests {
    @Test func aPieceCountsOnlyWhenItsCheckPasses() {
        let pair = ClientPair()
        pair.b.checksPieces = true
        pair.connectAndRun()
        let pieces = ClientPair.layout.pieceCount
        // Every block is here, nothing is ours yet: no have went out, nothing is complete.
        #expect(Set(pair.checks.map(\.piece)) == Set(0..<pieces))
        #expect(pair.checks.allSatisfy { !$0.isA })
        #expect(pair.b.have.isEmpty && !pair.b.isSeed)
        #expect(pair.b.bytesLeft == Int64(ClientPair.layout.totalLength))
        pair.answerChecks()
        #expect(pair.b.isSeed && pair.b.bytesLeft == 0)
        // A second answer for a verified piece changes nothing.
        var out: [ClientAction] = []
        pair.b.pieceChecked(0, passed: false, now: pair.now, out: &out)
        #expect(out.isEmpty && pair.b.have[0])
    }

    @Test func aFailedPieceIsFetchedAgainAndThenPasses() {
        let pair = ClientPair()
        pair.b.checksPieces = true
        pair.connectAndRun()
        var failedOnce = false
        pair.answerChecks { piece in
            guard piece == 2, !failedOnce else { return true }
            failedOnce = true
            return false
        }
        // Piece 2 came again and waits for its second check; the rest are ours.
        #expect(failedOnce)
        #expect(pair.checks.map(\.piece) == [2])
        #expect(!pair.b.have[2] && pair.b.have.setCount == ClientPair.layout.pieceCount - 1)
        pair.answerChecks()
        #expect(pair.b.isSeed)
        // The failed piece's bytes were downloaded twice; availability stayed consistent.
        let total = Int64(ClientPair.layout.totalLength)
        #expect(pair.b.bytesDownloaded == total + Int64(ClientPair.layout.length(ofPiece: 2)))
        #expect(pair.b.picker.availability.isConsistent())
    }

    @Test func answersForPiecesNotAwaitingACheckAreIgnored() {
        let pair = ClientPair()
        pair.b.checksPieces = true
        pair.connectAndRun()
        for piece in [-1, ClientPair.layout.pieceCount, Int.max] {
            var out: [ClientAction] = []
            pair.b.pieceChecked(piece, passed: true, now: pair.now, out: &out)
            #expect(out.isEmpty)
        }
        #expect(pair.b.have.isEmpty)
    }
}
