import BitTorrent
import ClientHarness
import Testing

@testable import Live

/// Message stream encryption without sockets: two handshakes exchange bytes in chunks of
/// random size, and the ciphers they end with must agree with each other and with a
/// reference RC4.
struct MSEHandshakeTests {
    static let torrent = InfoHash(bytes: (0..<20).map { UInt8($0 * 7) })!

    struct Outcome {
        var initiator: MSEEstablished?
        var responder: MSEEstablished?
        var initiatorError: MSEFailure?
        var responderError: MSEFailure?
    }

    /// Runs both sides to the end; each side's bytes reach the other in random chunks.
    /// `afterResponder`: stream bytes the responder sends right behind its handshake.
    static func exchange(
        offering: MSEMethods, accepting: MSEMethods, preferred: MSEMethods = .rc4, responderTorrent: InfoHash = torrent,
        seed: UInt64
    ) -> Outcome {
        var random = SplitMix(seed: seed)
        let keysA = DiffieHellman768(privateKey: (0..<20).map { _ in UInt8.random(in: 0...255, using: &random) })!
        let keysB = DiffieHellman768(privateKey: (0..<20).map { _ in UInt8.random(in: 0...255, using: &random) })!
        let padA = (0..<Int.random(in: 0...512, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        let padB = (0..<Int.random(in: 0...512, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        var a = MSEHandshake(initiator: torrent, offering: offering, keys: keysA, padding: padA)
        var b = MSEHandshake(
            responder: responderTorrent, accepting: accepting, preferred: preferred, keys: keysB, padding: padB)
        var toB = a.opening()
        var toA: [UInt8] = []
        var outcome = Outcome()
        for _ in 0..<10_000 where outcome.initiatorError == nil && outcome.responderError == nil {
            if toB.isEmpty && toA.isEmpty { break }
            deliver(&toB, to: &b, replies: &toA, &outcome.responder, &outcome.responderError, &random)
            deliver(&toA, to: &a, replies: &toB, &outcome.initiator, &outcome.initiatorError, &random)
        }
        return outcome
    }

    /// Hands a random-sized prefix of `bytes` to `side`; its reply joins `replies`.
    static func deliver(
        _ bytes: inout [UInt8], to side: inout MSEHandshake, replies: inout [UInt8], _ done: inout MSEEstablished?,
        _ failure: inout MSEFailure?, _ random: inout SplitMix
    ) {
        guard !bytes.isEmpty else { return }
        let n = Int.random(in: 1...bytes.count, using: &random)
        let chunk = Array(bytes.prefix(n))
        bytes.removeFirst(n)
        do {
            let (send, outcome) = try side.receive(chunk)
            replies += send
            if let outcome { done = outcome }
        } catch { failure = error }
    }

    @Test(arguments: 0..<24 as Range<UInt64>)
    func bothSidesAgreeOnRC4AndTheirStreamsDecrypt(seed: UInt64) throws {
        let o = Self.exchange(offering: [.plaintext, .rc4], accepting: [.plaintext, .rc4], seed: seed)
        let a = try #require(o.initiator)
        let b = try #require(o.responder)
        #expect(a.method == .rc4 && b.method == .rc4)
        // A's outbound stream is B's inbound one and the reverse; ciphertext is not plaintext.
        let message = Array("\u{13}BitTorrent protocol and then some".utf8)
        let sealed = try #require(a.outbound).applied(message)
        #expect(sealed != message)
        #expect(try #require(b.inbound).applied(sealed) == message)
        #expect(try #require(a.inbound).applied(try #require(b.outbound).applied(message)) == message)
    }

    @Test func aResponderPreferringPlaintextGetsIt() throws {
        let o = Self.exchange(
            offering: [.plaintext, .rc4], accepting: [.plaintext, .rc4], preferred: .plaintext, seed: 7)
        #expect(o.initiator?.method == .plaintext && o.responder?.method == .plaintext)
        #expect(o.initiator?.inbound == nil && o.responder?.outbound == nil)
    }

    @Test func noCommonMethodIsRefusedByTheResponder() {
        let o = Self.exchange(offering: .plaintext, accepting: .rc4, seed: 3)
        #expect(o.responderError?.description.contains("offers methods 1") == true)
        #expect(o.initiator == nil && o.responder == nil)
    }

    @Test func aTorrentTheResponderDoesNotServeIsRefused() {
        let other = InfoHash(bytes: [UInt8](repeating: 9, count: 20))!
        let o = Self.exchange(offering: .rc4, accepting: .rc4, responderTorrent: other, seed: 5)
        #expect(o.responderError?.description.contains("torrent we do not serve") == true)
        #expect(o.initiator == nil)
    }

    @Test func bytesAfterTheHandshakeArriveAsPayload() throws {
        // The responder's stream right behind its step 4, in the same chunk.
        var random = SplitMix(seed: 11)
        let keysA = DiffieHellman768(privateKey: (0..<20).map { _ in UInt8.random(in: 0...255, using: &random) })!
        let keysB = DiffieHellman768(privateKey: (0..<20).map { _ in UInt8.random(in: 0...255, using: &random) })!
        var a = MSEHandshake(initiator: Self.torrent, offering: .rc4, keys: keysA, padding: [1, 2, 3])
        var b = MSEHandshake(responder: Self.torrent, accepting: .rc4, preferred: .rc4, keys: keysB, padding: [])
        let step2 = try b.receive(a.opening()).send
        let step3 = try a.receive(step2).send
        let (step4, doneB) = try b.receive(step3)
        let streamB = try #require(doneB)
        let hello = Array("hello from B".utf8)
        let (_, doneA) = try a.receive(step4 + (try #require(streamB.outbound)).applied(hello))
        #expect(try #require(doneA).payload == hello)
    }

    @Test func outOfRangeKeysAndMissingSynchronisationAreRefused() throws {
        let keys = try #require(DiffieHellman768())
        // Public keys 1 and P−1 make the secret guessable; 0 and P are not keys at all.
        var pMinusOne = DiffieHellman768.prime
        pMinusOne[95] -= 1
        for bad in [
            [UInt8](repeating: 0, count: 95) + [1], pMinusOne, [UInt8](repeating: 0, count: 96), DiffieHellman768.prime,
        ] {
            var b = MSEHandshake(responder: Self.torrent, accepting: .rc4, preferred: .rc4, keys: keys, padding: [])
            #expect(throws: MSEFailure.self) { try b.receive(bad) }
        }
        // A valid key, then 600 bytes in which no "req1" hash appears: more than padding may take.
        let other = try #require(DiffieHellman768())
        var b = MSEHandshake(responder: Self.torrent, accepting: .rc4, preferred: .rc4, keys: keys, padding: [])
        _ = try b.receive(other.publicKey)
        _ = try b.receive([UInt8](repeating: 0xAB, count: 500))
        #expect(throws: MSEFailure.self) { try b.receive([UInt8](repeating: 0xAB, count: 100)) }
    }

    @Test(arguments: 0..<40 as Range<UInt64>)
    func randomBytesAreRefusedWithinTheBoundOnPadding(seed: UInt64) throws {
        // Hostile input in random chunks: neither side traps, and each gives up by the time
        // the value it searches for can no longer come (the key, then 512 bytes of padding
        // and the 20- or 8-byte value).
        var random = SplitMix(seed: seed)
        let keys = try #require(DiffieHellman768())
        let other = try #require(DiffieHellman768())
        for initiator in [false, true] {
            var h =
                initiator
                ? MSEHandshake(initiator: Self.torrent, offering: .rc4, keys: keys, padding: [])
                : MSEHandshake(responder: Self.torrent, accepting: .rc4, preferred: .rc4, keys: keys, padding: [])
            let bound = 96 + 512 + (initiator ? 8 : 20)
            var fed = other.publicKey
            var refused = false
            _ = try? h.receive(other.publicKey)
            while fed.count < bound + 100 && !refused {
                let chunk = (0..<Int.random(in: 1...64, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
                fed += chunk
                do { _ = try h.receive(chunk) } catch { refused = true }
            }
            #expect(refused)
            #expect(fed.count >= bound && fed.count <= bound + 64)
        }
    }

    @Test func theDiffieHellmanArithmeticIsModularExponentiation() throws {
        // x = 1 gives G itself; both sides derive one secret; the prime is the 768-bit one.
        let one = try #require(DiffieHellman768(privateKey: [UInt8](repeating: 0, count: 19) + [1]))
        #expect(one.publicKey == [UInt8](repeating: 0, count: 95) + [2])
        let x = try #require(DiffieHellman768(privateKey: [UInt8](repeating: 0, count: 19) + [3]))
        #expect(x.publicKey == [UInt8](repeating: 0, count: 95) + [8])
        let a = try #require(DiffieHellman768())
        let b = try #require(DiffieHellman768())
        #expect(a.sharedSecret(remote: b.publicKey) == b.sharedSecret(remote: a.publicKey))
        #expect(a.sharedSecret(remote: b.publicKey)?.count == 96)
        #expect(DiffieHellman768.prime.count == 96 && DiffieHellman768.prime.first == 0xFF)
        #expect(DiffieHellman768.prime.last == 0x63)
    }

    @Test func libgcryptsRC4MatchesAReferenceAfterTheDiscardedKeystream() throws {
        var random = SplitMix(seed: 99)
        let key = (0..<20).map { _ in UInt8.random(in: 0...255, using: &random) }
        let text = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let stream = try #require(RC4Stream(key: key))
        // In two calls: the stream continues where the first stopped.
        let sealed = stream.applied(text[..<1234]) + stream.applied(text[1234...])
        #expect(sealed == Self.referenceRC4(key: key, text: text, discard: 1024))
    }

    /// RC4 as published (Schneier, Applied Cryptography), for the known-answer check above.
    static func referenceRC4(key: [UInt8], text: [UInt8], discard: Int) -> [UInt8] {
        var s = (0...255).map { UInt8($0) }
        var j = 0
        for i in 0..<256 {
            j = (j + Int(s[i]) + Int(key[i % key.count])) & 0xFF
            s.swapAt(i, j)
        }
        var i = 0
        j = 0
        var out: [UInt8] = []
        for n in 0..<(discard + text.count) {
            i = (i + 1) & 0xFF
            j = (j + Int(s[i])) & 0xFF
            s.swapAt(i, j)
            let k = s[(Int(s[i]) + Int(s[j])) & 0xFF]
            if n >= discard { out.append(text[n - discard] ^ k) }
        }
        return out
    }
}
