import Scenario
import SimKernel
import Swarm
import Testing

@testable import Validation

/// The models' closed forms, against values worked out by hand, so a slip in a formula
/// cannot hide behind a simulated value that happens to agree.
@Suite struct ModelTests {
    /// μ = 1 Mbit/s / 128 Mibit = 1/134.2 files/s, 1/c = 16.8 s. Upload-bound with mean
    /// seeding 60 s: 1/β = 134.2 − 60 = 74.2 s; x̄ = 0.5 · 74.2; ȳ = 0.5 · 60.
    @Test func fluidModelUploadBound() {
        let p = FluidModelCase.prediction(FluidModelCase.settings[0])
        #expect(abs(p.downloadTime - (134.217728 - 60)) < 1e-6)
        #expect(abs(p.leechers - 0.5 * 74.217728) < 1e-6)
        #expect(abs(p.seeds - 30) < 1e-9)
    }

    /// With aborts (θ = 1/600): T = 1/(θ + β), ȳ = λ/(γ(1 + θ/β)).
    @Test func fluidModelWithAborts() {
        let p = FluidModelCase.prediction(FluidModelCase.settings[1])
        let beta = 1 / 74.217728
        #expect(abs(p.downloadTime - 1 / (1.0 / 600 + beta)) < 1e-6)
        #expect(abs(p.seeds - 0.5 * 60 / (1 + (1.0 / 600) / beta)) < 1e-6)
    }

    /// Seeding 300 s outlasts an upload's 134 s: the downlink binds, T = 1/c = 16.8 s.
    @Test func fluidModelDownloadBound() {
        let p = FluidModelCase.prediction(FluidModelCase.settings[2])
        #expect(abs(p.downloadTime - 134.217728 / 8) < 1e-6)
        #expect(abs(p.seeds - 150) < 1e-9)
    }

    /// Φ̄(2.41/2.52) = 0.1694 and Φ̄((ln 10 + 2.41)/2.52) = 0.0307 (Pouwelse's 17 % and 3 %).
    @Test func lognormalSeedingTail() {
        #expect(abs(SeedingTimeCase.tail(hours: 1) - 0.1694) < 1e-4)
        #expect(abs(SeedingTimeCase.tail(hours: 10) - 0.0307) < 1e-4)
    }

    /// Each mix is bound by the term it is named after: F/u_s, F/d_min, or the peers' total.
    @Test func eachKumarRossMixIsBoundByItsTerm() throws {
        let bits = Double(KumarRossCase.fileBytes) * 8
        let results = try KumarRossCase.mixes.prefix(3).map { mix in
            try Simulation(scenario: KumarRossCase.scenario(mix), seed: 1).run()
        }
        let bounds = results.map(KumarRossCase.minimumTime)
        #expect(abs(bounds[0] - 60 * bits / (2e6 + 60e6)) < 1e-6)
        #expect(abs(bounds[1] - bits / 0.5e6) < 1e-6)
        #expect(abs(bounds[2] - bits / 1e6) < 1e-6)
        for (result, tmin) in zip(results, bounds) { #expect(KumarRossCase.lastFinish(result) >= tmin) }
    }
}
