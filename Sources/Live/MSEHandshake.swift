import BitTorrent
import Crypto

/// The methods of `crypto_provide` / `crypto_select`: what protects the stream once the
/// encryption handshake is done.
public struct MSEMethods: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The handshake itself is obfuscated; the BitTorrent stream after it is not.
    public static let plaintext = MSEMethods(rawValue: 0x01)
    /// Every byte after the handshake goes through RC4.
    public static let rc4 = MSEMethods(rawValue: 0x02)
}

/// A completed encryption handshake: the method chosen, a cipher per direction (nil
/// for plaintext) and the payload bytes that arrived with or after the handshake,
/// already decrypted. They are the start of the BitTorrent stream.
struct MSEEstablished {
    let method: MSEMethods
    let inbound: RC4Stream?
    let outbound: RC4Stream?
    let payload: [UInt8]
}

/// Why an encryption handshake failed; the connection is closed.
struct MSEFailure: Error, CustomStringConvertible {
    let description: String
}

/// Message stream encryption (MSE/PE, the Vuze and libtorrent specification), as a pure
/// state machine: bytes in, bytes to send out, no sockets or timers. A (the initiator,
/// who dialed) and B (the responder):
///
///     1 A→B  Ya, PadA                          (Diffie–Hellman public key, 0–512 bytes)
///     2 B→A  Yb, PadB
///     3 A→B  SHA1("req1", S), SHA1("req2", SKEY) ⊕ SHA1("req3", S),
///            RC4(VC, crypto_provide, len(PadC), PadC, len(IA)), RC4(IA)
///     4 B→A  RC4(VC, crypto_select, len(PadD), PadD), then the stream
///
/// S is the shared secret, SKEY the torrent's info-hash, VC eight zero bytes; A sends
/// with RC4 keyed SHA1("keyA", S, SKEY), B with SHA1("keyB", S, SKEY). Each side finds
/// where the other's padding ends by searching for a value it can compute (B the "req1"
/// hash, A the encrypted VC) within the 512 bytes padding may take. Our IA is empty:
/// the BitTorrent handshake follows once this one is done.
///
/// Every length read from the remote is bounded before use, so a hostile peer can make
/// us buffer at most 96 + 532 + 40 + 526 + 65,535 bytes.
struct MSEHandshake {
    static let maxPadding = 512
    private static let verificationConstant = [UInt8](repeating: 0, count: 8)

    private enum State {
        case awaitingKey
        /// The initiator, after step 3: searching for RC4(VC).
        case awaitingVC(expected: [UInt8], inbound: RC4Stream, outbound: RC4Stream)
        case awaitingSelect(inbound: RC4Stream, outbound: RC4Stream)
        case awaitingPadD(length: Int, method: MSEMethods, inbound: RC4Stream, outbound: RC4Stream)
        /// The responder, after step 2: searching for the "req1" hash.
        case awaitingReq1(secret: [UInt8])
        case awaitingTorrent(secret: [UInt8])
        case awaitingProvide(inbound: RC4Stream, outbound: RC4Stream)
        case awaitingPadC(length: Int, provided: MSEMethods, inbound: RC4Stream, outbound: RC4Stream)
        case awaitingIA(length: Int, provided: MSEMethods, inbound: RC4Stream, outbound: RC4Stream)
        case done
    }

    private let isInitiator: Bool
    private let infoHash: InfoHash
    /// Initiator: what we offer. Responder: what we accept.
    private let methods: MSEMethods
    /// Responder: the method chosen when the initiator offers it among others.
    private let preferred: MSEMethods
    private let keys: DiffieHellman768
    private let padding: [UInt8]
    private var state = State.awaitingKey
    private var buffer: [UInt8] = []

    /// The side that dialed. `padding`: PadA (at most 512 bytes; random by default).
    init(initiator infoHash: InfoHash, offering methods: MSEMethods, keys: DiffieHellman768, padding: [UInt8]) {
        isInitiator = true
        self.infoHash = infoHash
        self.methods = methods
        preferred = methods
        self.keys = keys
        self.padding = padding
    }

    /// The side that accepted: answers for `infoHash` only, with `preferred` if the
    /// initiator offers it, else any other method of `accepting` it offers.
    init(
        responder infoHash: InfoHash, accepting methods: MSEMethods, preferred: MSEMethods, keys: DiffieHellman768,
        padding: [UInt8]
    ) {
        isInitiator = false
        self.infoHash = infoHash
        self.methods = methods
        self.preferred = preferred
        self.keys = keys
        self.padding = padding
    }

