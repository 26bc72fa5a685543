import Testing

@testable import BitTorrent

@Suite struct MetainfoMalformedTests {
    /// A valid info dictionary for "hello" in 4-byte pieces, to be broken one field at a time.
    var info: BencodeDictionary {
        [
            "name": "hello.txt", "piece length": 4, "length": 5, "pieces": .bytes(HelloTorrent.pieces),
        ]
    }

    func file(info: BencodeValue, announce: BencodeValue? = nil) -> [UInt8] {
        var top: BencodeDictionary = ["info": info]
        top["announce"] = announce
        return BencodeValue.dictionary(top).encode()
    }

    func expectError(
        _ expected: MetainfoError, info: BencodeDictionary, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(throws: expected, sourceLocation: sourceLocation) {
            try Metainfo(decoding: file(info: .dictionary(info)))
        }
    }

    @Test func theBaselineIsValid() throws {
        #expect(try Metainfo(decoding: file(info: .dictionary(info))).infoHash.hex == HelloTorrent.infoHashHex)
    }

    @Test func invalidBencodeIsReportedWithItsOffset() {
        #expect(throws: MetainfoError.bencode(BencodeError(offset: 0, reason: .unexpectedEnd))) {
            try Metainfo(decoding: [])
        }
        let truncated = Array(HelloTorrent.file.dropLast())
        #expect(throws: MetainfoError.bencode(BencodeError(offset: truncated.count, reason: .unexpectedEnd))) {
            try Metainfo(decoding: truncated)
        }
        #expect(throws: MetainfoError.bencode(BencodeError(offset: HelloTorrent.file.count, reason: .trailingData))) {
            try Metainfo(decoding: HelloTorrent.file + [0x0A])
        }
    }

    @Test func theTopLevelMustBeADictionaryWithInfo() {
        #expect(throws: MetainfoError.notADictionary) { try Metainfo(decoding: ascii("l4:infoe")) }
        #expect(throws: MetainfoError.missingKey("info")) { try Metainfo(decoding: ascii("d8:announce1:xe")) }
        #expect(throws: MetainfoError.wrongType(key: "info", expected: "a dictionary")) {
            try Metainfo(decoding: file(info: "text"))
        }
        #expect(throws: MetainfoError.wrongType(key: "announce", expected: "a UTF-8 string")) {
            try Metainfo(decoding: file(info: .dictionary(info), announce: 7))
        }
    }

    @Test(arguments: ["name", "piece length", "length", "pieces"])
    func everyRequiredKeyIsRequired(key: String) {
        var broken = info
        broken[key] = nil
        expectError(.missingKey("info.\(key)"), info: broken)
    }

    @Test func fieldsMustHaveTheirTypes() {
        var broken = info
        broken["name"] = 1
        expectError(.wrongType(key: "info.name", expected: "a UTF-8 string"), info: broken)
        broken = info
        broken["name"] = .bytes([0xFF, 0xFE])
        expectError(.wrongType(key: "info.name", expected: "a UTF-8 string"), info: broken)
        broken = info
        broken["piece length"] = "4"
        expectError(.wrongType(key: "info.piece length", expected: "an integer"), info: broken)
        broken = info
        broken["length"] = ["5"]
        expectError(.wrongType(key: "info.length", expected: "an integer"), info: broken)
        broken = info
        broken["pieces"] = 0
        expectError(.wrongType(key: "info.pieces", expected: "a byte string"), info: broken)
    }

    @Test(arguments: ["", ".", "..", "a/b", "../etc", "nul\0byte"])
    func namesThatArePathsAreRejected(name: String) {
        var broken = info
        broken["name"] = .string(name)
        let error = #expect(throws: MetainfoError.self) { try Metainfo(decoding: file(info: .dictionary(broken))) }
        guard case .invalidValue(let key, _) = error else {
            Issue.record("expected invalidValue, got \(String(describing: error))")
            return
        }
        #expect(key == "info.name")
    }

    @Test(arguments: [0, -1, -16_384, Int64(Metainfo.maxPieceLength) + 1, 1 << 40, 20_000, 16_385])
    func badPieceLengthsAreRejected(pieceLength: Int64) {
        var broken = info
        broken["piece length"] = .integer(pieceLength)
        let error = #expect(throws: MetainfoError.self) { try Metainfo(decoding: file(info: .dictionary(broken))) }
        guard case .invalidValue(let key, _) = error else {
            Issue.record("expected invalidValue, got \(String(describing: error))")
            return
        }
        #expect(key == "info.piece length")
    }

    @Test(arguments: [0, -5, Int64.min])
    func nonPositiveLengthsAreRejected(length: Int64) {
        var broken = info
        broken["length"] = .integer(length)
        expectError(.invalidValue(key: "info.length", reason: "must be positive, got \(length)"), info: broken)
    }

    @Test func pieceHashesMustMatchTheLength() {
        var broken = info
        broken["pieces"] = .bytes(Array(HelloTorrent.pieces.dropLast()))
        expectError(.invalidValue(key: "info.pieces", reason: "length 39 is not a multiple of 20"), info: broken)
        broken["pieces"] = .bytes(Array(HelloTorrent.pieces.prefix(20)))
        expectError(.invalidValue(key: "info.pieces", reason: "1 hashes for 2 pieces of 5 bytes"), info: broken)
        broken["pieces"] = .bytes(HelloTorrent.pieces + HelloTorrent.pieces.prefix(20))
        expectError(.invalidValue(key: "info.pieces", reason: "3 hashes for 2 pieces of 5 bytes"), info: broken)
        broken["pieces"] = .bytes([])
        expectError(.invalidValue(key: "info.pieces", reason: "0 hashes for 2 pieces of 5 bytes"), info: broken)
    }

    @Test func hugeLengthsAreRejectedBeforeAnyArithmeticCanOverflow() {
        var broken = info
        broken["length"] = .integer(Int64.max)
        broken["piece length"] = .integer(Int64(Metainfo.maxPieceLength))
        let error = #expect(throws: MetainfoError.self) { try Metainfo(decoding: file(info: .dictionary(broken))) }
        guard case .invalidValue(let key, _) = error else {
            Issue.record("expected invalidValue, got \(String(describing: error))")
            return
        }
        #expect(key == "info.length")
    }

    @Test func multiFileTorrentsAreNotSupported() {
        var multi = info
        multi["length"] = nil
        multi["files"] = [["length": 5, "path": ["a.txt"]]]
        expectError(.multiFileNotSupported, info: multi)
        #expect(MetainfoError.multiFileNotSupported.description.contains("not supported"))
    }

    @Test func version2OnlyTorrentsAreNotSupported() {
        let v2: BencodeDictionary = ["name": "x", "piece length": 16_384, "meta version": 2, "file tree": ["x": [:]]]
        expectError(.version2NotSupported, info: v2)
    }

    @Test func buildersValidateTheirParameters() {
        #expect(throws: MetainfoError.invalidValue(key: "info.length", reason: "must be positive, got 0")) {
            try Metainfo.make(name: "empty", content: [], pieceLength: 16_384)
        }
        #expect(throws: MetainfoError.self) { try Metainfo.virtual(name: "x", length: 100, pieceLength: 0) }
        #expect(throws: MetainfoError.self) { try Metainfo.virtual(name: "x", length: 100, pieceLength: 20_000) }
        #expect(throws: MetainfoError.self) { try Metainfo.virtual(name: "a/b", length: 100, pieceLength: 16_384) }
        #expect(throws: MetainfoError.self) {
            try Metainfo.virtual(name: "x", length: Int64.max, pieceLength: Metainfo.maxPieceLength)
        }
        #expect(throws: MetainfoError.self) {
            try Metainfo.virtual(name: "x", length: Int64(Metainfo.maxPieceCount) * 16_384 + 1, pieceLength: 16_384)
        }
    }

    /// Mutated torrents must be rejected with an error or accepted as a consistent
    /// torrent; never reach a precondition in `PieceLayout` or elsewhere.
    @Test func mutatedTorrentsNeverCrash() throws {
        var rng = SeededGenerator(seed: 21)
        let originals = [
            HelloTorrent.file,
            try Metainfo.virtual(name: "v", length: 100_000, pieceLength: 16_384, announce: "udp://x").encoded(),
        ]
        let interesting = ascii("ilde0123456789:-")
        var accepted = 0
        for _ in 0..<3_000 {
            var bytes = originals[Int.random(in: 0..<originals.count, using: &rng)]
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let index = Int.random(in: 0..<bytes.count, using: &rng)
                let byte = interesting[Int.random(in: 0..<interesting.count, using: &rng)]
                if Bool.random(using: &rng) { bytes[index] = byte } else { bytes.insert(byte, at: index) }
            }
            guard let metainfo = try? Metainfo(decoding: bytes) else { continue }
            accepted += 1
            #expect(metainfo.pieceHashes.count == metainfo.pieceCount * Metainfo.hashLength)
            #expect(try Metainfo(decoding: metainfo.encoded()).infoHash == metainfo.infoHash)
        }
        #expect(accepted > 0)
    }

    @Test func errorsNameTheKey() {
        #expect(MetainfoError.missingKey("info.pieces").description == "torrent has no 'info.pieces'")
        let bencode = MetainfoError.bencode(BencodeError(offset: 3, reason: .leadingZero))
        #expect(bencode.description.contains("byte 3"))
    }
}
