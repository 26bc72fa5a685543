import Testing

@testable import BitTorrent

@Suite struct BencodeTests {
    @Test func decodesTheBEP3Dictionary() throws {
        let value = try BencodeValue.decode(ascii("d3:cow3:moo4:spam4:eggse"))
        #expect(value == ["cow": "moo", "spam": "eggs"])
        #expect(value["cow"]?.stringValue == "moo")
        #expect(value["spam"]?.stringValue == "eggs")
        #expect(value["absent"] == nil)
    }

    @Test func decodesTheBEP3ListAndIntegers() throws {
        #expect(try BencodeValue.decode(ascii("l4:spam4:eggse")) == ["spam", "eggs"])
        #expect(try BencodeValue.decode(ascii("i-3e")) == .integer(-3))
        #expect(try BencodeValue.decode(ascii("i0e")) == .integer(0))
        #expect(try BencodeValue.decode(ascii("i3e")) == .integer(3))
        #expect(try BencodeValue.decode(ascii("0:")) == .bytes([]))
        #expect(try BencodeValue.decode(ascii("le")) == .list([]))
        #expect(try BencodeValue.decode(ascii("de")) == .dictionary(BencodeDictionary()))
    }

    @Test func encodesTheKnownVectors() {
        let dictionary: BencodeValue = ["spam": "eggs", "cow": "moo"]
        #expect(dictionary.encode() == ascii("d3:cow3:moo4:spam4:eggse"))
        #expect(BencodeValue.list(["spam", "eggs"]).encode() == ascii("l4:spam4:eggse"))
        #expect(BencodeValue.integer(-3).encode() == ascii("i-3e"))
        #expect(BencodeValue.integer(0).encode() == ascii("i0e"))
        #expect(BencodeValue.bytes([]).encode() == ascii("0:"))
    }

    @Test func integersAtTheEdgesOfInt64RoundTrip() throws {
        for value in [Int64.min, Int64.min + 1, -1, 0, 1, 9, 10, 99, 100, Int64.max - 1, Int64.max] {
            let encoded = BencodeValue.integer(value).encode()
            #expect(encoded == ascii("i\(value)e"))
            #expect(try BencodeValue.decode(encoded) == .integer(value))
        }
    }

    @Test func dictionaryKeysAreSortedBytewiseWhateverTheInsertionOrder() {
        var dictionary = BencodeDictionary()
        dictionary["b"] = 1
        dictionary["a"] = 2
        dictionary["ab"] = 3
        dictionary["B"] = 4
        dictionary[bytes: [0xFF]] = 5
        #expect(dictionary.keys == [ascii("B"), ascii("a"), ascii("ab"), ascii("b"), [0xFF]])
        let encoded = BencodeValue.dictionary(dictionary).encode()
        #expect(encoded == ascii("d1:Bi4e1:ai2e2:abi3e1:bi1e1:") + [0xFF] + ascii("i5ee"))
    }

    @Test func settingAnExistingKeyReplacesAndNilRemoves() {
        var dictionary: BencodeDictionary = ["k": 1, "z": 2]
        dictionary["k"] = 7
        #expect(dictionary.count == 2)
        #expect(dictionary["k"] == 7)
        dictionary["k"] = nil
        #expect(dictionary.count == 1)
        #expect(dictionary["k"] == nil)
        dictionary["missing"] = nil
        #expect(dictionary.count == 1)
    }

    @Test func equalityDoesNotDependOnConstructionOrder() {
        let first: BencodeValue = ["x": 1, "y": [1, 2], "z": ["n": "v"]]
        let second: BencodeValue = ["z": ["n": "v"], "x": 1, "y": [1, 2]]
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
    }

    @Test func accessorsReturnNilForOtherCases() {
        let value: BencodeValue = 5
        #expect(value.integerValue == 5)
        #expect(value.bytesValue == nil)
        #expect(value.stringValue == nil)
        #expect(value.listValue == nil)
        #expect(value.dictionaryValue == nil)
        #expect(value["key"] == nil)
        #expect(BencodeValue.list([1]).listValue == [1])
        #expect(BencodeValue.string("é").bytesValue == [0xC3, 0xA9])
    }

    @Test func invalidUTF8IsNotAString() {
        #expect(BencodeValue.bytes([0xFF, 0xFE]).stringValue == nil)
        #expect(BencodeValue.bytes([0x68, 0x69]).stringValue == "hi")
    }

    @Test func binaryStringsSurviveUntouched() throws {
        let binary: [UInt8] = Array(0...255)
        let value = BencodeValue.bytes(binary)
        #expect(try BencodeValue.decode(value.encode()) == value)
    }

    @Test func decodePrefixReportsTheBytesTaken() throws {
        let input = ascii("d8:msg_typei1e5:piecei0eeRAW-DATA")
        let (value, byteCount) = try BencodeValue.decodePrefix(input)
        #expect(value["msg_type"] == 1)
        #expect(byteCount == input.count - "RAW-DATA".utf8.count)
        #expect(Array(input[byteCount...]) == ascii("RAW-DATA"))
    }

    @Test func dictionaryEntriesCarryTheExactRangeOfEachValue() throws {
        let input = ascii("d1:ai1e1:bl1:xi-2ee1:cd1:ki0eee")
        var decoder = BencodeDecoder(input)
        let entries = try #require(try decoder.decodeDictionaryEntries())
        try decoder.expectEnd()
        #expect(entries.map(\.key) == [ascii("a"), ascii("b"), ascii("c")])
        for entry in entries {
            #expect(Array(input[entry.range]) == entry.value.encode())
        }
        #expect(entries[1].range == 10..<19)
    }

    @Test func dictionaryEntriesOfANonDictionaryAreNil() throws {
        var decoder = BencodeDecoder(ascii("l1:ae"))
        #expect(try decoder.decodeDictionaryEntries() == nil)
        #expect(decoder.isAtEnd)
    }

    @Test func rangesCountFromTheStartOfASlice() throws {
        let storage = ascii("XXXXd1:ai1ee")
        var decoder = BencodeDecoder(storage[4...])
        let entries = try #require(try decoder.decodeDictionaryEntries())
        #expect(entries[0].range == 4..<7)
    }

    @Test func errorsDescribeOffsetAndReason() {
        let error = BencodeError(offset: 7, reason: .unsortedKeys)
        #expect(error.description == "invalid bencode at byte 7: dictionary keys are not sorted")
        let binary = BencodeError(offset: 0, reason: .unknownType(0x01))
        #expect(binary.description.contains("0x01"))
        let printable = BencodeError(offset: 0, reason: .unknownType(UInt8(ascii: "x")))
        #expect(printable.description.contains("'x'"))
    }
}
