import BitTorrent
import Scenario
import SimKernel
import Swarm

/// Rarest-first keeps piece replication even (Legout, Urvoy-Keller and Michiardi, "Rarest
/// first and choke algorithms are enough", IMC 2006, measured it on real torrents): the
/// rarest piece's copies stay close to the average piece's. The steady-state swarm of the
/// fluid-model case (upload-bound) is run with rarest-first and with random piece
/// selection, on the same seeds, and the time average of min/mean copies after the warm-up
/// is compared.
struct PieceReplicationCase: ValidationCase {
    let name = "piece-replication"

    func checks(quick: Bool, runner: ValidationRunner) throws -> [ValidationCheck] {
        let replications = quick ? 2 : 5
        let duration = quick ? SimTime.hours(1) : .hours(3)
        let warmUp = quick ? SimTime.minutes(20) : .minutes(30)
        let evenness = { (picker: PiecePickerPolicy) throws -> [Double] in
            try runner.run(Self.scenario(picker, duration: duration), replications: replications).map {
                Self.evenness($0, after: warmUp)
            }
        }
        let rarest = try evenness(.rarestFirst)
        let random = try evenness(.random)
        let setting = "steady state, λ = 0.5/s"
        return [
            ValidationCheck(
                model: name, setting: setting, quantity: "min/mean copies, rarest-first", expected: nil, values: rarest,
                rule: .reported),
            ValidationCheck(
                model: name, setting: setting, quantity: "min/mean copies, random", expected: nil, values: random,
                rule: .reported),
            ValidationCheck(
                model: name, setting: setting, quantity: "rarest-first − random, same seed", expected: 0,
                values: zip(rarest, random).map { $0 - $1 }, rule: .atLeast(0)),
        ].compactMap { $0 }
    }

    static func scenario(_ picker: PiecePickerPolicy, duration: SimTime) -> Scenario {
        var scenario = FluidModelCase.scenario(FluidModelCase.settings[0], duration: duration)
        scenario.name = "validate-piece-replication-\(picker.rawValue)"
        scenario.protocolSettings.piecePicker = picker
        return scenario
    }

    /// The average over the samples after the warm-up of rarest count / mean count.
    static func evenness(_ result: RunResult, after warmUp: SimTime) -> Double {
        let steady = result.samples.filter { $0.time >= warmUp && $0.meanCopies > 0 }
        guard !steady.isEmpty else { return .nan }
        return steady.map { $0.distributedCopies.rounded(.down) / $0.meanCopies }.reduce(0, +) / Double(steady.count)
    }
}
