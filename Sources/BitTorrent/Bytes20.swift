/// Twenty bytes stored inline as three integers: the shape of an info-hash and a peer id.
///
/// An `[UInt8]` would cost a heap allocation and 8 bytes of pointer per copy; the
/// simulator holds a peer id per connection and compares them often, so they stay
/// 20 bytes of plain value with cheap hashing and equality.
struct Bytes20: Hashable, Sendable, Comparable {
    static let count = 20

    private let high: UInt64
    private let middle: UInt64
    private let low: UInt32

    init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == Bytes20.count else { return nil }
        var high: UInt64 = 0
        var middle: UInt64 = 0
        var low: UInt32 = 0
        for (i, byte) in bytes.enumerated() {
            switch i {
            case 0..<8: high = high << 8 | UInt64(byte)
            case 8..<16: middle = middle << 8 | UInt64(byte)
            default: low = low << 8 | UInt32(byte)
            }
        }
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// Byte by byte, as the big-endian integers compare.
    static func < (a: Bytes20, b: Bytes20) -> Bool { (a.high, a.middle, a.low) < (b.high, b.middle, b.low) }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Bytes20.count)
        append(to: &out)
        return out
    }

    /// Big-endian, so the bytes come out in the order they went in.
    func append(to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> shift)) }
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: middle >> shift)) }
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: low >> shift)) }
    }

    /// Lower-case hex, 40 characters: the form trackers, logs and magnet links use.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(2 * Bytes20.count)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses 40 hex digits in either case; nil for anything else.
    init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 2 * Bytes20.count else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Bytes20.count)
        for i in stride(from: 0, to: utf8.count, by: 2) {
            guard let high = hexDigit(utf8[i]), let low = hexDigit(utf8[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.init(bytes)
    }
}

private func hexDigit(_ ascii: UInt8) -> UInt8? {
    switch ascii {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): ascii - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): ascii - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): ascii - UInt8(ascii: "A") + 10
    default: nil
    }
}
