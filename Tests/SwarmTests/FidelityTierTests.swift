import BitTorrent
import Scenario
import SimKernel
import Testing

@testable import Swarm

/// `fidelity: piece` runs the same client with 64 KiB blocks and batched `have`s
/// (docs/model.md, "Fidelity tiers"): the swarm still delivers every byte, in fewer events.
@Suite struct FidelityTierTests {
    static func crowd(_ fidelity: Fidelity) -> Scenario {
        var scenario = SwarmFixtures.flashCrowd(leechers: 30, sizeBytes: 4 << 20, pieceBytes: 256 << 10)
        scenario.fidelity = fidelity
        scenario.protocolSettings = fidelity.protocolDefaults(pieceSize: scenario.torrent.pieceSizeBytes)
        scenario.network.controlOverlap = fidelity.networkDefaults.controlOverlap
        return scenario
    }

    @Test func pieceFidelityDeliversTheWholeFileInFewerEvents() throws {
        let block = try SwarmFixtures.run(Self.crowd(.block), seed: 3)
        let piece = try SwarmFixtures.run(Self.crowd(.piece), seed: 3)
        for result in [block, piece] {
            let leechers = result.peers.filter { !$0.startedWithFile }
            #expect(leechers.count == 30 && leechers.allSatisfy { $0.completed != nil })
            // Every leecher got the whole file (bytesDown counts end game's copies too).
            #expect(leechers.allSatisfy { $0.bytesDown >= 4 << 20 })
        }
        #expect(piece.events * 2 < block.events, "block: \(block.events) events, piece: \(piece.events)")
    }

    /// The tier's block: the largest multiple of 16 KiB up to 64 KiB that divides the piece.
    @Test func theCoarseBlockDividesEveryPieceSize() {
        let kib = 1 << 10
        let expected = [16: 16, 32: 32, 48: 48, 64: 64, 80: 16, 96: 48, 128: 64, 256: 64, 4096: 64]
        for (piece, block) in expected.sorted(by: { $0.key < $1.key }) {
            let settings = Fidelity.piece.protocolDefaults(pieceSize: piece * kib)
            #expect(settings.blockLength == block * kib, "piece \(piece) KiB")
            #expect((piece * kib) % settings.blockLength == 0)
        }
        #expect(Fidelity.block.protocolDefaults(pieceSize: 256 * kib) == ProtocolSettings())
    }

    @Test func aBlockSizeThatDoesNotDivideThePieceIsRefusedBeforeTheRun() {
        var scenario = Self.crowd(.block)
        scenario.protocolSettings.blockLength = 48 << 10
        #expect(throws: MetainfoError.self) { try Simulation(scenario: scenario, seed: 1) }
    }

    @Test func theLayoutUsesTheProtocolsBlocks() throws {
        let piece = try Simulation(scenario: Self.crowd(.piece), seed: 1)
        #expect(piece.swarms[0].layout.blockLength == 64 << 10 && piece.swarms[0].layout.blocksPerPiece == 4)
        let block = try Simulation(scenario: Self.crowd(.block), seed: 1)
        #expect(block.swarms[0].layout.blockLength == 16 << 10 && block.swarms[0].layout.blocksPerPiece == 16)
    }
}
