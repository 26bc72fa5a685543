/// A strict bencode parser: it accepts exactly the canonical encoding and nothing else.
///
/// Strictness is the point. A lenient parser lets two different byte strings decode to
/// the same value, so an info-hash recomputed from the value would not match the file;
/// and it lets hostile input exhaust the stack (deep nesting) or memory (huge lengths).
/// Every rejection is a `BencodeError` with the offset; nothing here can trap on input.
///
/// Offsets and ranges count bytes from the start of the input, whatever the indices of
/// the collection passed in.
public struct BencodeDecoder {
    /// Deep enough for any real torrent, tracker response or BEP 10 message; shallow
    /// enough that recursion cannot exhaust the stack.
    public static let defaultMaxDepth = 64

    public let bytes: [UInt8]
    public let maxDepth: Int
    /// Where the next value starts.
    public private(set) var position = 0

    public init(_ bytes: some Collection<UInt8>, maxDepth: Int = BencodeDecoder.defaultMaxDepth) {
        self.bytes = Array(bytes)
        self.maxDepth = maxDepth
    }

    public var isAtEnd: Bool { position == bytes.count }

    /// Decodes the value at `position` and moves past it. The range it occupied is
    /// `start..<position` where `start` is `position` before the call.
    public mutating func decodeValue() throws(BencodeError) -> BencodeValue {
        try value(depth: 0)
    }

    /// Decodes the value at `position`; when it is a dictionary, returns its entries with
    /// the byte range of each value (the info-hash is the SHA-1 of the `info` value exactly
    /// as it appears in the file), otherwise nil, having checked and skipped the value.
    public mutating func decodeDictionaryEntries() throws(BencodeError) -> [BencodeEntrySpan]? {
        guard try peek() == UInt8(ascii: "d") else {
            _ = try value(depth: 0)
            return nil
        }
        var spans: [BencodeEntrySpan] = []
        try dictionary(depth: 0) { key, value, range in
            spans.append(BencodeEntrySpan(key: key, value: value, range: range))
        }
        return spans
    }

    /// Fails with `.trailingData` unless the whole input has been consumed.
    public func expectEnd() throws(BencodeError) {
        guard isAtEnd else { throw BencodeError(offset: position, reason: .trailingData) }
    }

    // MARK: - Values

    private mutating func value(depth: Int) throws(BencodeError) -> BencodeValue {
        let byte = try peek()
        switch byte {
        case UInt8(ascii: "i"):
            return .integer(try integer())
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .bytes(try byteString())
        case UInt8(ascii: "l"):
            return .list(try list(depth: depth))
        case UInt8(ascii: "d"):
            var entries: [BencodeKeyValue] = []
            try dictionary(depth: depth) { key, value, _ in entries.append(BencodeKeyValue(key: key, value: value)) }
            return .dictionary(BencodeDictionary(sortedUniqueEntries: entries))
        default:
            throw BencodeError(offset: position, reason: .unknownType(byte))
        }
    }

    private mutating func list(depth: Int) throws(BencodeError) -> [BencodeValue] {
        try enterContainer(depth: depth)
        var items: [BencodeValue] = []
        // Each pass consumes at least one byte or throws, so the loop is bounded by the input.
        while try peek() != UInt8(ascii: "e") {
            items.append(try value(depth: depth + 1))
        }
        position += 1
        return items
    }

    /// Walks a dictionary, checking that keys are byte strings in strictly increasing
    /// bytewise order, and hands each entry with its value's range to `body`.
    private mutating func dictionary(
        depth: Int, _ body: ([UInt8], BencodeValue, Range<Int>) -> Void
    ) throws(BencodeError) {
        try enterContainer(depth: depth)
        var previousKey: [UInt8]?
        while try peek() != UInt8(ascii: "e") {
            let keyStart = position
            guard case UInt8(ascii: "0")...UInt8(ascii: "9") = try peek() else {
                throw BencodeError(offset: keyStart, reason: .nonStringKey)
            }
            let key = try byteString()
            if let previousKey {
                if previousKey == key { throw BencodeError(offset: keyStart, reason: .duplicateKey) }
                if !previousKey.lexicographicallyPrecedes(key) {
                    throw BencodeError(offset: keyStart, reason: .unsortedKeys)
                }
            }
            previousKey = key
            let valueStart = position
            let item = try value(depth: depth + 1)
            body(key, item, valueStart..<position)
        }
        position += 1
    }

