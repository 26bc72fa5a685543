import Testing

@testable import BitTorrent

@Suite struct HTTPAnnounceTests {
    static let hash = InfoHash(bytes: (0..<20).map { UInt8($0 * 13 % 256) })!

    @Test func aQuerySurvivesItsEncodingWithEveryByteValue() {
        let q = HTTPAnnounce.Query(
            infoHash: Self.hash, peerID: PeerID(azureusStyle: 42), port: 6881, left: 12_345, event: .started,
            numwant: 30)
        #expect(HTTPAnnounce.Query(queryString: q.queryString) == q)
        #expect(q.queryString.contains("compact=1"))
        // Unreserved bytes stay as they are, the rest become %XX (upper case).
        #expect(HTTPAnnounce.percentEncode([0x41, 0x00, 0x2F, 0x7E, 0xFF]) == "A%00%2F~%FF")
    }

    @Test func aRegularReannounceHasNoEventAndNumwantIsBounded() throws {
        let q = HTTPAnnounce.Query(
            infoHash: Self.hash, peerID: PeerID(azureusStyle: 1), port: 1, left: 0, event: .none, numwant: 50)
        #expect(!q.queryString.contains("event="))
        let big = try #require(
            HTTPAnnounce.Query(
                queryString: q.queryString.replacingOccurrences(of: "numwant=50", with: "numwant=100000")))
        #expect(big.numwant == 200)
    }

    @Test(arguments: [
        "", "info_hash=abc&peer_id=x&port=1&left=0", "peer_id=%00&port=1&left=0",
        "info_hash=%zz&peer_id=-BS0001-000000000001&port=1&left=0",
    ])
    func malformedQueriesAreRejected(_ text: String) {
        #expect(HTTPAnnounce.Query(queryString: text) == nil)
    }

    @Test func responsesAreCompactAndReadBack() throws {
        let peers = [PeerAddress(ipv4: 0x7F00_0001, port: 6881), PeerAddress(ipv4: 0x0A00_0002, port: 1)]
        let bytes = HTTPAnnounce.encode(AnnounceResponse(peers: peers, complete: 1, incomplete: 2), interval: 1800)
        #expect(
            String(decoding: bytes, as: UTF8.self).hasPrefix("d8:completei1e10:incompletei2e8:intervali1800e5:peers12:")
        )
        #expect(try HTTPAnnounce.decode(bytes) == AnnounceResponse(peers: peers, complete: 1, incomplete: 2))
    }

    @Test func dictionaryPeerListsAndFailuresAreUnderstood() throws {
        let list = Array("d5:peersld2:ip9:127.0.0.14:porti6881eeee".utf8)
        #expect(try HTTPAnnounce.decode(list).peers == [PeerAddress(ipv4: 0x7F00_0001, port: 6881)])
        #expect(throws: HTTPAnnounce.ResponseError.failure("nope")) {
            try HTTPAnnounce.decode(HTTPAnnounce.failure("nope"))
        }
        #expect(throws: HTTPAnnounce.ResponseError.malformed) {
            try HTTPAnnounce.decode(Array("d5:peers5:abcdee".utf8))
        }
    }
}
