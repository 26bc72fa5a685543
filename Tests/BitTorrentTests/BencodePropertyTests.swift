import Testing

@testable import BitTorrent

/// Property tests over values and byte strings drawn from fixed seeds: reproducible, yet
/// far more shapes than hand-written cases.
@Suite struct BencodePropertyTests {
    @Test(arguments: [1, 2, 3, 42] as [UInt64])
    func randomValuesRoundTrip(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<300 {
            let value = randomValue(depth: 0, using: &rng)
            let encoded = value.encode()
            let decoded = try BencodeValue.decode(encoded)
            #expect(decoded == value, "seed \(seed)")
            #expect(decoded.encode() == encoded, "seed \(seed)")
        }
    }

    /// The strict decoder accepts only canonical bencode, so whatever it accepts must
    /// re-encode to exactly the input. Mutated encodings probe that from every side.
    @Test(arguments: [7, 8, 9] as [UInt64])
    func acceptedMutantsAreCanonical(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var accepted = 0
        for _ in 0..<2_000 {
            var bytes = randomValue(depth: 0, using: &rng).encode()
            mutate(&bytes, using: &rng)
            do throws(BencodeError) {
                let value = try BencodeValue.decode(bytes)
                accepted += 1
                #expect(value.encode() == bytes, "seed \(seed)")
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count, "seed \(seed)")
            }
        }
        #expect(accepted > 0, "the mutations should not all be fatal")
    }

    @Test func randomGarbageNeverCrashes() {
        var rng = SeededGenerator(seed: 99)
        let alphabet = ascii("ilde0123456789:-")
        for round in 0..<5_000 {
            let count = Int.random(in: 0...40, using: &rng)
            // Half the inputs use bencode's own alphabet so they get past the first byte.
            let bytes: [UInt8] =
                round.isMultiple(of: 2)
                ? rng.bytes(count: count)
                : (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            if let value = try? BencodeValue.decode(bytes) {
                #expect(value.encode() == bytes, "round \(round)")
            }
        }
    }

    // MARK: - Generators

    private func randomValue(depth: Int, using rng: inout SeededGenerator) -> BencodeValue {
        let kind = depth >= 4 ? Int.random(in: 0...1, using: &rng) : Int.random(in: 0...3, using: &rng)
        switch kind {
        case 0:
            switch Int.random(in: 0...3, using: &rng) {
            case 0: return .integer(Int64.random(in: Int64.min...Int64.max, using: &rng))
            case 1: return .integer([Int64.min, Int64.max, 0, -1, 1][Int.random(in: 0...4, using: &rng)])
            default: return .integer(Int64.random(in: -1000...1000, using: &rng))
            }
        case 1:
            return .bytes(rng.bytes(count: Int.random(in: 0...24, using: &rng)))
        case 2:
            let count = Int.random(in: 0...5, using: &rng)
            return .list((0..<count).map { _ in randomValue(depth: depth + 1, using: &rng) })
        default:
            var dictionary = BencodeDictionary()
            for _ in 0..<Int.random(in: 0...5, using: &rng) {
                let key = rng.bytes(count: Int.random(in: 0...6, using: &rng))
                dictionary[bytes: key] = randomValue(depth: depth + 1, using: &rng)
            }
            return .dictionary(dictionary)
        }
    }

    /// Flips, inserts, deletes or truncates a few bytes, favouring bencode's structural
    /// characters so the result is often almost valid.
    private func mutate(_ bytes: inout [UInt8], using rng: inout SeededGenerator) {
        let interesting = ascii("ilde0123456789:-")
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let byte =
                Bool.random(using: &rng)
                ? interesting[Int.random(in: 0..<interesting.count, using: &rng)]
                : UInt8.random(in: 0...255, using: &rng)
            let index = Int.random(in: 0...bytes.count, using: &rng)
            switch Int.random(in: 0...3, using: &rng) {
            case 0 where index < bytes.count: bytes[index] = byte
            case 1: bytes.insert(byte, at: index)
            case 2 where index < bytes.count: bytes.remove(at: index)
            default: bytes.removeSubrange(index...)
            }
        }
    }
}
