extension Metainfo {
    /// Parses and validates a .torrent file.
    ///
    /// The info-hash is the SHA-1 of the `info` value's bytes exactly as they appear in
    /// the file. (The strict decoder only accepts canonical bencode, so re-encoding would
    /// give the same bytes; hashing the slice keeps that true by construction rather than
    /// by argument.) Top-level keys other than `announce` and `info` are ignored.
    public init(decoding bytes: some Collection<UInt8>) throws(MetainfoError) {
        var decoder = BencodeDecoder(bytes)
        let decoded: [BencodeEntrySpan]?
        do throws(BencodeError) {
            decoded = try decoder.decodeDictionaryEntries()
            try decoder.expectEnd()
        } catch {
            throw .bencode(error)
        }
        guard let entries = decoded else { throw .notADictionary }
        guard let info = entries.first(where: { $0.key == Array("info".utf8) }) else { throw .missingKey("info") }
        guard let infoDictionary = info.value.dictionaryValue else {
            throw .wrongType(key: "info", expected: "a dictionary")
        }
        var announce: String?
        if let entry = entries.first(where: { $0.key == Array("announce".utf8) }) {
            guard let text = entry.value.stringValue else {
                throw .wrongType(key: "announce", expected: "a UTF-8 string")
            }
            announce = text
        }
        guard let infoHash = InfoHash(bytes: Metainfo.sha1(decoder.bytes[info.range])) else {
            preconditionFailure("SHA-1 is not 20 bytes")
        }
        try self.init(info: infoDictionary, announce: announce, infoHash: infoHash)
    }
}
