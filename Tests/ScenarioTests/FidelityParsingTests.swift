import BitTorrent
import SimKernel
import Testing

@testable import Scenario

/// `fidelity:` and the two protocol settings a tier sets (docs/model.md, "Fidelity tiers").
@Suite struct FidelityParsingTests {
    @Test func blockIsTheDefaultAndChangesNothing() throws {
        let scenario = try parse(document())
        #expect(scenario.fidelity == .block)
        #expect(scenario.protocolSettings == ProtocolSettings())
        #expect(scenario.protocolSettings.blockLength == 16_384)
        #expect(scenario.protocolSettings.haveBatch == .zero)
    }

    @Test func pieceMakesBlocks64KiBAndBatchesHaves() throws {
        let scenario = try parse(document(torrent: "{size: 4 MiB, piece_size: 512 KiB}", extra: "fidelity: piece"))
        #expect(scenario.fidelity == .piece)
        #expect(scenario.protocolSettings.blockLength == 65_536)
        #expect(scenario.protocolSettings.haveBatch == .seconds(10))
        // Every other setting keeps its default, with or without a protocol block.
        var expected = ProtocolSettings()
        expected.blockLength = 65_536
        expected.haveBatch = .seconds(10)
        #expect(scenario.protocolSettings == expected)
        let withBlock = try parse(
            document(torrent: "{size: 4 MiB, piece_size: 512 KiB}", extra: "fidelity: piece\nprotocol: {numwant: 9}"))
        expected.numwant = 9
        #expect(withBlock.protocolSettings == expected)
        // Pieces smaller than the tier's block are one block each.
        let small = try parse(document(torrent: "{size: 4 MiB, piece_size: 32 KiB}", extra: "fidelity: piece"))
        #expect(small.protocolSettings.blockLength == 32_768)
    }

    @Test func eitherSettingCanBeSetInEitherTier() throws {
        let block = try parse(document(extra: "protocol: {block_size: 64 KiB, have_batch: 500 ms}"))
        #expect(block.fidelity == .block)
        #expect(block.protocolSettings.blockLength == 65_536)
        #expect(block.protocolSettings.haveBatch == .milliseconds(500))
        let piece = try parse(document(extra: "fidelity: piece\nprotocol: {block_size: 16 KiB, have_batch: 0 s}"))
        #expect(piece.fidelity == .piece)
        #expect(piece.protocolSettings == ProtocolSettings())
    }

    /// `network.control_overlap`: the tier's default, which either tier may override.
    @Test func theTierChoosesWhoPaysForControlTimeUnlessTheScenarioDoes() throws {
        #expect(try parse(document()).network.controlOverlap == .delaysCurrent)
        let piece = try parse(document(extra: "fidelity: piece"))
        #expect(piece.network.controlOverlap == .delaysNext)
        #expect(piece.network.latency == NetworkSpec().latency)
        let latencyOnly = try parse(document(extra: "fidelity: piece\nnetwork: {latency: {constant: 5 ms}}"))
        #expect(latencyOnly.network.controlOverlap == .delaysNext)
        let exact = try parse(document(extra: "fidelity: piece\nnetwork: {control_overlap: delays_current}"))
        #expect(exact.network.controlOverlap == .delaysCurrent)
        let set = try parse(document(), overrides: [try Override.parse("network.control_overlap=delays_next")])
        #expect(set.network.controlOverlap == .delaysNext)
        expectError(
            document(extra: "network: {control_overlap: later}"), prefix: "x.yaml:7 network.control_overlap: ",
            "delays_current", "delays_next")
    }

    @Test func setOverridesTheTier() throws {
        let piece = try parse(document(), overrides: [try Override.parse("fidelity=piece")])
        #expect(piece.fidelity == .piece)
        #expect(piece.protocolSettings.blockLength == 65_536)
        let mixed = try parse(
            document(extra: "fidelity: piece"), overrides: [try Override.parse("protocol.block_size=32KiB")])
        #expect(mixed.protocolSettings.blockLength == 32_768)
        #expect(mixed.protocolSettings.haveBatch == .seconds(10))
    }

    @Test func badValuesAreRefusedWhereTheyAre() {
        expectError(
            document(extra: "fidelity: packet"), prefix: "x.yaml:7 fidelity: ", "unknown fidelity tier \"packet\"",
            "block", "piece")
        expectError(
            document(extra: "protocol: {block_size: 48 KiB}"), prefix: "x.yaml:7 protocol.block_size: ",
            "must divide the piece size (256 KiB)", "48 KiB")
        expectError(
            document(extra: "protocol: {block_size: 512 KiB}"), prefix: "x.yaml:7 protocol.block_size: ",
            "must divide the piece size (256 KiB)")
        expectError(
            document(extra: "protocol: {block_size: 0 B}"), prefix: "x.yaml:7 protocol.block_size: ",
            "must be positive")
        expectError(
            document(extra: "protocol: {have_batch: -1 s}"), prefix: "x.yaml:7 protocol.have_batch: ")
        expectError(
            document(extra: "protocol: {have_batch: 1}"), prefix: "x.yaml:7 protocol.have_batch: ",
            "the unit is missing")
    }
}
