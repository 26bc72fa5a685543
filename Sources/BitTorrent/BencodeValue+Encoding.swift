extension BencodeValue {
    /// The canonical encoding: integers without leading zeros, dictionary keys sorted
    /// bytewise (guaranteed by `BencodeDictionary`). Canonical output is what makes an
    /// info-hash computed from a built torrent reproducible.
    public func encode() -> [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    public func encode(into out: inout [UInt8]) {
        switch self {
        case .integer(let value):
            out.append(UInt8(ascii: "i"))
            appendDecimal(value, to: &out)
            out.append(UInt8(ascii: "e"))
        case .bytes(let bytes):
            appendByteString(bytes, to: &out)
        case .list(let items):
            out.append(UInt8(ascii: "l"))
            for item in items { item.encode(into: &out) }
            out.append(UInt8(ascii: "e"))
        case .dictionary(let dictionary):
            out.append(UInt8(ascii: "d"))
            for entry in dictionary {
                appendByteString(entry.key, to: &out)
                entry.value.encode(into: &out)
            }
            out.append(UInt8(ascii: "e"))
        }
    }
}

private func appendByteString(_ bytes: [UInt8], to out: inout [UInt8]) {
    appendDecimal(Int64(bytes.count), to: &out)
    out.append(UInt8(ascii: ":"))
    out.append(contentsOf: bytes)
}

/// Writes the decimal digits without building a String: encoding sits on the path of
/// every BEP 10 handshake and tracker response.
private func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    let magnitude = value.magnitude
    var divisor: UInt64 = 1
    while divisor <= magnitude / 10 { divisor *= 10 }
    while divisor > 0 {
        out.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
        divisor /= 10
    }
}
