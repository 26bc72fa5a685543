import Testing

@testable import Reports

/// Reference values come from Python's `statistics` module and SciPy 1.17 (`scipy.stats.t.ppf`,
/// `ttest_rel`, `ttest_ind(equal_var=False)`), computed independently of GSL; the call and its
/// result are in the comment above each test. Table values (t_{0.975,4} = 2.776445,
/// t_{0.995,4} = 4.604095) agree.
private func close(_ actual: Double?, _ expected: Double, relative: Double = 1e-6) -> Bool {
    guard let actual else { return false }
    return abs(actual - expected) <= relative * abs(expected)
}

/// One parent suite, so `--filter InferenceTests` selects all of them.
@Suite struct InferenceTests {
    @Suite struct MeanEstimateTests {
        /// mean 3, sd √2.5, half-width t_{0.975,4} · sd/√5 = 2.7764451051977934 · 0.7071067811865476.
        @Test func oneToFiveMatchesReference() throws {
            let e = try #require(Inference.mean([1, 2, 3, 4, 5]))
            #expect(e.n == 5)
            #expect(e.mean == 3)
            #expect(close(e.sd, 1.5811388300841898))
            #expect(close(e.low, 1.0367568385224428))
            #expect(close(e.high, 4.963243161477557))
            #expect(close(e.high - e.mean, 1.9632431614775572))
        }

        /// t_{0.995,4} = 4.604094871349992: half-width 3.2555867047577847.
        @Test func level99GivesTheWiderReferenceInterval() throws {
            let e95 = try #require(Inference.mean([1, 2, 3, 4, 5]))
            let e99 = try #require(Inference.mean([1, 2, 3, 4, 5], level: 0.99))
            #expect(close(e99.low, -0.25558670475778467))
            #expect(close(e99.high, 6.255586704757785))
            #expect(e99.low < e95.low)
            #expect(e99.high > e95.high)
            #expect(e99.mean == e95.mean)
        }

        @Test func noValuesGiveNil() {
            #expect(Inference.mean([]) == nil)
        }

        @Test func oneValueGivesAPointNotAnInterval() throws {
            let e = try #require(Inference.mean([7.5]))
            #expect(e == MeanEstimate(n: 1, mean: 7.5, sd: 0, low: 7.5, high: 7.5))
            #expect(!e.sd.isNaN)
        }

        @Test func identicalValuesCollapseTheInterval() throws {
            let e = try #require(Inference.mean([4, 4, 4, 4]))
            #expect(e == MeanEstimate(n: 4, mean: 4, sd: 0, low: 4, high: 4))
        }
    }

    @Suite struct PairedDifferenceTests {
        /// d = variant − base = [-0.7, -0.4, 0.1, -0.9, -0.8, -0.4, -0.8, -0.4]; scipy ttest_rel(variant, base):
        /// t = -4.6176725204117774, p = 0.002432819462270805; interval from t_{0.975,7}.
        static let base = [12.1, 14.3, 11.8, 13.5, 12.9, 15.2, 13.0, 12.4]
        static let variant = [11.4, 13.9, 11.9, 12.6, 12.1, 14.8, 12.2, 12.0]

        @Test func smallDatasetMatchesReference() throws {
            let p = try #require(Inference.paired(base: Self.base, variant: Self.variant))
            #expect(p.n == 8)
            #expect(close(p.meanDifference, -0.5375))
            #expect(close(p.low, -0.8127437574585266))
            #expect(close(p.high, -0.26225624254147367))
            #expect(close(p.pValue, 0.002432819462270805))
        }

        @Test func swappingTheArmsFlipsTheSignButNotTheP() throws {
            let forward = try #require(Inference.paired(base: Self.base, variant: Self.variant))
            let backward = try #require(Inference.paired(base: Self.variant, variant: Self.base))
            #expect(close(backward.meanDifference, -forward.meanDifference))
            #expect(close(backward.low, -forward.high))
            #expect(close(backward.pValue, forward.pValue))
        }

        /// Differences [1…5] minus the lower 95% bound of their mean sit exactly at t = t_{0.975,4}
        /// = 2.776445105 (table), so the two-sided p must be the table's 0.05.
        @Test func differenceAtTheCriticalTHasPOfFivePercent() throws {
            let low = 1.0367568385224428
            let p = try #require(Inference.paired(base: Array(repeating: low, count: 5), variant: [1, 2, 3, 4, 5]))
            #expect(close(p.pValue, 0.05))
            #expect(abs(p.low) < 1e-9)
        }

        @Test func identicalNonzeroDifferencesAreCertain() throws {
            let p = try #require(Inference.paired(base: [1, 2, 3], variant: [1.5, 2.5, 3.5]))
            #expect(p == PairedDifference(n: 3, meanDifference: 0.5, low: 0.5, high: 0.5, pValue: 0))
        }

