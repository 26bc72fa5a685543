import BitTorrent
import Scenario
import Testing

@testable import Validation

/// The agreement family's scenarios are what the table in docs/validation.md describes:
/// four of them, each read in both tiers, differing only in what the tier sets.
@Suite struct FidelityAgreementScenarioTests {
    @Test func eachScenarioReadsInBothTiersAndOnlyTheTierDiffers() throws {
        #expect(FidelityAgreementCase.settings.count == 4)
        #expect(FidelityAgreementCase.settings.filter(\.inQuick).count == 2)
        for setting in FidelityAgreementCase.settings {
            let block = try FidelityAgreementCase.scenario(setting, tier: .block)
            let piece = try FidelityAgreementCase.scenario(setting, tier: .piece)
            #expect(block.fidelity == .block && piece.fidelity == .piece, "\(setting.label)")
            #expect(block.protocolSettings == ProtocolSettings(), "\(setting.label)")
            #expect(piece.protocolSettings.blockLength == 64 << 10, "\(setting.label)")
            #expect(piece.network.controlOverlap == .delaysNext, "\(setting.label)")
            // Everything else is the same swarm (the source differs by its override).
            var aligned = piece
            aligned.fidelity = .block
            aligned.protocolSettings = block.protocolSettings
            aligned.network = block.network
            aligned.source = block.source
            #expect(aligned == block, "\(setting.label)")
        }
    }

    /// Every quantity has a band, and the completion ratio is the one compared in absolute
    /// terms (a ratio near 1 has no room for a relative band to mean anything).
    @Test func bandsAreTheIssuesAndOnlyTheCompletionRatioIsAbsolute() {
        let quantities = FidelityAgreementCase.settings.flatMap(\.quantities)
        let bands = Dictionary(quantities.map { ($0.label, ($0.band, $0.relative)) }, uniquingKeysWith: { a, _ in a })
        #expect(bands["mean download"]! == (0.05, true))
        #expect(bands["p95 download"]! == (0.10, true))
        #expect(bands["completion ratio"]! == (0.01, false))
        #expect(bands["restricted mean lifetime"]! == (0.10, true))
        #expect(bands["BTT volume"]! == (0.10, true))
    }

    /// No pair is dropped silently: a value in one tier only, or a relative difference
    /// from zero, fails the equivalence check.
    @Test func aPairThatCannotBeComparedFailsRatherThanVanishes() {
        let mean = FidelityAgreementCase.meanDownload
        let completion = FidelityAgreementCase.completion
        #expect(FidelityAgreementCase.difference(mean, block: 200, piece: 210) == 0.05)
        #expect(FidelityAgreementCase.difference(completion, block: 0.99, piece: 0.98)! < 0)
        #expect(FidelityAgreementCase.difference(mean, block: nil, piece: nil) == nil)
        #expect(FidelityAgreementCase.difference(mean, block: 200, piece: nil) == .infinity)
        #expect(FidelityAgreementCase.difference(mean, block: 0, piece: 5) == .infinity)
        #expect(FidelityAgreementCase.difference(mean, block: 0, piece: 0) == 0)
        let values = [0.01, 0, .infinity]
        let check = ValidationCheck(
            model: "m", setting: "s", quantity: "q", expected: 0, values: values, rule: .equivalent(band: 0.05))
        #expect(check?.passed == false)
    }
}
