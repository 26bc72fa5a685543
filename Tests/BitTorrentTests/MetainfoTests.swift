import Crypto
import Testing

@testable import BitTorrent

/// A torrent of the five bytes "hello" in 4-byte pieces, written out by hand.
///
/// The expected info-hash was derived independently with Python:
/// `hashlib.sha1(info).hexdigest()` where `info` is the `d6:length…e` slice below with
/// `pieces` = sha1(b"hell") + sha1(b"o").
enum HelloTorrent {
    static let infoHashHex = "f3aae2a5f45a726cdb631f623e35e51d7db4cd91"
    static let hellHash = "a5cec7af5f7aab769cf0d4aa440e01c7bfc371b2"
    static let oHash = "7a81af3e591ac713f81ea1efe93dcf36157d8376"

    static var pieces: [UInt8] { hexBytes(hellHash) + hexBytes(oHash) }
    static var info: [UInt8] {
        ascii("d6:lengthi5e4:name9:hello.txt12:piece lengthi4e6:pieces40:") + pieces + ascii("e")
    }
    static var file: [UInt8] { ascii("d8:announce23:http://tracker.test/ann4:info") + info + ascii("e") }
}

func hexBytes(_ hex: String) -> [UInt8] {
    InfoHash(hex: hex)?.bytes ?? []
}

@Suite struct MetainfoTests {
    @Test func decodesTheHandWrittenTorrent() throws {
        let metainfo = try Metainfo(decoding: HelloTorrent.file)
        #expect(metainfo.infoHash.hex == HelloTorrent.infoHashHex)
        #expect(metainfo.announce == "http://tracker.test/ann")
        #expect(metainfo.name == "hello.txt")
        #expect(metainfo.length == 5)
        #expect(metainfo.pieceLength == 4)
        #expect(metainfo.pieceCount == 2)
        #expect(Array(metainfo.pieceHash(0)) == hexBytes(HelloTorrent.hellHash))
        #expect(Array(metainfo.pieceHash(1)) == hexBytes(HelloTorrent.oHash))
        #expect(metainfo.encoded() == HelloTorrent.file)
    }

    @Test func infoHashIsTheSHA1OfTheInfoSliceOfTheFile() throws {
        let file = HelloTorrent.file
        let prefix = ascii("d8:announce23:http://tracker.test/ann4:info")
        let slice = file[prefix.count..<file.count - 1]
        let expected = Array(Insecure.SHA1.hash(data: Array(slice)))
        #expect(try Metainfo(decoding: file).infoHash.bytes == expected)
    }

    @Test func makeReproducesTheHandWrittenTorrent() throws {
        let made = try Metainfo.make(
            name: "hello.txt", content: ascii("hello"), pieceLength: 4, announce: "http://tracker.test/ann")
        #expect(made.infoHash.hex == HelloTorrent.infoHashHex)
        #expect(made.encoded() == HelloTorrent.file)
        #expect(made == (try Metainfo(decoding: HelloTorrent.file)))
    }

    @Test func buildEncodeDecodeRoundTripPreservesEverything() throws {
        var rng = SeededGenerator(seed: 11)
        let content = rng.bytes(count: 100_000)
        let built = try Metainfo.make(name: "data.bin", content: content, pieceLength: 32_768)
        let decoded = try Metainfo(decoding: built.encoded())
        #expect(decoded == built)
        #expect(decoded.infoHash == built.infoHash)
        #expect(decoded.announce == nil)
        #expect(decoded.pieceCount == 4)
        #expect(decoded.layout == PieceLayout(totalLength: 100_000, pieceLength: 32_768))
        let lastPiece = content[98_304...]
        #expect(Array(decoded.pieceHash(3)) == Array(Insecure.SHA1.hash(data: Array(lastPiece))))
    }

