/// One entry of a bencoded dictionary: the key as raw bytes (BEP 3 keys are byte
/// strings, not necessarily text) and its value.
public struct BencodeKeyValue: Hashable, Sendable {
    public var key: [UInt8]
    public var value: BencodeValue

    public init(key: [UInt8], value: BencodeValue) {
        self.key = key
        self.value = value
    }
}

/// A bencoded dictionary whose entries are always sorted bytewise by key, without
/// duplicates.
///
/// Keeping the order as an invariant (rather than sorting when encoding) makes encoding
/// canonical for free, makes equality independent of how the dictionary was built, and
/// gives O(log n) lookup by binary search. Setting a key that exists replaces its value.
public struct BencodeDictionary: Hashable, Sendable {
    public private(set) var entries: [BencodeKeyValue]

    public init() {
        entries = []
    }

    /// Trusts the caller: only the strict decoder uses this, after checking the order.
    init(sortedUniqueEntries: [BencodeKeyValue]) {
        entries = sortedUniqueEntries
    }

    public var keys: [[UInt8]] { entries.map(\.key) }

    public subscript(key: String) -> BencodeValue? {
        get { self[bytes: Array(key.utf8)] }
        set { self[bytes: Array(key.utf8)] = newValue }
    }

    public subscript(bytes key: [UInt8]) -> BencodeValue? {
        get {
            let (index, found) = search(key)
            return found ? entries[index].value : nil
        }
        set {
            let (index, found) = search(key)
            switch (found, newValue) {
            case (true, .some(let value)): entries[index].value = value
            case (true, .none): entries.remove(at: index)
            case (false, .some(let value)): entries.insert(BencodeKeyValue(key: key, value: value), at: index)
            case (false, .none): break
            }
        }
    }

    /// Binary search: the index of `key`, or where it would be inserted.
    private func search(_ key: [UInt8]) -> (index: Int, found: Bool) {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            let probe = entries[mid].key
            if probe == key { return (mid, true) }
            if probe.lexicographicallyPrecedes(key) { low = mid + 1 } else { high = mid }
        }
        return (low, false)
    }
}

extension BencodeDictionary: RandomAccessCollection {
    public var startIndex: Int { entries.startIndex }
    public var endIndex: Int { entries.endIndex }
    public subscript(position: Int) -> BencodeKeyValue { entries[position] }
}

extension BencodeDictionary: ExpressibleByDictionaryLiteral {
    /// A repeated key keeps its last value, as assignment would.
    public init(dictionaryLiteral elements: (String, BencodeValue)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }
}