        @Test func identicalRunsShowNoDifference() throws {
            let p = try #require(Inference.paired(base: [1, 2, 3], variant: [1, 2, 3]))
            #expect(p == PairedDifference(n: 3, meanDifference: 0, low: 0, high: 0, pValue: 1))
        }

        @Test func onePairIsNoEvidence() throws {
            let p = try #require(Inference.paired(base: [1], variant: [3]))
            #expect(p == PairedDifference(n: 1, meanDifference: 2, low: 2, high: 2, pValue: 1))
        }

        @Test func mismatchedOrEmptyArmsGiveNil() {
            #expect(Inference.paired(base: [1, 2, 3], variant: [1, 2]) == nil)
            #expect(Inference.paired(base: [], variant: [1]) == nil)
            #expect(Inference.paired(base: [], variant: []) == nil)
        }
    }

    @Suite struct WelchTests {
        /// Unequal spreads and sizes. Welch–Satterthwaite df in Python:
        /// (va/na + vb/nb)² / ((va/na)²/(na−1) + (vb/nb)²/(nb−1)) = 9.985380148345335 (pooled would be 13);
        /// scipy ttest_ind(a, b, equal_var=False): t = -0.217512822511659, p = 0.8321889821700753.
        static let a = [20.1, 22.4, 19.8, 21.7, 23.5, 20.9]
        static let b = [18.2, 25.9, 15.1, 28.3, 21.0, 16.7, 24.4, 19.5, 26.8]

        @Test func unequalVariancesMatchReference() throws {
            let w = try #require(Inference.welch(Self.a, Self.b))
            #expect(close(w.t, -0.217512822511659))
            #expect(close(w.degreesOfFreedom, 9.985380148345335))
            #expect(close(w.pValue, 0.8321889821700753))
        }

        @Test func tIsForAMinusB() throws {
            let forward = try #require(Inference.welch(Self.a, Self.b))
            let backward = try #require(Inference.welch(Self.b, Self.a))
            #expect(forward.t < 0)
            #expect(close(forward.t, -backward.t))
            #expect(forward.degreesOfFreedom == backward.degreesOfFreedom)
            #expect(close(forward.pValue, backward.pValue))
        }

        /// A clear difference: scipy gives t = -29.44283608986962, df = 7.998930862437646,
        /// p = 1.922668621519707e-09.
        @Test func clearDifferenceMatchesReference() throws {
            let w = try #require(
                Inference.welch([10.0, 10.1, 9.9, 10.05, 9.95], [12.0, 12.2, 11.8, 12.1, 11.9, 12.05]))
            #expect(close(w.t, -29.44283608986962))
            #expect(close(w.degreesOfFreedom, 7.998930862437646))
            #expect(close(w.pValue, 1.922668621519707e-09))
        }

        /// Ten times tighter spreads: scipy t = -293.3288358994914, df = 7.998930862437759,
        /// p = 2.052035584641866e-17 (mpmath's incomplete beta agrees to 16 digits); 1 − P would give 0 here.
        @Test func farTailPValueIsNotRoundedToZero() throws {
            let w = try #require(
                Inference.welch([10.0, 10.01, 9.99, 10.005, 9.995], [12.0, 12.02, 11.98, 12.01, 11.99, 12.005]))
            #expect(close(w.t, -293.3288358994914))
            #expect(close(w.degreesOfFreedom, 7.998930862437759))
            #expect(close(w.pValue, 2.052035584641866e-17))
            #expect(w.pValue > 0)
        }

        @Test func constantEqualSamplesShowNoDifference() throws {
            let w = try #require(Inference.welch([2, 2, 2], [2, 2]))
            #expect(w == WelchResult(t: 0, degreesOfFreedom: 3, pValue: 1))
        }

        @Test func constantDifferentSamplesAreCertain() throws {
            let up = try #require(Inference.welch([3, 3, 3], [2, 2]))
            #expect(up == WelchResult(t: .infinity, degreesOfFreedom: 3, pValue: 0))
            let down = try #require(Inference.welch([2, 2], [3, 3, 3]))
            #expect(down.t == -.infinity)
            #expect(down.pValue == 0)
        }

        @Test func oneSampleConstantStillUsesTheOthersSpread() throws {
            // va = 0, so df = (vb/nb)² / ((vb/nb)²/(nb−1)) = nb − 1 = 2; t = (0 − 2)/√(1/3), p from t_2.
            let w = try #require(Inference.welch([0, 0, 0], [1, 2, 3]))
            #expect(close(w.degreesOfFreedom, 2))
            #expect(close(w.t, -3.464101615137755))
            #expect(close(w.pValue, 0.07417990022744854))
        }

        @Test func fewerThanTwoValuesGiveNil() {
            #expect(Inference.welch([1], [1, 2, 3]) == nil)
            #expect(Inference.welch([1, 2, 3], [1]) == nil)
            #expect(Inference.welch([], []) == nil)
        }
    }
}
