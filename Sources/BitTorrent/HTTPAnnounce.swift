/// The HTTP tracker protocol (BEP 3, compact peer lists from BEP 23), sans-IO: the query
/// of an announce URL and the bencoded answer, both ways. Live's tracker serves with it
/// and Live's peers announce with it; real clients speak the same bytes.
public enum HTTPAnnounce {
    /// An announce as the tracker reads it.
    public struct Query: Sendable, Equatable {
        public var infoHash: InfoHash
        public var peerID: PeerID
        public var port: UInt16
        public var left: Int64
        public var event: AnnounceEvent
        public var numwant: Int

        public init(infoHash: InfoHash, peerID: PeerID, port: UInt16, left: Int64, event: AnnounceEvent, numwant: Int) {
            self.infoHash = infoHash
            self.peerID = peerID
            self.port = port
            self.left = left
            self.event = event
            self.numwant = numwant
        }

        /// `info_hash=…&peer_id=…&port=…&uploaded=0&downloaded=0&left=…&compact=1&numwant=…[&event=…]`
        /// with the 20-byte values percent-encoded byte by byte.
        public var queryString: String {
            var parts = [
                "info_hash=" + HTTPAnnounce.percentEncode(infoHash.bytes),
                "peer_id=" + HTTPAnnounce.percentEncode(peerID.bytes), "port=\(port)", "uploaded=0", "downloaded=0",
                "left=\(left)", "compact=1", "numwant=\(numwant)",
            ]
            if event != .none { parts.append("event=\(event.rawValue)") }
            return parts.joined(separator: "&")
        }

        /// Parses a query string (after `?`); nil when a required field is missing or bad.
        public init?(queryString: String) {
            var fields: [String: [UInt8]] = [:]
            for pair in queryString.split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard kv.count == 2, let value = HTTPAnnounce.percentDecode(kv[1]) else { return nil }
                fields[String(kv[0])] = value
            }
            func text(_ key: String) -> String? { fields[key].map { String(decoding: $0, as: UTF8.self) } }
            guard let hash = fields["info_hash"].flatMap({ InfoHash(bytes: $0) }),
                let id = fields["peer_id"].flatMap({ PeerID(bytes: $0) }),
                let port = text("port").flatMap({ UInt16($0) }), let left = text("left").flatMap({ Int64($0) }),
                left >= 0
            else { return nil }
            let event = text("event").map { AnnounceEvent(rawValue: $0) } ?? AnnounceEvent.none
            guard let event else { return nil }
            self.init(
                infoHash: hash, peerID: id, port: port, left: left, event: event,
                numwant: min(max(text("numwant").flatMap { Int($0) } ?? 50, 0), 200))
        }
    }

    /// The tracker's answer: `interval`, counts and a compact peer list.
    public static func encode(_ response: AnnounceResponse, interval: Int) -> [UInt8] {
        BencodeValue.dictionary([
            "interval": .integer(Int64(interval)), "complete": .integer(Int64(response.complete)),
            "incomplete": .integer(Int64(response.incomplete)),
            "peers": .bytes(response.peers.flatMap(\.compact)),
        ]).encode()
    }

    /// A tracker's failure answer (BEP 3 `failure reason`).
    public static func failure(_ reason: String) -> [UInt8] {
        BencodeValue.dictionary(["failure reason": .string(reason)]).encode()
    }

    public enum ResponseError: Error, Equatable, CustomStringConvertible {
        case malformed
        case failure(String)

        public var description: String {
            switch self {
            case .malformed: "malformed tracker response"
            case .failure(let reason): "tracker: \(reason)"
            }
        }
    }

    /// Reads an answer: compact peers (BEP 23) or the original list of dictionaries.
    public static func decode(_ bytes: [UInt8]) throws(ResponseError) -> AnnounceResponse {
        guard let d = try? BencodeValue.decode(bytes).dictionaryValue else { throw .malformed }
        if let reason = d["failure reason"]?.stringValue { throw .failure(reason) }
        var peers: [PeerAddress] = []
        if let compact = d["peers"]?.bytesValue {
            guard let list = PeerAddress.parseCompactList(compact) else { throw .malformed }
            peers = list
        } else if let list = d["peers"]?.listValue {
            for entry in list {
                guard let ip = entry["ip"]?.stringValue, let port = entry["port"]?.integerValue,
                    let address = PeerAddress(dottedQuad: ip, port: port)
                else { continue }
                peers.append(address)
            }
        }
        return AnnounceResponse(
            peers: peers, complete: Int(d["complete"]?.integerValue ?? 0),
            incomplete: Int(d["incomplete"]?.integerValue ?? 0))
    }

    static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    public static func percentEncode(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in bytes {
            if unreserved.contains(b) {
                out.append(b)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func percentDecode(_ text: some StringProtocol) -> [UInt8]? {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "%") {
                guard bytes.count >= 2, let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16)
                else { return nil }
                out.append(value)
                bytes = bytes.dropFirst(2)
            } else if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(b)
            }
        }
        return out
    }
}

extension PeerAddress {
    /// `a.b.c.d` and a port; nil for anything else.
    public init?(dottedQuad text: String, port: Int64) {
        let octets = text.split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }), (0...65535).contains(port) else { return nil }
        self.init(ipv4: octets.reduce(0) { $0 << 8 | $1 }, port: UInt16(port))
    }
}
