import Foundation

/// The BEP 10 extension handshake (extended message id 0): the extension messages a peer
/// understands and the id it wants each one sent under, its client name, and whatever an
/// extension announces once per connection (BitTorrent Speed's ledger account, say).
public struct ExtensionHandshake: Sendable, Equatable {
    /// `m`: extension name → the id the sender wants to receive it under (1...255).
    public var messages: [String: UInt8]
    /// `v`: the client's name and version.
    public var client: String?
    /// Every other top-level key, as sent.
    public var fields: BencodeDictionary

    public init(messages: [String: UInt8], client: String? = nil, fields: BencodeDictionary = BencodeDictionary()) {
        self.messages = messages
        self.client = client
        self.fields = fields
    }

    public func encoded() -> [UInt8] {
        var m = BencodeDictionary()
        for (name, id) in messages { m[name] = .integer(Int64(id)) }
        var dictionary = fields
        dictionary["m"] = .dictionary(m)
        if let client { dictionary["v"] = .string(client) }
        return BencodeValue.dictionary(dictionary).encode()
    }

    /// Parses a handshake, keeping what it understands: BEP 10 asks receivers to ignore
    /// unknown keys, and an id of 0 in `m` means the extension is switched off.
    public init(decoding payload: [UInt8]) throws(ProtocolViolation) {
        guard let dictionary = try? BencodeValue.decode(payload).dictionaryValue,
            let m = dictionary["m"]?.dictionaryValue
        else { throw .malformedExtensionMessage }
        var messages: [String: UInt8] = [:]
        for entry in m {
            guard let name = String(bytes: entry.key, encoding: .utf8), let id = entry.value.integerValue,
                (1...255).contains(id)
            else { continue }
            messages[name] = UInt8(id)
        }
        var fields = dictionary
        fields["m"] = nil
        fields["v"] = nil
        self.init(messages: messages, client: dictionary["v"]?.stringValue, fields: fields)
    }
}
