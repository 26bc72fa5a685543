import Reports
import Scenario
import SimKernel
import Swarm

/// How far `fidelity: piece` is from `fidelity: block` (docs/model.md, "Fidelity tiers"):
/// the same four scenarios in both tiers, replication i of each with the same seed (common
/// random numbers), compared pair by pair. A check passes when the 95 % interval of the
/// paired difference lies inside its band, fixed before the first run (issue 22): relative
/// for times, lifetimes and BTT volume, absolute for the completion ratio.
struct FidelityAgreementCase: ValidationCase {
    let name = "fidelity-agreement"

    /// One compared quantity: how it is read from a run, its band, and whether the band is
    /// relative to the `block` value.
    struct Quantity: Sendable {
        var label: String
        var band: Double
        var relative: Bool
        var read: @Sendable (RunResult, RunSummary) -> Double?
    }

    static let meanDownload = Quantity(label: "mean download", band: 0.05, relative: true) { _, s in s.meanDownload }
    static let p95Download = Quantity(label: "p95 download", band: 0.10, relative: true) { _, s in s.p95Download }
    static let completion = Quantity(label: "completion ratio", band: 0.01, relative: false) { _, s in
        s.completionRatio
    }
    static let lifetime = Quantity(label: "restricted mean lifetime", band: 0.10, relative: true) { _, s in
        s.lifetimeCapped
    }
    static let bttVolume = Quantity(label: "BTT volume", band: 0.10, relative: true) { r, _ in
        r.bttVolume.btt
    }

    /// A scenario of the family and the quantities that mean something in it.
    struct Setting: Sendable {
        var label: String
        var yaml: String
        var quantities: [Quantity]
        var inQuick: Bool
    }

    func checks(quick: Bool, runner: ValidationRunner) throws -> [ValidationCheck] {
        var checks: [ValidationCheck] = []
        for setting in Self.settings where !quick || setting.inQuick {
            let block = try runner.run(Self.scenario(setting, tier: .block), replications: 5)
            let piece = try runner.run(Self.scenario(setting, tier: .piece), replications: 5)
            let blockSummaries = block.map(RunSummary.init)
            let pieceSummaries = piece.map(RunSummary.init)
            for quantity in setting.quantities {
                let differences = block.indices.compactMap { i in
                    Self.difference(
                        quantity, block: quantity.read(block[i], blockSummaries[i]),
                        piece: quantity.read(piece[i], pieceSummaries[i]))
                }
                let what = quantity.relative ? "relative difference" : "difference"
                if let check = ValidationCheck(
                    model: name, setting: setting.label, quantity: "\(quantity.label), piece − block \(what)",
                    expected: 0, values: differences, rule: .equivalent(band: quantity.band))
                {
                    checks.append(check)
                }
            }
            // What the agreement buys: the tier's share of the reference's events.
            let eventShares = zip(block, piece).map { Double($1.events) / Double(max(1, $0.events)) }
            if let check = ValidationCheck(
                model: name, setting: setting.label, quantity: "events, piece ÷ block", expected: nil,
                values: eventShares, rule: .reported)
            {
                checks.append(check)
            }
        }
        return checks
    }

    /// One replication's paired difference. A pair where neither tier has the value (no
    /// download completed in either) says nothing and is left out; a pair where only one
    /// has it, or a relative difference from zero, is a disagreement no band can hold, so
    /// it counts as infinite and fails the check instead of being dropped.
    static func difference(_ quantity: Quantity, block x: Double?, piece y: Double?) -> Double? {
        switch (x, y) {
        case (nil, nil): return nil
        case (let x?, let y?):
            guard quantity.relative else { return y - x }
            if x == 0 { return y == 0 ? 0 : .infinity }
            return (y - x) / x
        default: return .infinity
        }
    }

    static func scenario(_ setting: Setting, tier: Fidelity) throws -> Scenario {
        try ScenarioLoader.parse(
            yaml: setting.yaml, file: "fidelity-agreement/\(setting.label)",
            overrides: [Override(path: "fidelity", value: tier.rawValue, origin: .commandLine)])
    }
}
