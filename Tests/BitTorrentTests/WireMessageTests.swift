import Testing

@testable import BitTorrent

/// Messages of every kind for a 100-piece torrent; shared by the codec tests.
enum WireSamples {
    static let pieceCount = 100

    static var bitfield: Bitfield {
        var bitfield = Bitfield(count: pieceCount)
        for piece in [0, 7, 8, 63, 64, 99] { bitfield.insert(piece) }
        return bitfield
    }

    static var block: [UInt8] { (0..<16_384).map { UInt8(truncatingIfNeeded: $0 &* 31) } }

    /// Every case, with payloads as the decoder produces them (`.bytes`, not `.virtual`).
    static var messages: [WireMessage] {
        [
            .keepAlive, .choke, .unchoke, .interested, .notInterested,
            .have(piece: 0), .have(piece: 99),
            .bitfield(bitfield), .bitfield(Bitfield(count: pieceCount)),
            .bitfield(Bitfield(count: pieceCount, allSet: true)),
            .request(BlockRequest(piece: 3, begin: 16_384, length: 16_384)),
            .cancel(BlockRequest(piece: 99, begin: 0, length: 1)),
            .piece(BlockRequest(piece: 42, begin: 32_768, length: 16_384), .bytes(block)),
            .piece(BlockRequest(piece: 1, begin: 0, length: 3), .bytes([1, 2, 3])),
            .piece(BlockRequest(piece: 1, begin: 0, length: 0), .bytes([])),
            .extended(id: 0, payload: (["m": ["ut_pex": 1]] as BencodeValue).encode()),
            .extended(id: 3, payload: []),
            .haveAll, .haveNone,
            .rejectRequest(BlockRequest(piece: 5, begin: 0, length: 16_384)),
            .suggest(piece: 7), .allowedFast(piece: 99),
            .unknown(id: 9, length: 2),
            .unknown(id: 21, length: 0),
            .unknown(id: 255, length: 300),
        ]
    }
}

@Suite struct WireMessageTests {
    @Test func staysSmallEnoughToQueueByTheMillion() {
        #expect(MemoryLayout<WireMessage>.size <= 24)
        #expect(MemoryLayout<WireMessage>.stride <= 24)
    }

    @Test(arguments: WireSamples.messages)
    func wireSizeIsTheEncodedSize(message: WireMessage) {
        #expect(message.wireSize == message.encoded().count)
        var appended: [UInt8] = [0xEE]
        message.encode(into: &appended)
        #expect(appended == [0xEE] + message.encoded())
    }

    @Test func wireSizesMatchBEP3() {
        #expect(WireMessage.keepAlive.wireSize == 4)
        #expect(WireMessage.choke.wireSize == 5)
        #expect(WireMessage.have(piece: 1).wireSize == 9)
        #expect(WireMessage.request(BlockRequest(piece: 0, begin: 0, length: 16_384)).wireSize == 17)
        #expect(WireMessage.cancel(BlockRequest(piece: 0, begin: 0, length: 16_384)).wireSize == 17)
        #expect(WireMessage.piece(BlockRequest(piece: 0, begin: 0, length: 16_384), .virtual).wireSize == 13 + 16_384)
        for count in [0, 1, 7, 8, 9, 100, 1_000] {
            #expect(WireMessage.bitfield(Bitfield(count: count)).wireSize == 5 + (count + 7) / 8)
        }
        #expect(WireMessage.extended(id: 1, payload: [1, 2, 3]).wireSize == 9)
        #expect(WireMessage.unknown(id: 9, length: 2).wireSize == 7)
    }

    @Test func knownEncodings() {
        #expect(WireMessage.keepAlive.encoded() == [0, 0, 0, 0])
        #expect(WireMessage.choke.encoded() == [0, 0, 0, 1, 0])
        #expect(WireMessage.unchoke.encoded() == [0, 0, 0, 1, 1])
        #expect(WireMessage.interested.encoded() == [0, 0, 0, 1, 2])
        #expect(WireMessage.notInterested.encoded() == [0, 0, 0, 1, 3])
        #expect(WireMessage.have(piece: 0x0102_0304).encoded() == [0, 0, 0, 5, 4, 1, 2, 3, 4])
        var bitfield = Bitfield(count: 10)
        bitfield.insert(0)
        bitfield.insert(9)
        #expect(WireMessage.bitfield(bitfield).encoded() == [0, 0, 0, 3, 5, 0b1000_0000, 0b0100_0000])
        #expect(
            WireMessage.request(BlockRequest(piece: 1, begin: 0x4000, length: 0x4000)).encoded()
                == [0, 0, 0, 13, 6, 0, 0, 0, 1, 0, 0, 0x40, 0, 0, 0, 0x40, 0])
        #expect(
            WireMessage.cancel(BlockRequest(piece: 2, begin: 0, length: 5)).encoded()
                == [0, 0, 0, 13, 8, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 5])
        #expect(
            WireMessage.piece(BlockRequest(piece: 2, begin: 4, length: 2), .bytes([0xAB, 0xCD])).encoded()
                == [0, 0, 0, 11, 7, 0, 0, 0, 2, 0, 0, 0, 4, 0xAB, 0xCD])
        #expect(WireMessage.extended(id: 1, payload: [9]).encoded() == [0, 0, 0, 3, 20, 1, 9])
        #expect(WireMessage.unknown(id: 9, length: 2).encoded() == [0, 0, 0, 3, 9, 0, 0])
    }

    @Test func aVirtualPieceEncodesAsZeros() {
        let request = BlockRequest(piece: 5, begin: 0, length: 1_000)
        let encoded = WireMessage.piece(request, .virtual).encoded()
        #expect(encoded == WireMessage.piece(request, .bytes([UInt8](repeating: 0, count: 1_000))).encoded())
    }

    @Test(arguments: WireSamples.messages)
    func onlyPiecesAreData(message: WireMessage) {
        if case .piece = message {
            #expect(message.isData)
        } else {
            #expect(!message.isData)
        }
        #expect(WireMessage.piece(BlockRequest(piece: 0, begin: 0, length: 1), .virtual).isData)
    }

    @Test func idsFollowBEP3() {
        let ids = WireSamples.messages.map(\.id)
        #expect(ids.prefix(5) == [nil, 0, 1, 2, 3])
        #expect(WireMessage.extended(id: 0, payload: []).id == 20)
        #expect(WireMessage.unknown(id: 9, length: 2).id == 9)
    }
}
