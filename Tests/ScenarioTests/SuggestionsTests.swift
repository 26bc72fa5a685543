import Testing

@testable import Scenario

@Suite struct SuggestionsTests {
    @Test func editDistance() {
        #expect(Suggestions.editDistance("torent", "torrent") == 1)
        #expect(Suggestions.editDistance("", "abc") == 3)
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
        #expect(Suggestions.editDistance("same", "same") == 0)
    }

    @Test func closestIsAPlausibleTypo() {
        let keys = ScenarioSchema.topLevel
        #expect(Suggestions.closest(to: "torent", among: keys) == "torrent")
        #expect(Suggestions.closest(to: "sample-interval", among: keys) == "sample_interval")
        #expect(Suggestions.closest(to: "Seed", among: keys) == "seed")
        #expect(Suggestions.closest(to: "xyz", among: keys) == nil)
        #expect(Suggestions.closest(to: "bandwith", among: ScenarioSchema.peerGroup) == "bandwidth")
    }

    @Test func hintListsEverythingWithoutACloseMatch() {
        #expect(Suggestions.hint(for: "q", among: ["a", "b", "c"], listIntro: "use") == "; use a, b or c")
        #expect(Suggestions.hint(for: "ab", among: ["ab", "ac"], listIntro: "use") == "; did you mean \"ac\"?")
    }
}
