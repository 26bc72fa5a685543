import Testing

@testable import BitTorrent

/// Hostile-input tests: random and mutated byte streams must make the decoder throw or
/// return messages, never trap and never loop. Every loop is bounded by the input size
/// (each decoded message consumes at least four bytes), so a hang would fail the bound.
@Suite struct WireFuzzTests {
    /// Decodes `bytes` fed in random chunks; returns the messages, stopping at an error.
    func drain(
        _ bytes: [UInt8], pieceCount: Int, handshakeFirst: Bool = false, using rng: inout SeededGenerator
    ) -> (messages: [WireMessage], failed: Bool) {
        var decoder = WireDecoder(pieceCount: pieceCount)
        var messages: [WireMessage] = []
        var offset = 0
        var calls = 0
        var expectingHandshake = handshakeFirst
        while offset < bytes.count {
            let end = min(bytes.count, offset + Int.random(in: 1...64, using: &rng))
            decoder.append(bytes[offset..<end])
            offset = end
            do throws(WireError) {
                if expectingHandshake {
                    guard try decoder.nextHandshake() != nil else { continue }
                    expectingHandshake = false
                }
                while let message = try decoder.next() {
                    messages.append(message)
                    calls += 1
                    guard calls <= bytes.count / 4 + 1 else {
                        Issue.record("decoder produced more messages than the input can hold")
                        return (messages, true)
                    }
                }
            } catch {
                return (messages, true)
            }
        }
        return (messages, false)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomBytesNeverCrash(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<3_000 {
            let bytes = rng.bytes(count: Int.random(in: 0...200, using: &rng))
            let pieceCount = Int.random(in: 0...64, using: &rng)
            _ = drain(bytes, pieceCount: pieceCount, handshakeFirst: Bool.random(using: &rng), using: &rng)
        }
    }

    /// Random bytes behind plausible length prefixes reach deeper than pure noise, which
    /// mostly fails at the first length check.
    @Test(arguments: [4, 5] as [UInt64])
    func randomFramesNeverCrash(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let payload = rng.bytes(count: Int.random(in: 0...20, using: &rng))
                appendUInt32(UInt32(payload.count + 1), to: &bytes)
                bytes.append(UInt8.random(in: 0...21, using: &rng))
                bytes += payload
            }
            _ = drain(bytes, pieceCount: Int.random(in: 0...64, using: &rng), using: &rng)
        }
    }

    /// Valid streams with a few bytes flipped, inserted or cut. Whatever decodes must be
    /// what the bytes say: re-encoding each message reproduces its frame (for `unknown`,
    /// whose payload is dropped, its header).
    @Test(arguments: [6, 7, 8] as [UInt64])
    func mutatedStreamsDecodeFaithfullyOrFail(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let samples = WireSamples.messages.filter { $0.wireSize < 200 }
        var failures = 0
        for _ in 0..<1_500 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                samples[Int.random(in: 0..<samples.count, using: &rng)].encode(into: &bytes)
            }
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let index = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0...2, using: &rng) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: index)
                default: bytes.remove(at: index)
                }
                if bytes.isEmpty { break }
            }
            let (messages, failed) = drain(bytes, pieceCount: WireSamples.pieceCount, using: &rng)
            if failed { failures += 1 }
            var position = 0
            for message in messages {
                let size = message.wireSize
                guard position + size <= bytes.count else {
                    Issue.record("message \(message) runs past the input")
                    break
                }
                let frame = Array(bytes[position..<position + size])
                if case .unknown = message {
                    #expect(Array(frame.prefix(5)) == Array(message.encoded().prefix(5)))
                } else {
                    #expect(frame == message.encoded(), "seed \(seed)")
                }
                position += size
            }
        }
        #expect(failures > 0, "mutations should break some streams")
    }

    @Test func garbageAfterAValidHandshakeNeverCrashes() {
        var rng = SeededGenerator(seed: 10)
        let handshake = Handshake(infoHash: sampleInfoHash(), peerID: PeerID(azureusStyle: 1)).encoded()
        for _ in 0..<1_000 {
            let bytes = handshake + rng.bytes(count: Int.random(in: 0...100, using: &rng))
            _ = drain(bytes, pieceCount: 16, handshakeFirst: true, using: &rng)
        }
    }
}
