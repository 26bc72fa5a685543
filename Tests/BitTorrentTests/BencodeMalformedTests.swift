import Testing

@testable import BitTorrent

/// One input the strict decoder must reject, with the reason and offset it must report.
struct MalformedBencode: Sendable, CustomTestStringConvertible {
    let input: [UInt8]
    let reason: BencodeError.Reason
    let offset: Int

    init(_ input: String, _ reason: BencodeError.Reason, at offset: Int) {
        self.input = ascii(input)
        self.reason = reason
        self.offset = offset
    }

    var testDescription: String { String(decoding: input, as: UTF8.self) }
}

@Suite struct BencodeMalformedTests {
    static let cases: [MalformedBencode] = [
        MalformedBencode("", .unexpectedEnd, at: 0),
        MalformedBencode("i42", .unexpectedEnd, at: 3),
        MalformedBencode("i", .unexpectedEnd, at: 1),
        MalformedBencode("i-", .unexpectedEnd, at: 2),
        MalformedBencode("4:spa", .lengthBeyondInput, at: 0),
        MalformedBencode("4", .unexpectedEnd, at: 1),
        MalformedBencode("l", .unexpectedEnd, at: 1),
        MalformedBencode("l4:spam", .unexpectedEnd, at: 7),
        MalformedBencode("d1:a", .unexpectedEnd, at: 4),
        MalformedBencode("d1:ai1e", .unexpectedEnd, at: 7),
        MalformedBencode("i42ei1e", .trailingData, at: 4),
        MalformedBencode("4:spamx", .trailingData, at: 6),
        MalformedBencode("dee", .trailingData, at: 2),
        MalformedBencode("i03e", .leadingZero, at: 1),
        MalformedBencode("i00e", .leadingZero, at: 1),
        MalformedBencode("i-03e", .leadingZero, at: 2),
        MalformedBencode("03:abc", .leadingZero, at: 0),
        MalformedBencode("00:", .leadingZero, at: 0),
        MalformedBencode("i-0e", .negativeZero, at: 0),
        MalformedBencode("ie", .emptyInteger, at: 0),
        MalformedBencode("i-e", .emptyInteger, at: 0),
        MalformedBencode("i9223372036854775808e", .integerOverflow, at: 0),
        MalformedBencode("i-9223372036854775809e", .integerOverflow, at: 0),
        MalformedBencode("i99999999999999999999999999e", .integerOverflow, at: 0),
        MalformedBencode("5:abc", .lengthBeyondInput, at: 0),
        MalformedBencode("99999999999999999999999999:a", .lengthBeyondInput, at: 0),
        MalformedBencode("9223372036854775807:a", .lengthBeyondInput, at: 0),
        MalformedBencode("d1:bi1e1:ai2ee", .unsortedKeys, at: 7),
        MalformedBencode("d2:abi1e1:ai2ee", .unsortedKeys, at: 8),
        MalformedBencode("d1:ai1e1:ai2ee", .duplicateKey, at: 7),
        MalformedBencode("di1ei2ee", .nonStringKey, at: 1),
        MalformedBencode("dl1:aei1ee", .nonStringKey, at: 1),
        MalformedBencode("d1:ai1ede", .nonStringKey, at: 7),
        MalformedBencode("x", .unknownType(UInt8(ascii: "x")), at: 0),
        MalformedBencode("-1:a", .unknownType(UInt8(ascii: "-")), at: 0),
        MalformedBencode("l i1ee", .unknownType(UInt8(ascii: " ")), at: 1),
        MalformedBencode("e", .unknownType(UInt8(ascii: "e")), at: 0),
        MalformedBencode("i1.5e", .unexpectedByte(UInt8(ascii: ".")), at: 2),
        MalformedBencode("i+1e", .unexpectedByte(UInt8(ascii: "+")), at: 1),
        MalformedBencode("i--1e", .unexpectedByte(UInt8(ascii: "-")), at: 2),
        MalformedBencode("3abc", .unexpectedByte(UInt8(ascii: "a")), at: 1),
        MalformedBencode("1-:a", .unexpectedByte(UInt8(ascii: "-")), at: 1),
    ]

    @Test(arguments: cases)
    func rejects(_ bad: MalformedBencode) {
        let error = #expect(throws: BencodeError.self) { try BencodeValue.decode(bad.input) }
        #expect(error?.reason == bad.reason)
        #expect(error?.offset == bad.offset)
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = BencodeDecoder.defaultMaxDepth
        let input = ascii(String(repeating: "l", count: depth) + String(repeating: "e", count: depth))
        var value = try BencodeValue.decode(input)
        var levels = 0
        while let inner = value.listValue {
            levels += 1
            guard let first = inner.first else { break }
            value = first
        }
        #expect(levels == depth)
    }

    @Test func nestingBeyondTheLimitIsRejectedAtTheOffendingContainer() {
        let depth = BencodeDecoder.defaultMaxDepth + 1
        let input = ascii(String(repeating: "l", count: depth) + String(repeating: "e", count: depth))
        let error = #expect(throws: BencodeError.self) { try BencodeValue.decode(input) }
        #expect(error?.reason == .tooDeep(limit: BencodeDecoder.defaultMaxDepth))
        #expect(error?.offset == BencodeDecoder.defaultMaxDepth)
    }

    @Test func hostileNestingDoesNotExhaustTheStack() {
        let input = [UInt8](repeating: UInt8(ascii: "d"), count: 1_000_000)
        let error = #expect(throws: BencodeError.self) { try BencodeValue.decode(input) }
        #expect(error?.reason == .nonStringKey)
        let lists = [UInt8](repeating: UInt8(ascii: "l"), count: 1_000_000)
        let listError = #expect(throws: BencodeError.self) { try BencodeValue.decode(lists) }
        #expect(listError?.reason == .tooDeep(limit: BencodeDecoder.defaultMaxDepth))
    }

    @Test func theDepthLimitIsConfigurable() throws {
        #expect(try BencodeValue.decode(ascii("i1e"), maxDepth: 0) == 1)
        #expect(throws: BencodeError(offset: 0, reason: .tooDeep(limit: 0))) {
            try BencodeValue.decode(ascii("le"), maxDepth: 0)
        }
        #expect(try BencodeValue.decode(ascii("lle1:ae"), maxDepth: 2) == [[], "a"])
        #expect(throws: BencodeError(offset: 2, reason: .tooDeep(limit: 2))) {
            try BencodeValue.decode(ascii("llleee"), maxDepth: 2)
        }
    }
}
