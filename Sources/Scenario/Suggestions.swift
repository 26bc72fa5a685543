/// "Did you mean" hints: a typo in a key or a unit should cost the user one glance.
enum Suggestions {
    /// The candidate closest to `word` by edit distance, when it is close enough to be a
    /// plausible typo (about one edit per three characters); case differences count less
    /// than other edits so `mbit/s` finds `Mbit/s`.
    static func closest(to word: String, among candidates: [String]) -> String? {
        guard !word.isEmpty else { return nil }
        let limit = max(1, word.count / 3)
        var best: (candidate: String, score: Int)?
        for candidate in candidates where candidate != word {
            let folded = editDistance(word.lowercased(), candidate.lowercased())
            guard folded <= limit, folded < word.count else { continue }
            // Twice the case-folded distance, plus one if the case also differs: ties
            // between candidates break toward the one with matching case.
            let score = 2 * folded + (editDistance(word, candidate) > folded ? 1 : 0)
            if best == nil || score < best?.score ?? .max { best = (candidate, score) }
        }
        return best?.candidate
    }

    /// `; did you mean "x"?` when a close candidate exists, otherwise `; <intro> a, b or c`
    /// listing every candidate, so the user always learns what is accepted.
    static func hint(for word: String, among candidates: [String], listIntro: String) -> String {
        if let match = closest(to: word, among: candidates) {
            return "; did you mean \(quoted(match))?"
        }
        return "; \(listIntro) \(list(candidates))"
    }

    /// `a, b or c`.
    static func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + last
    }

    /// Levenshtein distance over characters, in O(n·m) time and O(m) space.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
