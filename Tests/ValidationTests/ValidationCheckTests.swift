import Testing

@testable import Validation

@Suite struct ValidationCheckTests {
    func check(_ values: [Double], expected: Double?, _ rule: ValidationCheck.Rule) -> ValidationCheck {
        ValidationCheck(model: "m", setting: "s", quantity: "q", expected: expected, values: values, rule: rule)!
    }

    @Test func aHardBoundFailsWhenAnyRunIsOnTheWrongSide() {
        #expect(check([1.2, 1.3, 1.0], expected: 1, .atLeast(1)).passed == true)
        #expect(check([1.2, 1.3, 0.99], expected: 1, .atLeast(1)).passed == false)
        #expect(check([0.02, 0.1], expected: 0, .atMost(0.1)).passed == true)
        #expect(check([0.02, 0.11], expected: 0, .atMost(0.1)).passed == false)
        #expect(check([0.02], expected: 0, .atMost(0.1)).ruleText == "every run ≤ 0.1")
    }

    /// 95 % interval of [9, 10, 11]: 10 ± 4.303 · 1/√3 = 7.52 … 12.48.
    @Test func aToleranceCheckPassesWhenTheIntervalMeetsTheWidenedExpectation() {
        let values = [9.0, 10, 11]
        #expect(check(values, expected: 12, .within(relative: 0)).passed == true)
        #expect(check(values, expected: 13, .within(relative: 0)).passed == false)
        #expect(check(values, expected: 13, .within(relative: 0.05)).passed == true, "12.48 ≥ 13 − 0.65")
        #expect(check(values, expected: 7, .within(relative: 0)).passed == false)
    }

    /// Equivalence (fidelity agreement): the whole interval must lie inside the band, so
    /// a mean of zero with a wide interval fails, and a single run proves nothing.
    @Test func anEquivalenceCheckNeedsTheWholeIntervalInsideTheBand() {
        // [−0.01, 0, 0.01]: 0 ± 4.303 · 0.01/√3 = ±0.0248.
        #expect(check([-0.01, 0, 0.01], expected: 0, .equivalent(band: 0.05)).passed == true)
        #expect(check([-0.01, 0, 0.01], expected: 0, .equivalent(band: 0.02)).passed == false)
        #expect(check([0.04, 0.05, 0.06], expected: 0, .equivalent(band: 0.05)).passed == false, "mean on the edge")
        #expect(check([-0.1, 0, 0.1], expected: 0, .equivalent(band: 0.05)).passed == false, "centred, too wide")
        #expect(check([0.001], expected: 0, .equivalent(band: 0.05)).passed == false, "one run has no interval")
        #expect(check([0.01, 0.02], expected: 0, .equivalent(band: 0.05)).ruleText == "CI inside ± 0.05")
    }

    /// Direction (a strategy's published effect): the whole interval must lie above the
    /// bound, so a positive mean that could be zero fails.
    @Test func aDirectionCheckNeedsTheWholeIntervalAboveTheBound() {
        // [0.2, 0.25, 0.3]: 0.25 ± 4.303 · 0.05/√3 = ±0.124.
        #expect(check([0.2, 0.25, 0.3], expected: nil, .above(0)).passed == true)
        #expect(check([0.2, 0.25, 0.3], expected: nil, .above(0.2)).passed == false)
        #expect(check([-0.1, 0.1, 0.3], expected: nil, .above(0)).passed == false, "positive mean, could be zero")
        #expect(check([0.5], expected: nil, .above(0)).passed == false, "one run has no interval")
        #expect(check([0.2, 0.3], expected: nil, .above(0)).ruleText == "CI above 0.0")
    }

    @Test func aReportedValueHasNoVerdict() {
        let c = check([3, 4], expected: nil, .reported)
        #expect(c.passed == nil)
        #expect(c.verdict == "report")
        #expect(c.minimum == 3 && c.maximum == 4)
    }

    @Test func noValuesGiveNoCheck() {
        #expect(
            ValidationCheck(model: "m", setting: "s", quantity: "q", expected: 1, values: [], rule: .atLeast(1)) == nil)
    }

    @Test func theTableHasOneRowPerCheckWithItsVerdict() {
        let table = ValidationReport.table([
            check([2, 3], expected: 1, .atLeast(1)), check([0.5], expected: 1, .atLeast(1)),
        ])
        #expect(table.header == ValidationReport.header)
        #expect(table.rows.map(\.last) == ["pass", "FAIL"])
        #expect(table.rows[0][3] == "1.000000" && table.rows[0][4] == "2.500000")
    }
}