    static let geometries: [(length: Int64, pieceLength: Int)] = [
        (1, 16_384), (16_383, 16_384), (16_384, 16_384), (16_385, 16_384),
        (5 * 65_536, 65_536), (5 * 65_536 + 7, 65_536), (10, 4),
    ]

    @Test(arguments: geometries)
    func virtualAgreesWithMakeOverZeros(length: Int64, pieceLength: Int) throws {
        let zeros = [UInt8](repeating: 0, count: Int(length))
        let made = try Metainfo.make(name: "z", content: zeros, pieceLength: pieceLength, announce: "udp://t")
        let virtual = try Metainfo.virtual(name: "z", length: length, pieceLength: pieceLength, announce: "udp://t")
        #expect(virtual == made)
        #expect(virtual.infoHash == made.infoHash)
        #expect(virtual.pieceHashes == made.pieceHashes)
    }

    @Test func aLargeVirtualTorrentIsCheapAndConsistent() throws {
        let tenGiB: Int64 = 10 << 30
        let metainfo = try Metainfo.virtual(name: "big", length: tenGiB, pieceLength: 262_144)
        #expect(metainfo.pieceCount == 40_960)
        #expect(metainfo.pieceHashes.count == 40_960 * 20)
        // Derived with Python: hashlib.sha1(bytes(262144)).hexdigest()
        let zeroPieceHash = hexBytes("2e000fa7e85759c7f4c254d4d9c33ef481e459a7")
        #expect(Array(metainfo.pieceHash(0)) == zeroPieceHash)
        #expect(Array(metainfo.pieceHash(40_959)) == zeroPieceHash)
        #expect(try Metainfo(decoding: metainfo.encoded()).infoHash == metainfo.infoHash)
    }

    @Test func unknownInfoFieldsArePreservedSoTheHashSurvives() throws {
        let info =
            ascii("d6:lengthi5e4:name9:hello.txt12:piece lengthi4e6:pieces40:") + HelloTorrent.pieces
            + ascii("7:privatei1e6:source4:teste")
        let file = ascii("d7:comment2:hi13:creation datei1700000000e4:info") + info + ascii("e")
        let metainfo = try Metainfo(decoding: file)
        #expect(metainfo.extraInfoFields["private"] == 1)
        #expect(metainfo.extraInfoFields["source"] == "test")
        #expect(metainfo.infoHash.bytes == Array(Insecure.SHA1.hash(data: info)))
        let reencoded = try Metainfo(decoding: metainfo.encoded())
        #expect(reencoded.infoHash == metainfo.infoHash)
        #expect(BencodeValue.dictionary(metainfo.infoDictionary).encode() == info)
    }

    @Test func piecesSmallerThanABlockAreOneBlock() throws {
        let metainfo = try Metainfo.make(name: "t", content: ascii("hello"), pieceLength: 4)
        #expect(metainfo.layout.blockLength == 4)
        #expect(metainfo.layout.blocksPerPiece == 1)
        #expect(metainfo.layout.length(ofPiece: 1) == 1)
    }

    @Test func standardPiecesUseSixteenKiBBlocks() throws {
        let metainfo = try Metainfo.virtual(name: "t", length: 1 << 20, pieceLength: 1 << 18)
        #expect(metainfo.layout.blockLength == PieceLayout.standardBlockLength)
        #expect(metainfo.layout.blocksPerPiece == 16)
    }
}

/// `ZeroRunHasher` gives SHA-1 of any run of zeros, from saved states: the same digest as
/// hashing the bytes, whatever order the lengths come in.
@Suite struct ZeroRunHasherTests {
    @Test func runsOfZerosHashAsTheirBytes() {
        let hasher = ZeroRunHasher()
        for count in [300_000, 0, 1, 16_383, 16_384, 16_385, 262_144, 100, 65_536 + 7, 300_000] {
            let expected = Array(Insecure.SHA1.hash(data: [UInt8](repeating: 0, count: count)))
            #expect(hasher.sha1(ofZeros: count) == expected, "\(count) zeros")
        }
    }
}
