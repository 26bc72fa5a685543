/// Why bencoded input was rejected, and where.
///
/// The offset is counted in bytes from the start of the input handed to the decoder, so
/// a bad .torrent file or a hostile extension handshake can be reported precisely.
public struct BencodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// The input ended inside a value.
        case unexpectedEnd
        /// A complete value was followed by more bytes.
        case trailingData
        /// A value started with a byte that is not `i`, `l`, `d` or a digit.
        case unknownType(UInt8)
        /// A byte that does not belong inside an integer or a string length.
        case unexpectedByte(UInt8)
        /// `ie` or `i-e`.
        case emptyInteger
        /// `i03e` or `03:abc`: non-canonical, so two encodings of one value could hash differently.
        case leadingZero
        /// `i-0e`.
        case negativeZero
        /// An integer outside Int64.
        case integerOverflow
        /// A string claims more bytes than the input holds.
        case lengthBeyondInput
        /// A dictionary key that is not a byte string.
        case nonStringKey
        /// Dictionary keys out of bytewise order.
        case unsortedKeys
        /// A dictionary key that appears twice.
        case duplicateKey
        /// Lists and dictionaries nested deeper than the limit.
        case tooDeep(limit: Int)
    }

    public let offset: Int
    public let reason: Reason

    public init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        "invalid bencode at byte \(offset): \(reasonText)"
    }

    private var reasonText: String {
        switch reason {
        case .unexpectedEnd: "input ends inside a value"
        case .trailingData: "unexpected data after the value"
        case .unknownType(let byte): "unknown value type \(describe(byte))"
        case .unexpectedByte(let byte): "unexpected byte \(describe(byte))"
        case .emptyInteger: "integer without digits"
        case .leadingZero: "number with a leading zero"
        case .negativeZero: "negative zero"
        case .integerOverflow: "integer out of the 64-bit range"
        case .lengthBeyondInput: "string length beyond the end of the input"
        case .nonStringKey: "dictionary key is not a string"
        case .unsortedKeys: "dictionary keys are not sorted"
        case .duplicateKey: "duplicate dictionary key"
        case .tooDeep(let limit): "nesting deeper than \(limit) levels"
        }
    }
}

/// A byte as a quoted printable character where possible, else as hex.
private func describe(_ byte: UInt8) -> String {
    if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    let hex = String(byte, radix: 16, uppercase: true)
    return "0x" + (hex.count == 1 ? "0" + hex : hex)
}
