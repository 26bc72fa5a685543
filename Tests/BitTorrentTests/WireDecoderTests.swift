import Testing

@testable import BitTorrent

@Suite struct WireDecoderTests {
    /// Feeds `bytes` in chunks of the given sizes (cycled) and collects every message.
    func decodeAll(_ bytes: [UInt8], chunkSizes: [Int], pieceCount: Int = WireSamples.pieceCount) throws
        -> [WireMessage]
    {
        var decoder = WireDecoder(pieceCount: pieceCount)
        var messages: [WireMessage] = []
        var offset = 0
        var chunk = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + max(1, chunkSizes[chunk % chunkSizes.count]))
            decoder.append(bytes[offset..<end])
            offset = end
            chunk += 1
            while let message = try decoder.next() { messages.append(message) }
        }
        #expect(decoder.bufferedByteCount == 0)
        return messages
    }

    var stream: [UInt8] { WireSamples.messages.flatMap { $0.encoded() } }

    @Test func everyMessageRoundTripsInOneBuffer() throws {
        #expect(try decodeAll(stream, chunkSizes: [stream.count]) == WireSamples.messages)
    }

    @Test func everyMessageRoundTripsByteByByte() throws {
        #expect(try decodeAll(stream, chunkSizes: [1]) == WireSamples.messages)
    }

    @Test(arguments: [2, 3, 4, 5, 7, 13, 17, 100, 4_096, 16_397])
    func everyMessageRoundTripsInFixedChunks(size: Int) throws {
        #expect(try decodeAll(stream, chunkSizes: [size]) == WireSamples.messages)
    }

    @Test func everyMessageRoundTripsAtRandomChunkBoundaries() throws {
        var rng = SeededGenerator(seed: 3)
        for round in 0..<20 {
            let sizes = (0..<50).map { _ in Int.random(in: 1...40, using: &rng) }
            #expect(try decodeAll(stream, chunkSizes: sizes) == WireSamples.messages, "round \(round)")
        }
    }

    @Test func eachMessageAloneSplitAtEveryPoint() throws {
        for message in WireSamples.messages where message.wireSize < 1_000 {
            let bytes = message.encoded()
            for split in 0...bytes.count {
                var decoder = WireDecoder(pieceCount: WireSamples.pieceCount)
                decoder.append(bytes[..<split])
                let early = try decoder.next()
                #expect(early == (split == bytes.count ? message : nil), "split \(split) of \(message)")
                decoder.append(bytes[split...])
                if early == nil { #expect(try decoder.next() == message) }
                #expect(try decoder.next() == nil)
            }
        }
    }

    @Test func aVirtualPieceDecodesAsZeroBytes() throws {
        let request = BlockRequest(piece: 4, begin: 0, length: 100)
        var decoder = WireDecoder(pieceCount: 10)
        decoder.append(WireMessage.piece(request, .virtual).encoded())
        #expect(try decoder.next() == .piece(request, .bytes([UInt8](repeating: 0, count: 100))))
    }

    @Test func unknownMessagesAreSkippedAndDecodingContinues() throws {
        // A BEP 5 `port` message (id 9, two bytes), a fast-extension `have all` (id 14) and
        // an id nobody assigned, with a payload.
        let bytes: [UInt8] =
            [0, 0, 0, 3, 9, 0x1A, 0xE1] + [0, 0, 0, 1, 14] + [0, 0, 0, 4, 77, 1, 2, 3]
            + WireMessage.have(piece: 1).encoded()
        let messages = try decodeAll(bytes, chunkSizes: [1])
        #expect(messages == [.unknown(id: 9, length: 2), .haveAll, .unknown(id: 77, length: 3), .have(piece: 1)])
    }

    /// Suggest and allowed fast are hints: one naming a piece the torrent lacks decodes,
    /// for the client to ignore, rather than breaking the connection.
    @Test func fastExtensionHintsOutOfRangeStillDecode() throws {
        var decoder = WireDecoder(pieceCount: 4)
        decoder.append(WireMessage.suggest(piece: 9).encoded() + WireMessage.allowedFast(piece: 4).encoded())
        #expect(try decoder.next() == .suggest(piece: 9))
        #expect(try decoder.next() == .allowedFast(piece: 4))
    }

    @Test func anEmptyDecoderWantsMoreBytes() throws {
        var decoder = WireDecoder(pieceCount: 1)
        #expect(try decoder.next() == nil)
        decoder.append([])
        #expect(try decoder.next() == nil)
        decoder.append([0, 0, 0])
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 3)
    }

    @Test func aLongStreamIsConsumedWithoutGrowingTheBuffer() throws {
        var decoder = WireDecoder(pieceCount: 1_000)
        let block = [UInt8](repeating: 7, count: 16_384)
        var decoded = 0
        for index in 0..<2_000 {
            let piece = WireMessage.piece(
                BlockRequest(piece: UInt32(index % 1_000), begin: 0, length: 16_384), .bytes(block))
            // Append a message and a half so the buffer never drains completely.
            let bytes = piece.encoded() + WireMessage.have(piece: UInt32(index % 1_000)).encoded()
            decoder.append(bytes[..<(bytes.count / 2)])
            while try decoder.next() != nil { decoded += 1 }
            decoder.append(bytes[(bytes.count / 2)...])
            while try decoder.next() != nil { decoded += 1 }
            #expect(decoder.bufferedByteCount < 17_000)
            #expect(decoder.storedByteCount < 2 * WireDecoder.compactionThreshold + 17_000)
        }
        #expect(decoded == 4_000)
    }

    @Test func largeTorrentsGetALimitThatFitsTheirBitfield() {
        let decoder = WireDecoder(pieceCount: 80_000_000, maxMessageLength: 1_000)
        #expect(decoder.maxMessageLength == 1 + 10_000_000)
        let small = WireDecoder(pieceCount: 10, maxMessageLength: 100)
        #expect(small.maxMessageLength == 9 + PieceLayout.standardBlockLength)
    }

    @Test func aBitfieldOfEveryPieceCountRoundTrips() throws {
        for count in [0, 1, 7, 8, 9, 63, 64, 65, 1_000] {
            var bitfield = Bitfield(count: count)
            var index = 0
            while index < count {
                bitfield.insert(index)
                index += 3
            }
            if count > 0 { bitfield.insert(count - 1) }
            #expect(
                try decodeAll(WireMessage.bitfield(bitfield).encoded(), chunkSizes: [1], pieceCount: count) == [
                    .bitfield(bitfield)
                ])
        }
    }
}
