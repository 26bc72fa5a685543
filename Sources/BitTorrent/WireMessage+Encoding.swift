extension WireMessage {
    /// The message as BEP 3 frames it: a 4-byte big-endian length, then the id and payload.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(wireSize)
        encode(into: &out)
        return out
    }

    /// Appends exactly `wireSize` bytes.
    ///
    /// A `.virtual` piece is written as zeros (the content it stands for), and `.unknown`
    /// as its id and `length` zero bytes, so every message has an encoding of its
    /// `wireSize`. A `.bytes` payload whose size differs from the request's length is a
    /// bug in the caller, not bad input, and stops the program.
    public func encode(into out: inout [UInt8]) {
        if case .haves(let batch) = self {
            batch.forEach { WireMessage.have(piece: $0).encode(into: &out) }
            return
        }
        appendUInt32(UInt32(wireSize - 4), to: &out)
        guard let id else { return }  // keep-alive: the zero length is the whole message
        out.append(id)
        switch self {
        case .keepAlive, .choke, .unchoke, .interested, .notInterested, .haveAll, .haveNone:
            break
        case .have(let piece), .suggest(let piece), .allowedFast(let piece):
            appendUInt32(piece, to: &out)
        case .haves: break  // written above, as its `have` messages
        case .bitfield(let bitfield):
            out.append(contentsOf: bitfield.bytes)
        case .request(let request), .cancel(let request), .rejectRequest(let request):
            append(request, to: &out)
        case .piece(let request, let payload):
            append(request.piece, request.begin, to: &out)
            switch payload {
            case .virtual:
                out.append(contentsOf: repeatElement(0, count: Int(request.length)))
            case .bytes(let bytes):
                precondition(bytes.count == Int(request.length), "piece payload of \(bytes.count) bytes for \(request)")
                out.append(contentsOf: bytes)
            }
        case .extended(let extendedID, let payload):
            out.append(extendedID)
            out.append(contentsOf: payload)
        case .unknown(_, let length):
            out.append(contentsOf: repeatElement(0, count: Int(length)))
        }
    }
}

func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
    out.append(UInt8(truncatingIfNeeded: value >> 24))
    out.append(UInt8(truncatingIfNeeded: value >> 16))
    out.append(UInt8(truncatingIfNeeded: value >> 8))
    out.append(UInt8(truncatingIfNeeded: value))
}

private func append(_ piece: UInt32, _ begin: UInt32, to out: inout [UInt8]) {
    appendUInt32(piece, to: &out)
    appendUInt32(begin, to: &out)
}

private func append(_ request: BlockRequest, to out: inout [UInt8]) {
    append(request.piece, request.begin, to: &out)
    appendUInt32(request.length, to: &out)
}
