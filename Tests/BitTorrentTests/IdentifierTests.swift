import Testing

@testable import BitTorrent

@Suite struct InfoHashTests {
    let sample: [UInt8] = Array(1...20)

    @Test func roundTripsItsBytes() throws {
        let hash = try #require(InfoHash(bytes: sample))
        #expect(hash.bytes == sample)
        var out: [UInt8] = [0xAA]
        hash.append(to: &out)
        #expect(out == [0xAA] + sample)
    }

    @Test func needsExactlyTwentyBytes() {
        #expect(InfoHash(bytes: [UInt8](repeating: 0, count: 19)) == nil)
        #expect(InfoHash(bytes: [UInt8](repeating: 0, count: 21)) == nil)
        #expect(InfoHash(bytes: []) == nil)
        #expect(InfoHash(bytes: [UInt8](repeating: 0, count: 20)) != nil)
    }

    @Test func hexIsLowerCaseAndParsesBack() throws {
        let hash = try #require(InfoHash(bytes: [0x00, 0xFF] + Array(repeating: 0xAB, count: 18)))
        #expect(hash.hex == "00ff" + String(repeating: "ab", count: 18))
        #expect(hash.description == hash.hex)
        #expect(InfoHash(hex: hash.hex) == hash)
        #expect(InfoHash(hex: hash.hex.uppercased()) == hash)
    }

    @Test func rejectsMalformedHex() {
        #expect(InfoHash(hex: "") == nil)
        #expect(InfoHash(hex: String(repeating: "a", count: 39)) == nil)
        #expect(InfoHash(hex: String(repeating: "a", count: 41)) == nil)
        #expect(InfoHash(hex: String(repeating: "g", count: 40)) == nil)
        #expect(InfoHash(hex: String(repeating: "é", count: 20)) == nil)
    }

    @Test func everyByteMattersForEquality() throws {
        let base = try #require(InfoHash(bytes: sample))
        for index in sample.indices {
            var changed = sample
            changed[index] ^= 0x01
            #expect(try #require(InfoHash(bytes: changed)) != base)
        }
    }

    @Test func isStoredInline() {
        #expect(MemoryLayout<InfoHash>.size == 20)
        #expect(MemoryLayout<PeerID>.size == 20)
    }
}

@Suite struct PeerIDTests {
    @Test func azureusStyleIdsCarryTheClientPrefix() {
        let id = PeerID(azureusStyle: 5)
        #expect(id.bytes.count == 20)
        #expect(Array(id.bytes.prefix(8)) == ascii("-BS0001-"))
        #expect(id.description == "-BS0001------------4")
    }

    @Test func azureusStyleIdsAreDeterministicAndPrintable() {
        for number in [0, 1, 63, 64, UInt64.max, 0x0123_4567_89AB_CDEF] as [UInt64] {
            let id = PeerID(azureusStyle: number)
            #expect(id == PeerID(azureusStyle: number))
            #expect(id.bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
            #expect(id.description.hasPrefix(PeerID.clientPrefix))
        }
        #expect(PeerID(azureusStyle: UInt64.max).description == "-BS0001--Ezzzzzzzzzz")
    }

    /// Ids compare as their numbers do, so which duplicate connection stays depends on
    /// the peers' order only (docs/architecture.md, "One run, several torrents").
    @Test func azureusStyleIdsKeepTheOrderOfTheirNumbers() {
        var rng = SeededGenerator(seed: 9)
        let numbers = Array(0..<5_000 as Range<UInt64>) + (0..<5_000).map { _ in rng.next() } + [UInt64.max]
        let sorted = numbers.sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) where a != b {
            #expect(PeerID(azureusStyle: a) < PeerID(azureusStyle: b), "\(a) < \(b)")
        }
    }

    @Test func distinctNumbersGiveDistinctIds() {
        var rng = SeededGenerator(seed: 5)
        var numbers = Set<UInt64>()
        var ids = Set<PeerID>()
        for number in 0..<2_000 as Range<UInt64> {
            numbers.insert(number)
            ids.insert(PeerID(azureusStyle: number))
        }
        for _ in 0..<10_000 {
            let number = rng.next()
            numbers.insert(number)
            ids.insert(PeerID(azureusStyle: number))
        }
        #expect(ids.count == numbers.count)
    }

    @Test func rawIdsRoundTripAndBinaryIdsPrintAsHex() throws {
        let raw: [UInt8] = Array(repeating: 0x00, count: 20)
        let id = try #require(PeerID(bytes: raw))
        #expect(id.bytes == raw)
        #expect(id.description == String(repeating: "00", count: 20))
        #expect(PeerID(bytes: raw.dropLast()) == nil)
    }
}

/// An info-hash of twenty consecutive byte values from `first`: a recognisable fixture.
func sampleInfoHash(first: UInt8 = 100) -> InfoHash {
    guard let hash = InfoHash(bytes: (0..<20).map { first &+ UInt8($0) }) else {
        preconditionFailure("20 bytes always make an info-hash")
    }
    return hash
}
