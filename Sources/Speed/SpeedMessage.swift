import BitTorrent
import Crypto
import Foundation
import Incentives

/// BitTorrent Speed's messages, sent as one BEP 10 extension (`bt_speed`) whose payload
/// is a bencoded dictionary with a type key `t`. The same bytes go over TCP in Live and
/// are charged by size in the simulator.
///
/// Flow: the requester `bid`s per GiB; a provider that gives it a regular slot says
/// `accept` with the clearing price; the requester locks escrow and says `open`; each
/// piece's worth of data received is paid by a `voucher` for the cumulative amount; the
/// requester closes (settling with its last voucher) and says `close` when the escrow is
/// nearly spent or the download is done. A provider that takes a sold slot back says
/// `release`.
public enum SpeedMessage: Sendable {
    /// Base units per GiB the requester offers; 0 withdraws the bid.
    case bid(Price)
    /// The provider gave a regular slot at this (uniform clearing) price.
    case accept(Price)
    /// A channel with this id and deposit is open on the ledger, paid by `key`'s owner.
    case open(channel: UInt64, deposit: TokenAmount, key: Curve25519.Signing.PublicKey)
    case voucher(Voucher)
    case close(channel: UInt64)
    /// The provider no longer sells the requester a slot (it lost the auction): blocks
    /// from now on are free, and none is owed for them.
    case release

    public static let extensionName = "bt_speed"

    public func encoded() -> [UInt8] {
        var d = BencodeDictionary()
        switch self {
        case .bid(let price):
            d["t"] = "bid"
            d["price"] = .integer(price.baseUnitsPerGiB)
        case .accept(let price):
            d["t"] = "accept"
            d["price"] = .integer(price.baseUnitsPerGiB)
        case .open(let channel, let deposit, let key):
            d["t"] = "open"
            d["channel"] = .integer(Int64(bitPattern: channel))
            d["deposit"] = .integer(deposit.baseUnits)
            d["key"] = .bytes(Array(key.rawRepresentation))
        case .voucher(let v):
            d["t"] = "voucher"
            d["channel"] = .integer(Int64(bitPattern: v.channel))
            d["amount"] = .integer(v.cumulative.baseUnits)
            d["sig"] = .bytes(Array(v.signature))
        case .close(let channel):
            d["t"] = "close"
            d["channel"] = .integer(Int64(bitPattern: channel))
        case .release:
            d["t"] = "release"
        }
        return BencodeValue.dictionary(d).encode()
    }

    /// Parses a payload; anything malformed (unknown type, missing or negative field, a
    /// price or amount above BTT's total supply, a key or signature of the wrong size) is
    /// a protocol violation. The supply bound keeps every later sum and cost of these
    /// values inside Int64 (the supply is 9.9e17 base units, a ninth of Int64's range).
    public init(decoding payload: [UInt8]) throws(ProtocolViolation) {
        guard let d = try? BencodeValue.decode(payload).dictionaryValue, let type = d["t"]?.stringValue else {
            throw .malformedExtensionMessage
        }
        func integer(_ key: String) throws(ProtocolViolation) -> Int64 {
            guard let v = d[key]?.integerValue, v >= 0 else { throw .malformedExtensionMessage }
            return v
        }
        func tokens(_ key: String) throws(ProtocolViolation) -> Int64 {
            let v = try integer(key)
            guard v <= Genesis.supply.baseUnits else { throw .malformedExtensionMessage }
            return v
        }
        func bytes(_ key: String, count: Int) throws(ProtocolViolation) -> [UInt8] {
            guard let v = d[key]?.bytesValue, v.count == count else { throw .malformedExtensionMessage }
            return v
        }
        switch type {
        case "bid": self = .bid(Price(baseUnitsPerGiB: try tokens("price")))
        case "accept": self = .accept(Price(baseUnitsPerGiB: try tokens("price")))
        case "open":
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: try bytes("key", count: 32)) else {
                throw .malformedExtensionMessage
            }
            self = .open(
                channel: UInt64(try integer("channel")), deposit: TokenAmount(baseUnits: try tokens("deposit")),
                key: key)
        case "voucher":
            self = .voucher(
                Voucher(
                    channel: UInt64(try integer("channel")), cumulative: TokenAmount(baseUnits: try tokens("amount")),
                    signature: Data(try bytes("sig", count: 64))))
        case "close": self = .close(channel: UInt64(try integer("channel")))
        case "release": self = .release
        default: throw .malformedExtensionMessage
        }
    }
}

extension SpeedMessage: Equatable {
    public static func == (a: SpeedMessage, b: SpeedMessage) -> Bool { a.encoded() == b.encoded() }
}
