/// A bencoded value (BEP 3): the format of .torrent files, tracker responses and the
/// BEP 10 extension handshake.
///
/// Byte strings stay raw bytes because many of them are binary (`pieces`, compact
/// `peers`); `stringValue` decodes UTF-8 only where the caller knows text is meant.
/// Dictionaries are a `BencodeDictionary`, which keeps its keys sorted bytewise, so
/// `encode()` is canonical and a value decoded by the strict `BencodeDecoder` re-encodes
/// to exactly the bytes it came from.
public enum BencodeValue: Hashable, Sendable {
    case integer(Int64)
    case bytes([UInt8])
    case list([BencodeValue])
    case dictionary(BencodeDictionary)
}

extension BencodeValue {
    /// A byte string holding the UTF-8 encoding of `text`.
    public static func string(_ text: String) -> BencodeValue {
        .bytes(Array(text.utf8))
    }

    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var bytesValue: [UInt8]? {
        if case .bytes(let value) = self { return value }
        return nil
    }

    /// The byte string as text; nil for other cases and for bytes that are not valid UTF-8
    /// (a peer or file must not be able to smuggle in replacement characters unnoticed).
    public var stringValue: String? {
        guard case .bytes(let value) = self else { return nil }
        return String(validating: value, as: UTF8.self)
    }

    public var listValue: [BencodeValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    public var dictionaryValue: BencodeDictionary? {
        if case .dictionary(let value) = self { return value }
        return nil
    }

    /// The value under `key` when this is a dictionary; nil otherwise or when absent.
    public subscript(key: String) -> BencodeValue? {
        dictionaryValue?[key]
    }
}

extension BencodeValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }
}

extension BencodeValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension BencodeValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: BencodeValue...) {
        self = .list(elements)
    }
}

extension BencodeValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, BencodeValue)...) {
        var dictionary = BencodeDictionary()
        for (key, value) in elements { dictionary[key] = value }
        self = .dictionary(dictionary)
    }
}
