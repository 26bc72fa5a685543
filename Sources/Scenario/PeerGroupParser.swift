import BitTorrent
import SimKernel
import Strategies

/// The `peers:` list (docs/scenarios.md): groups of peers that arrive, behave and leave alike.
extension ParseContext {
    /// `protocol` is the scenario-wide block, which a group's own `protocol:` starts from.
    func peerGroups(_ node: YAMLNode, at path: KeyPath, protocol base: ProtocolSettings, pieceSize: Int)
        throws(ScenarioError) -> [PeerGroup]
    {
        let items = try list(node, at: path, expected: "expected a list of peer groups")
        guard !items.isEmpty else {
            throw error("must list at least one peer group", at: node, path: path)
        }
        var groups: [PeerGroup] = []
        for (index, item) in items.enumerated() {
            groups.append(
                try peerGroup(item, at: path.index(index), earlier: groups, protocol: base, pieceSize: pieceSize))
        }
        return groups
    }

    private func peerGroup(
        _ node: YAMLNode, at path: KeyPath, earlier: [PeerGroup], protocol base: ProtocolSettings, pieceSize: Int
    ) throws(ScenarioError) -> PeerGroup {
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.peerGroup, context: self,
            expected: "expected a peer group such as {group: crowd, count: 10, arrival: {at: 0 s}, ...}")
        let name = try groupName(fields, earlier: earlier)
        let arrival = try fields.require("arrival", arrival(_:at:))
        let count = try fields.optional("count") { n, p throws(ScenarioError) in try integer(n, at: p, minimum: 0) }
        if case .at = arrival, count == nil {
            throw error(
                "required for \"at\" arrivals (the number of peers that arrive)", at: node, path: path.key("count"))
        }
        let strategy = try fields.optional("strategy") { n, p throws(ScenarioError) in
            try choice(n, at: p, among: StrategyRegistry.names, noun: "strategy")
        }
        let seeding = try fields.optional("seeding", seeding(_:at:))
        let definition = strategy.flatMap(StrategyRegistry.named) ?? StrategyRegistry.standard
        return PeerGroup(
            name: name, count: count, arrival: arrival,
            hasFile: try fields.optional("has_file", bool(_:at:)) ?? false,
            bandwidth: try bandwidth(fields),
            abort: try fields.optional("abort", distribution(_:at:)),
            seeding: seeding?.floor ?? .forever, rationalSeeding: seeding?.rational,
            strategy: definition,
            wallet: try fields.optional("wallet", wallet(_:at:)) ?? WalletSpec(),
            budget: try fields.optional("budget", positiveAmount(_:at:)),
            protocolSettings: try fields.optional("protocol") { n, p throws(ScenarioError) in
                try groupProtocolSettings(n, at: p, base: base, pieceSize: pieceSize)
            },
            downloads: try fields.optional("downloads", userDownloads(_:at:)),
            uptime: try fields.optional("uptime") { n, p throws(ScenarioError) in
                try publisherUptime(n, at: p, fields: fields)
            },
            identities: try fields.optional("identities") { n, p throws(ScenarioError) in
                try identities(n, at: p, fields: fields)
            } ?? 1,
            farm: try fields.optional("farm") { n, p throws(ScenarioError) in
                try farm(n, at: p, fields: fields, strategy: definition)
            } ?? 0)
    }

    /// Group names appear in override paths (`peers.crowd.count`), result folders and CSV
    /// cells, so they are kept to characters that are safe in all three.
    private func groupName(_ fields: MappingReader, earlier: [PeerGroup]) throws(ScenarioError) -> String {
        let node = try fields.required("group")
        let path = fields.path.key("group")
        let name = try text(node, at: path, expected: "expected a group name such as crowd")
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw error(
                "a group name may contain only letters, digits, \"-\" and \"_\" (it is used in paths such as peers.NAME.count), got \(quoted(name))",
                at: node, path: path)
        }
        if let other = earlier.firstIndex(where: { $0.name == name }) {
            throw error("group name \(quoted(name)) is already used by peers[\(other)]", at: node, path: path)
        }
        return name
    }

    /// Only a peer that arrives with the file can come and go: a leecher's progress would
    /// need a client that resumes, which the model does not have.
    private func publisherUptime(_ node: YAMLNode, at path: KeyPath, fields: MappingReader) throws(ScenarioError)
        -> Uptime
    {
        let hasFile = try fields.optional("has_file", bool(_:at:)) ?? false
        guard hasFile else {
            throw error("only peers that arrive with the file (has_file: true) can come and go", at: node, path: path)
        }
        if let seeding = fields.value("seeding"), case .mapping(let entries) = seeding.kind,
            entries.contains(where: { $0.key == "rational" })
        {
            throw error(
                "a publisher that comes and goes cannot also seed rationally; drop one of uptime and seeding.rational",
                at: node, path: path)
        }
        return try uptime(node, at: path)
    }

    // MARK: Arrival

    func arrival(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Arrival {
        let entry = try tagged(
            node, at: path, kinds: ScenarioSchema.arrivalKinds, noun: "arrival kind",
            expected:
                "expected an arrival such as {at: 0 s}, {poisson: {rate: 1/s}} or {decaying: {rate: 100/h, tau: 24 h}}"
        )
        let body = entry.value
        let bodyPath = path.key(entry.key)
        switch entry.key {
        case "at":
            return .at(try duration(body, at: bodyPath, allowZero: true))
        case "poisson":
            let fields = try MappingReader(
                body, at: bodyPath, keys: ScenarioSchema.poisson, context: self,
                expected: "expected a mapping such as {rate: 1/s, until: 2 h}")
            return .poisson(
                ratePerSecond: try fields.require("rate", eventRate(_:at:)),
                until: try fields.optional("until", positiveDuration(_:at:)))
        default:
            let fields = try MappingReader(
                body, at: bodyPath, keys: ScenarioSchema.decaying, context: self,
                expected: "expected a mapping such as {rate: 100/h, tau: 24 h}")
            return .decaying(
                initialRatePerSecond: try fields.require("rate", eventRate(_:at:)),
                tau: try fields.require("tau", positiveDuration(_:at:)),
                until: try fields.optional("until", positiveDuration(_:at:)))
        }
    }

    func positiveDuration(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> SimTime {
        try duration(node, at: path, allowZero: false)
    }

    // MARK: Bandwidth

    /// Either fixed `up:` and `down:` or a `bandwidth:` mix, never both: with both, which
    /// one the simulator used would be a guess.
    private func bandwidth(_ fields: MappingReader) throws(ScenarioError) -> Bandwidth {
        let path = fields.path
        let given = fields.entries.filter { ["up", "down", "bandwidth"].contains($0.key) }
        if let mix = fields.value("bandwidth") {
            if given.count > 1, let last = given.last {
                throw error(
                    "give either up and down or a bandwidth list, not both", at: last.keySource,
                    path: path.key(last.key))
            }
            return .mix(try bandwidthMix(mix, at: path.key("bandwidth")))
        }
        guard !given.isEmpty else {
            throw error(
                "needs a bandwidth: either up and down, or a bandwidth list of {share, down, up}",
                at: fields.node, path: path)
        }
        for (key, partner) in [("up", "down"), ("down", "up")] where fields.value(key) == nil {
            throw error(
                "required key is missing (a group with \(partner) also needs \(key))", at: fields.node,
                path: path.key(key))
        }
        return .fixed(
            upBitsPerSecond: try fields.require("up", rate(_:at:)),
            downBitsPerSecond: try fields.require("down", rate(_:at:)))
    }

    /// Classes each peer draws one of with probability `share`; shares must sum to 1 so
    /// that a typo in one share cannot quietly reweight the others.
    private func bandwidthMix(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> [BandwidthClass] {
        let items = try list(node, at: path, expected: "expected a list of {share, down, up}")
        guard !items.isEmpty else {
            throw error("must list at least one {share, down, up} class", at: node, path: path)
        }
        var classes: [BandwidthClass] = []
        for (index, item) in items.enumerated() {
            let fields = try MappingReader(
                item, at: path.index(index), keys: ScenarioSchema.bandwidthClass, context: self,
                expected: "expected a mapping such as {share: 0.2, down: 784 kbit/s, up: 128 kbit/s}")
            let shareNode = try fields.required("share")
            let share = try number(shareNode, at: path.index(index).key("share"), example: "0.2")
            guard share > 0, share <= 1 else {
                throw error(
                    "must be more than 0 and at most 1, got \(quoted(shareNode.scalarText ?? ""))",
                    at: shareNode, path: path.index(index).key("share"))
            }
            classes.append(
                BandwidthClass(
                    share: share, upBitsPerSecond: try fields.require("up", rate(_:at:)),
                    downBitsPerSecond: try fields.require("down", rate(_:at:))))
        }
        let sum = classes.reduce(0) { $0 + $1.share }
        guard abs(sum - 1) <= 1e-6 else {
            let shown = (sum * 1e9).rounded() / 1e9
            // Thirds and the like cannot be written exactly in decimal: say how to close the gap.
            let hint =
                abs(sum - 1) <= 0.01
                ? "; write the shares to more decimals or let one class take the rest (e.g. 0.333, 0.333, 0.334)" : ""
            throw error("shares must sum to 1 (within 0.000001), got \(shown)\(hint)", at: node, path: path)
        }
        return classes
    }

    // MARK: Seeding

    /// `forever`, `{for: D}`, `{rational: R}` or both keys. Rational seeding starts when
    /// the drawn floor `D` ends (at once without `for`), so it cannot follow `forever`.
    func seeding(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> (
        floor: Seeding, rational: RationalSeeding?
    ) {
        let expected = "expected \"forever\" or a mapping such as {for: 2 h}"
        if case .scalar = node.kind {
            let text = try self.text(node, at: path, expected: expected)
            guard text == "forever" else { throw error("\(expected), got \(quoted(text))", at: node, path: path) }
            return (.forever, nil)
        }
        let fields = try MappingReader(node, at: path, keys: ScenarioSchema.seeding, context: self, expected: expected)
        guard !fields.entries.isEmpty else {
            throw error(
                "give for, rational or both, such as {for: 2 h} or {for: 10 min, rational: {cost: 2 BTT/h}}",
                at: node, path: path)
        }
        let floor = try fields.optional("for", distribution(_:at:)) ?? .constant(0)
        return (.duration(floor), try fields.optional("rational", rationalSeeding(_:at:)))
    }
}