    /// Random padding of 0–512 bytes, as the specification suggests.
    static func randomPadding() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<Int.random(in: 0...maxPadding, using: &generator)).map { _ in
            UInt8.random(in: 0...255, using: &generator)
        }
    }

    /// What to send as soon as the connection is up: Ya and PadA for the initiator,
    /// nothing for the responder (it speaks after Ya).
    func opening() -> [UInt8] { isInitiator ? keys.publicKey + padding : [] }

    /// Takes bytes from the remote; returns what to send in reply and, once the handshake
    /// is complete, its outcome. Bytes past the handshake are the outcome's payload.
    mutating func receive(_ bytes: some Collection<UInt8>) throws(MSEFailure) -> (
        send: [UInt8], established: MSEEstablished?
    ) {
        buffer.append(contentsOf: bytes)
        var send: [UInt8] = []
        while true {
            switch try step(&send) {
            case .needMore: return (send, nil)
            case .progressed: continue
            case .established(let outcome): return (send, outcome)
            }
        }
    }

    private enum Step {
        case needMore, progressed
        case established(MSEEstablished)
    }

    private mutating func step(_ send: inout [UInt8]) throws(MSEFailure) -> Step {
        switch state {
        case .awaitingKey:
            guard let remote = take(DiffieHellman768.keyLength) else { return .needMore }
            guard let secret = keys.sharedSecret(remote: remote) else {
                throw MSEFailure(description: "encryption handshake: the remote's Diffie–Hellman key is out of range")
            }
            if isInitiator {
                let (inbound, outbound) = try ciphers(secret, receiving: "keyB", sending: "keyA")
                send += Self.sha1("req1", secret)
                send += zip(Self.sha1("req2", infoHash.bytes), Self.sha1("req3", secret)).map { $0 ^ $1 }
                var header = Self.verificationConstant + Self.bigEndian(methods.rawValue, bytes: 4)
                header += Self.bigEndian(0, bytes: 2) + Self.bigEndian(0, bytes: 2)  // no PadC, no IA
                send += outbound.applied(header)
                // The responder's RC4(VC) is the first eight bytes of its keystream.
                let expected = RC4Stream(key: Self.sha1("keyB", secret, infoHash.bytes))?.applied(
                    Self.verificationConstant)
                guard let expected else { throw Self.cipherUnavailable }
                state = .awaitingVC(expected: expected, inbound: inbound, outbound: outbound)
            } else {
                send += keys.publicKey + padding
                state = .awaitingReq1(secret: secret)
            }
            return .progressed

        case .awaitingVC(let expected, let inbound, let outbound):
            guard try synchronize(on: expected, what: "the responder's verification constant") else { return .needMore }
            _ = inbound.applied(expected)  // the VC itself: keeps the keystream in step
            state = .awaitingSelect(inbound: inbound, outbound: outbound)
            return .progressed

        case .awaitingSelect(let inbound, let outbound):
            guard let fields = take(6).map(inbound.applied) else { return .needMore }
            let selected = MSEMethods(rawValue: Self.number(fields[0..<4]))
            guard selected == .plaintext || selected == .rc4, methods.contains(selected) else {
                throw MSEFailure(
                    description:
                        "encryption handshake: the responder selected method \(selected.rawValue), not one we offered")
            }
            let padLength = Int(Self.number(fields[4..<6]))
            guard padLength <= Self.maxPadding else { throw Self.padTooLong(padLength) }
            state = .awaitingPadD(length: padLength, method: selected, inbound: inbound, outbound: outbound)
            return .progressed

        case .awaitingPadD(let length, let method, let inbound, let outbound):
            guard let pad = take(length) else { return .needMore }
            _ = inbound.applied(pad)
            return .established(finish(method, inbound: inbound, outbound: outbound, payload: []))

        case .awaitingReq1(let secret):
            guard try synchronize(on: Self.sha1("req1", secret), what: "the initiator's key hash") else {
                return .needMore
            }
            state = .awaitingTorrent(secret: secret)
            return .progressed

        case .awaitingTorrent(let secret):
            guard let masked = take(20) else { return .needMore }
            let torrent = zip(masked, Self.sha1("req3", secret)).map { $0 ^ $1 }
            guard torrent == Self.sha1("req2", infoHash.bytes) else {
                throw MSEFailure(description: "encryption handshake: the initiator asks for a torrent we do not serve")
            }
            let (inbound, outbound) = try ciphers(secret, receiving: "keyA", sending: "keyB")
            state = .awaitingProvide(inbound: inbound, outbound: outbound)
            return .progressed

        case .awaitingProvide(let inbound, let outbound):
            guard let fields = take(14).map(inbound.applied) else { return .needMore }
            guard fields[0..<8].allSatisfy({ $0 == 0 }) else {
                throw MSEFailure(
                    description: "encryption handshake: the verification constant does not decrypt to zeros")
            }
            let provided = MSEMethods(rawValue: Self.number(fields[8..<12]))
            let padLength = Int(Self.number(fields[12..<14]))
            guard padLength <= Self.maxPadding else { throw Self.padTooLong(padLength) }
            state = .awaitingPadC(length: padLength, provided: provided, inbound: inbound, outbound: outbound)
            return .progressed

        case .awaitingPadC(let length, let provided, let inbound, let outbound):
            guard let fields = take(length + 2).map(inbound.applied) else { return .needMore }
            // len(IA) is two bytes: at most 65,535, a bound of its own.
            let initialLength = Int(Self.number(fields[length...]))
            state = .awaitingIA(length: initialLength, provided: provided, inbound: inbound, outbound: outbound)
            return .progressed

        case .awaitingIA(let length, let provided, let inbound, let outbound):
            guard let initial = take(length).map(inbound.applied) else { return .needMore }
            let common = provided.intersection(methods)
            let selected: MSEMethods
            if common.contains(preferred) {
                selected = preferred
            } else if common.contains(.rc4) {
                selected = .rc4
            } else if common.contains(.plaintext) {
                selected = .plaintext
            } else {
                throw MSEFailure(
                    description:
                        "encryption handshake: the initiator offers methods \(provided.rawValue), we accept \(methods.rawValue)"
                )
            }
            let answer =
                Self.verificationConstant + Self.bigEndian(selected.rawValue, bytes: 4) + Self.bigEndian(0, bytes: 2)
            send += outbound.applied(answer)
            return .established(finish(selected, inbound: inbound, outbound: outbound, payload: initial))

        case .done:
            return .needMore
        }
    }

    /// The outcome: what is left in the buffer is stream, decrypted if RC4 protects it.
    private mutating func finish(_ method: MSEMethods, inbound: RC4Stream, outbound: RC4Stream, payload: [UInt8])
        -> MSEEstablished
    {
        let rest = method == .rc4 ? inbound.applied(buffer) : buffer
        buffer = []
        state = .done
        return MSEEstablished(
            method: method, inbound: method == .rc4 ? inbound : nil, outbound: method == .rc4 ? outbound : nil,
            payload: payload + rest)
    }

    /// Drops the padding up to and including `pattern`; false while it may still come.
    private mutating func synchronize(on pattern: [UInt8], what: String) throws(MSEFailure) -> Bool {
        let window = Self.maxPadding + pattern.count
        if buffer.count >= pattern.count {
            for start in 0...min(buffer.count, window) - pattern.count
            where buffer[start..<start + pattern.count].elementsEqual(pattern) {
                buffer.removeFirst(start + pattern.count)
                return true
            }
        }
        guard buffer.count < window else {
            throw MSEFailure(
                description: "encryption handshake: \(what) is not within \(Self.maxPadding) bytes of padding")
        }
        return false
    }

    private mutating func take(_ count: Int) -> [UInt8]? {
        guard buffer.count >= count else { return nil }
        let taken = Array(buffer[..<count])
        buffer.removeFirst(count)
        return taken
    }

    private func ciphers(_ secret: [UInt8], receiving: String, sending: String) throws(MSEFailure) -> (
        RC4Stream, RC4Stream
    ) {
        guard let inbound = RC4Stream(key: Self.sha1(receiving, secret, infoHash.bytes)),
            let outbound = RC4Stream(key: Self.sha1(sending, secret, infoHash.bytes))
        else { throw Self.cipherUnavailable }
        return (inbound, outbound)
    }

    private static let cipherUnavailable = MSEFailure(
        description: "encryption handshake: libgcrypt's RC4 is unavailable")

    private static func padTooLong(_ length: Int) -> MSEFailure {
        MSEFailure(description: "encryption handshake: padding of \(length) bytes, more than \(maxPadding)")
    }

    static func sha1(_ label: String, _ parts: [UInt8]...) -> [UInt8] {
        var hasher = Insecure.SHA1()
        hasher.update(data: Array(label.utf8))
        for part in parts { hasher.update(data: part) }
        return Array(hasher.finalize())
    }

    private static func bigEndian(_ value: UInt32, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