    /// Steps over the opening `l` or `d` (already checked by the caller) unless that
    /// would nest deeper than `maxDepth`.
    private mutating func enterContainer(depth: Int) throws(BencodeError) {
        guard depth < maxDepth else { throw BencodeError(offset: position, reason: .tooDeep(limit: maxDepth)) }
        position += 1
    }

    // MARK: - Scalars

    /// `i<digits>e`, optionally negative; canonical form only.
    private mutating func integer() throws(BencodeError) -> Int64 {
        let start = position
        position += 1  // "i"
        let negative = try peek() == UInt8(ascii: "-")
        if negative { position += 1 }
        let digits = try digitRun(terminator: UInt8(ascii: "e"))
        guard !digits.isEmpty else { throw BencodeError(offset: start, reason: .emptyInteger) }
        if bytes[digits.lowerBound] == UInt8(ascii: "0") {
            guard digits.count == 1 else { throw BencodeError(offset: digits.lowerBound, reason: .leadingZero) }
            guard !negative else { throw BencodeError(offset: start, reason: .negativeZero) }
        }
        // Accumulate on the negative side so Int64.min is representable.
        var value: Int64 = 0
        for index in digits {
            let (scaled, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = scaled.subtractingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { throw BencodeError(offset: start, reason: .integerOverflow) }
            value = next
        }
        if negative { return value }
        guard value != Int64.min else { throw BencodeError(offset: start, reason: .integerOverflow) }
        return -value
    }

    /// `<length>:<bytes>`; the length is canonical and must fit in the remaining input.
    private mutating func byteString() throws(BencodeError) -> [UInt8] {
        let start = position
        let digits = try digitRun(terminator: UInt8(ascii: ":"))
        guard let first = digits.first else { throw BencodeError(offset: start, reason: .unexpectedByte(bytes[start])) }
        if bytes[first] == UInt8(ascii: "0") && digits.count > 1 {
            throw BencodeError(offset: start, reason: .leadingZero)
        }
        var length = 0
        for index in digits {
            length = length * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            // Checked per digit, which also keeps `length` far from overflowing.
            guard length <= bytes.count else { throw BencodeError(offset: start, reason: .lengthBeyondInput) }
        }
        guard length <= bytes.count - position else { throw BencodeError(offset: start, reason: .lengthBeyondInput) }
        defer { position += length }
        return Array(bytes[position..<position + length])
    }

    /// Consumes ASCII digits up to `terminator`, consumes the terminator too, and returns
    /// the range of the digits.
    private mutating func digitRun(terminator: UInt8) throws(BencodeError) -> Range<Int> {
        let start = position
        while true {
            let byte = try peek()
            if byte == terminator { break }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else {
                throw BencodeError(offset: position, reason: .unexpectedByte(byte))
            }
            position += 1
        }
        let digits = start..<position
        position += 1
        return digits
    }

    private func peek() throws(BencodeError) -> UInt8 {
        guard position < bytes.count else { throw BencodeError(offset: position, reason: .unexpectedEnd) }
        return bytes[position]
    }
}

/// One entry of a top-level dictionary together with the bytes its value occupied.
public struct BencodeEntrySpan: Hashable, Sendable {
    public let key: [UInt8]
    public let value: BencodeValue
    /// Offsets into the decoder's input.
    public let range: Range<Int>
}

extension BencodeValue {
    /// Decodes `bytes`, which must hold exactly one value and nothing after it.
    public static func decode(
        _ bytes: some Collection<UInt8>, maxDepth: Int = BencodeDecoder.defaultMaxDepth
    ) throws(BencodeError) -> BencodeValue {
        var decoder = BencodeDecoder(bytes, maxDepth: maxDepth)
        let value = try decoder.decodeValue()
        try decoder.expectEnd()
        return value
    }

    /// Decodes the value at the start of `bytes` and says how many bytes it took; BEP 10
    /// messages such as `ut_metadata` carry raw data after their bencoded dictionary.
    public static func decodePrefix(
        _ bytes: some Collection<UInt8>, maxDepth: Int = BencodeDecoder.defaultMaxDepth
    ) throws(BencodeError) -> (value: BencodeValue, byteCount: Int) {
        var decoder = BencodeDecoder(bytes, maxDepth: maxDepth)
        let value = try decoder.decodeValue()
        return (value, decoder.position)
    }
}
