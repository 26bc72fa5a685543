import Testing

@testable import BitTorrent

/// A byte stream the decoder must reject, the error it must give, and how many bytes
/// it needs to see to give it (errors come from the header when the header suffices).
struct MalformedFrame: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let error: WireError
    let pieceCount: Int

    init(_ name: String, _ bytes: [UInt8], _ error: WireError, pieceCount: Int = 10) {
        self.name = name
        self.bytes = bytes
        self.error = error
        self.pieceCount = pieceCount
    }

    var testDescription: String { name }
}

private func frame(length: UInt32, id: UInt8, payload: [UInt8] = []) -> [UInt8] {
    var out: [UInt8] = []
    appendUInt32(length, to: &out)
    return out + [id] + payload
}

private func be(_ value: UInt32) -> [UInt8] {
    var out: [UInt8] = []
    appendUInt32(value, to: &out)
    return out
}

@Suite struct WireDecoderErrorTests {
    static let limit = WireDecoder.defaultMaxMessageLength

    static let cases: [MalformedFrame] = [
        MalformedFrame(
            "length prefix over the limit", be(UInt32(limit) + 1),
            .messageTooLong(length: UInt32(limit) + 1, limit: limit)),
        MalformedFrame("4 GiB length prefix", be(UInt32.max), .messageTooLong(length: UInt32.max, limit: limit)),
        MalformedFrame("choke with payload", frame(length: 2, id: 0, payload: [0]), .wrongLength(id: 0, length: 2)),
        MalformedFrame("not interested with payload", frame(length: 5, id: 3), .wrongLength(id: 3, length: 5)),
        MalformedFrame("have of length 4", frame(length: 4, id: 4), .wrongLength(id: 4, length: 4)),
        MalformedFrame("have of length 6", frame(length: 6, id: 4), .wrongLength(id: 4, length: 6)),
        MalformedFrame("request of length 12", frame(length: 12, id: 6), .wrongLength(id: 6, length: 12)),
        MalformedFrame("request of length 14", frame(length: 14, id: 6), .wrongLength(id: 6, length: 14)),
        MalformedFrame("cancel of length 1", frame(length: 1, id: 8), .wrongLength(id: 8, length: 1)),
        MalformedFrame("piece without begin", frame(length: 8, id: 7), .wrongLength(id: 7, length: 8)),
        MalformedFrame("extended without id", frame(length: 1, id: 20), .wrongLength(id: 20, length: 1)),
        MalformedFrame(
            "bitfield too short", frame(length: 2, id: 5), .wrongBitfieldLength(byteCount: 1, pieceCount: 10)),
        MalformedFrame(
            "bitfield too long", frame(length: 4, id: 5), .wrongBitfieldLength(byteCount: 3, pieceCount: 10)),
        MalformedFrame(
            "bitfield with spare bits", frame(length: 3, id: 5, payload: [0xFF, 0xC1]), .bitfieldSpareBitsSet),
        MalformedFrame(
            "bitfield with the lowest spare bit", frame(length: 3, id: 5, payload: [0x00, 0x01]), .bitfieldSpareBitsSet),
        MalformedFrame(
            "have past the end", frame(length: 5, id: 4, payload: be(10)),
            .pieceIndexOutOfRange(piece: 10, pieceCount: 10)),
        MalformedFrame(
            "have far past the end", frame(length: 5, id: 4, payload: be(UInt32.max)),
            .pieceIndexOutOfRange(piece: UInt32.max, pieceCount: 10)),
        MalformedFrame(
            "request past the end", frame(length: 13, id: 6, payload: be(11) + be(0) + be(16_384)),
            .pieceIndexOutOfRange(piece: 11, pieceCount: 10)),
        MalformedFrame(
            "cancel past the end", frame(length: 13, id: 8, payload: be(10) + be(0) + be(16_384)),
            .pieceIndexOutOfRange(piece: 10, pieceCount: 10)),
        MalformedFrame(
            "piece past the end", frame(length: 10, id: 7, payload: be(10) + be(0) + [0]),
            .pieceIndexOutOfRange(piece: 10, pieceCount: 10)),
        MalformedFrame(
            "piece of 16 KiB + 1", frame(length: 9 + 16_385, id: 7), .blockTooLarge(length: 16_385, limit: 16_384)),
        MalformedFrame(
            "any piece in an empty torrent", frame(length: 5, id: 4, payload: be(0)),
            .pieceIndexOutOfRange(piece: 0, pieceCount: 0), pieceCount: 0),
    ]

    @Test(arguments: cases)
    func rejectsInOneBuffer(_ bad: MalformedFrame) {
        var decoder = WireDecoder(pieceCount: bad.pieceCount)
        decoder.append(bad.bytes)
        #expect(throws: bad.error) { try decoder.next() }
    }

    @Test(arguments: cases)
    func rejectsFedByteByByte(_ bad: MalformedFrame) {
        var decoder = WireDecoder(pieceCount: bad.pieceCount)
        var thrown: WireError?
        for byte in bad.bytes where thrown == nil {
            decoder.append([byte])
            do throws(WireError) {
                _ = try decoder.next()
            } catch {
                thrown = error
            }
        }
        #expect(thrown == bad.error)
    }

    @Test func aFailedDecoderStaysFailed() throws {
        var decoder = WireDecoder(pieceCount: 10)
        decoder.append(WireMessage.choke.encoded() + frame(length: 4, id: 4))
        #expect(try decoder.next() == .choke)
        #expect(throws: WireError.wrongLength(id: 4, length: 4)) { try decoder.next() }
        decoder.append(WireMessage.unchoke.encoded())
        #expect(throws: WireError.wrongLength(id: 4, length: 4)) { try decoder.next() }
        #expect(throws: WireError.wrongLength(id: 4, length: 4)) { try decoder.nextHandshake() }
    }

    @Test func aCustomBlockLimitApplies() throws {
        var decoder = WireDecoder(pieceCount: 10, maxBlockLength: 4)
        decoder.append(WireMessage.piece(BlockRequest(piece: 0, begin: 0, length: 4), .virtual).encoded())
        #expect(try decoder.next() != nil)
        decoder.append(WireMessage.piece(BlockRequest(piece: 0, begin: 0, length: 5), .virtual).encoded())
        #expect(throws: WireError.blockTooLarge(length: 5, limit: 4)) { try decoder.next() }
    }

    @Test func unknownMessagesUpToTheLimitAreAccepted() throws {
        var decoder = WireDecoder(pieceCount: 10)
        let bytes = WireMessage.unknown(id: 99, length: UInt32(Self.limit - 1)).encoded()
        decoder.append(bytes)
        #expect(try decoder.next() == .unknown(id: 99, length: UInt32(Self.limit - 1)))
    }

    @Test func errorsDescribeTheProblem() {
        #expect(WireError.wrongLength(id: 4, length: 4).description == "message id 4 with invalid length 4")
        #expect(WireError.pieceIndexOutOfRange(piece: 10, pieceCount: 10).description.contains("0..<10"))
        #expect(WireError.wrongBitfieldLength(byteCount: 1, pieceCount: 10).description.contains("expected 2"))
    }
}
