import Testing

@testable import BitTorrent

@Suite struct HandshakeTests {
    let handshake = Handshake(
        infoHash: sampleInfoHash(first: 100), peerID: PeerID(azureusStyle: 77),
        reserved: Handshake.extensionProtocolBit)

    @Test func encodesTheBEP3Layout() {
        let bytes = handshake.encoded()
        #expect(bytes.count == Handshake.wireSize)
        #expect(bytes[0] == 19)
        #expect(Array(bytes[1..<20]) == ascii("BitTorrent protocol"))
        #expect(Array(bytes[20..<28]) == [0, 0, 0, 0, 0, 0x10, 0, 0])
        #expect(Array(bytes[28..<48]) == Array(100..<120))
        #expect(Array(bytes[48..<68]) == PeerID(azureusStyle: 77).bytes)
    }

    @Test func theExtensionBitIsBit20FromTheRight() {
        #expect(Handshake.extensionProtocolBit == 0x10_0000)
        #expect(handshake.supportsExtensionProtocol)
        var plain = handshake
        plain.reserved = 0
        #expect(!plain.supportsExtensionProtocol)
        #expect(Array(plain.encoded()[20..<28]) == [0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func roundTripsIncludingEveryReservedBit() throws {
        var all = handshake
        all.reserved = 0x0123_4567_89AB_CDEF
        for value in [handshake, all] {
            #expect(try Handshake(decoding: value.encoded()) == value)
        }
    }

    @Test func rejectsAWrongProtocol() {
        var bytes = handshake.encoded()
        bytes[0] = 18
        #expect(throws: WireError.wrongProtocolNameLength(18)) { try Handshake(decoding: bytes) }
        bytes = handshake.encoded()
        bytes[11] = UInt8(ascii: "t")
        #expect(throws: WireError.wrongProtocolName) { try Handshake(decoding: bytes) }
        #expect(throws: WireError.wrongHandshakeSize(67)) { try Handshake(decoding: handshake.encoded().dropLast()) }
        #expect(throws: WireError.wrongHandshakeSize(69)) { try Handshake(decoding: handshake.encoded() + [0]) }
    }

    @Test func theStreamDecoderReadsAHandshakeThenMessages() throws {
        var decoder = WireDecoder(pieceCount: 10)
        decoder.append(handshake.encoded() + WireMessage.interested.encoded() + WireMessage.have(piece: 3).encoded())
        #expect(try decoder.nextHandshake() == handshake)
        #expect(try decoder.next() == .interested)
        #expect(try decoder.next() == .have(piece: 3))
        #expect(try decoder.next() == nil)
    }

    @Test func theStreamDecoderWaitsForTheWholeHandshake() throws {
        var decoder = WireDecoder(pieceCount: 10)
        let bytes = handshake.encoded()
        for byte in bytes.dropLast() {
            decoder.append([byte])
            #expect(try decoder.nextHandshake() == nil)
        }
        decoder.append([bytes[67]])
        #expect(try decoder.nextHandshake() == handshake)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func theStreamDecoderRejectsANonBitTorrentPeerEarly() throws {
        var decoder = WireDecoder(pieceCount: 10)
        decoder.append(ascii("GET / HTTP/1.1"))
        #expect(throws: WireError.wrongProtocolNameLength(UInt8(ascii: "G"))) { try decoder.nextHandshake() }
        var namedWrong = WireDecoder(pieceCount: 10)
        namedWrong.append([19] + ascii("BitTorrent pro"))
        #expect(try namedWrong.nextHandshake() == nil)
        namedWrong.append(ascii("x"))
        #expect(throws: WireError.wrongProtocolName) { try namedWrong.nextHandshake() }
    }
}
