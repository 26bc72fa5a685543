import BitTorrent
import SimKernel

/// The `protocol:` block, scenario-wide and per peer group: every key optional.
extension ParseContext {
    /// The scenario-wide block: keys not given take `defaults`' values for pieces of
    /// `pieceSize` bytes.
    func protocolSettings(
        _ node: YAMLNode, at path: KeyPath, defaults: Fidelity = .block,
        pieceSize: Int = TorrentSpec.defaultPieceSize
    ) throws(ScenarioError) -> ProtocolSettings {
        try protocolSettings(
            node, at: path, base: defaults.protocolDefaults(pieceSize: pieceSize), pieceSize: pieceSize,
            keys: ScenarioSchema.protocolSettings)
    }

    /// A peer group's block: keys not given keep the scenario-wide value in `base`. The
    /// block layout is the torrent's, shared by every peer, so it stays scenario-wide.
    func groupProtocolSettings(_ node: YAMLNode, at path: KeyPath, base: ProtocolSettings, pieceSize: Int)
        throws(ScenarioError) -> ProtocolSettings
    {
        if case .mapping(let entries) = node.kind,
            let runWide = entries.first(where: { ScenarioSchema.runWideProtocolSettings.contains($0.key) })
        {
            throw error(
                "is scenario-wide (every peer shares the torrent's block layout); set it in the top-level protocol block",
                at: runWide.keySource, path: path.key(runWide.key))
        }
        return try protocolSettings(
            node, at: path, base: base, pieceSize: pieceSize, keys: ScenarioSchema.groupProtocolSettings)
    }

    private func protocolSettings(
        _ node: YAMLNode, at path: KeyPath, base: ProtocolSettings, pieceSize: Int, keys: [String]
    ) throws(ScenarioError) -> ProtocolSettings {
        let fields = try MappingReader(
            node, at: path, keys: keys, context: self,
            expected: "expected a mapping of protocol settings such as {unchoke_slots: 4}")
        var settings = base
        let count = { (minimum: Int) in
            { (node: YAMLNode, path: KeyPath) throws(ScenarioError) -> Int in
                try self.integer(node, at: path, minimum: minimum)
            }
        }
        settings.unchokeSlots = try fields.optional("unchoke_slots", count(1)) ?? settings.unchokeSlots
        settings.maxConnections = try fields.optional("max_connections", count(1)) ?? settings.maxConnections
        settings.minConnections = try fields.optional("min_connections", count(0)) ?? settings.minConnections
        settings.numwant = try fields.optional("numwant", count(1)) ?? settings.numwant
        settings.randomFirstPieces = try fields.optional("random_first_pieces", count(0)) ?? settings.randomFirstPieces
        try readIntervals(fields, into: &settings)
        settings.endGame = try fields.optional("end_game", bool(_:at:)) ?? settings.endGame
        settings.fastExtension = try fields.optional("fast_extension", bool(_:at:)) ?? settings.fastExtension
        let pickers = PiecePickerPolicy.allCases.map(\.rawValue)
        let picker = try fields.optional("piece_picker") { n, p throws(ScenarioError) in
            try choice(n, at: p, among: pickers, noun: "piece picker")
        }
        settings.piecePicker = picker.flatMap(PiecePickerPolicy.init(rawValue:)) ?? settings.piecePicker
        settings.blockLength =
            try fields.optional("block_size") { n, p throws(ScenarioError) in
                try blockSize(n, at: p, pieceSize: pieceSize)
            } ?? settings.blockLength
        settings.haveBatch =
            try fields.optional("have_batch") { n, p throws(ScenarioError) in
                try duration(n, at: p, allowZero: true)
            } ?? settings.haveBatch
        try checkConsistency(settings, fields)
        return settings
    }

    /// The unit of requests: a whole number of them must make a piece, which also keeps
    /// it within the piece size's own bound (2 GiB).
    private func blockSize(_ node: YAMLNode, at path: KeyPath, pieceSize: Int) throws(ScenarioError) -> Int {
        let bytes = try size(node, at: path)
        guard bytes <= Int64(pieceSize), Int64(pieceSize) % bytes == 0 else {
            throw error(
                "must divide the piece size (\(Units.describeSize(Int64(pieceSize)))), got \(quoted(node.scalarText ?? ""))",
                at: node, path: path)
        }
        return Int(bytes)
    }

    /// Intervals and timeouts: all must be positive, since a zero interval would make a
    /// timer fire forever at the same instant.
    private func readIntervals(_ fields: MappingReader, into settings: inout ProtocolSettings) throws(ScenarioError) {
        let read = { (key: String, current: SimTime) throws(ScenarioError) -> SimTime in
            try fields.optional(key, self.positiveDuration(_:at:)) ?? current
        }
        settings.rechokeInterval = try read("rechoke_interval", settings.rechokeInterval)
        settings.optimisticInterval = try read("optimistic_interval", settings.optimisticInterval)
        settings.snubTimeout = try read("snub_timeout", settings.snubTimeout)
        settings.requestTimeout = try read("request_timeout", settings.requestTimeout)
        settings.announceInterval = try read("announce_interval", settings.announceInterval)
        settings.minAnnounceInterval = try read("min_announce_interval", settings.minAnnounceInterval)
        settings.requestQueueTime = try read("request_queue_time", settings.requestQueueTime)
    }

    /// Limits that only make sense together; the error names whichever key of the pair
    /// the scenario set (the other may be a default).
    private func checkConsistency(_ settings: ProtocolSettings, _ fields: MappingReader) throws(ScenarioError) {
        if settings.minConnections > settings.maxConnections {
            let key = fields.value("min_connections") != nil ? "min_connections" : "max_connections"
            throw error(
                "min_connections (\(settings.minConnections)) must not exceed max_connections (\(settings.maxConnections))",
                at: fields.value(key) ?? fields.node, path: fields.path.key(key))
        }
        if settings.minAnnounceInterval > settings.announceInterval {
            let key = fields.value("min_announce_interval") != nil ? "min_announce_interval" : "announce_interval"
            throw error(
                "min_announce_interval (\(Units.describe(settings.minAnnounceInterval))) must not exceed announce_interval (\(Units.describe(settings.announceInterval)))",
                at: fields.value(key) ?? fields.node, path: fields.path.key(key))
        }
    }
}
