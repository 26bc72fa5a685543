import BitTorrent
import SimKernel
import SimNet

/// The top level of a scenario and its small blocks (`torrent`, `network`, `variants`,
/// `sweep`); peer groups, protocol settings and distributions have files of their own.
extension ParseContext {
    func scenario(_ root: YAMLNode) throws(ScenarioError) -> Scenario {
        let fields = try MappingReader(
            root, at: .root, keys: ScenarioSchema.topLevel, context: self,
            expected: "expected a mapping of scenario keys (name, duration, torrent, peers, ...) at the top level")
        let replications = try fields.optional("replications") { n, p throws(ScenarioError) in
            try integer(n, at: p, minimum: 1)
        }
        let incentives = try fields.optional("incentives", incentives(_:at:)) ?? IncentivesSpec()
        // A storage market alone needs no torrent and no peers.
        let storageOnly =
            fields.value("storage") != nil && fields.value("peers") == nil && fields.value("torrent") == nil
            && fields.value("catalog") == nil
        let fidelity = try fields.optional("fidelity", fidelity(_:at:)) ?? .block
        let catalog = try fields.optional("catalog", catalog(_:at:))
        let torrent = try torrentSpec(fields, catalog: catalog, storageOnly: storageOnly)
        let protocolSettings =
            try fields.optional("protocol") { n, p throws(ScenarioError) in
                try self.protocolSettings(n, at: p, defaults: fidelity, pieceSize: torrent.pieceSizeBytes)
            } ?? fidelity.protocolDefaults(pieceSize: torrent.pieceSizeBytes)
        let peers =
            storageOnly
            ? []
            : try fields.require("peers") { n, p throws(ScenarioError) in
                try peerGroups(n, at: p, protocol: protocolSettings, pieceSize: torrent.pieceSizeBytes)
            }
        let storage = try fields.optional("storage") { n, p throws(ScenarioError) in
            try self.storage(n, at: p, chain: incentives.chain, peerGroups: peers.map(\.name))
        }
        try checkUsers(peers, catalog: catalog, root: root)
        try checkFunding(peers: peers, storage: storage, torrents: catalog?.torrents ?? 1, root: root)
        let sweep = try fields.optional("sweep", sweep(_:at:)) ?? SweepDesign()
        return Scenario(
            name: try fields.require("name", scenarioName(_:at:)),
            seed: try fields.optional("seed", unsigned64(_:at:)) ?? 1,
            duration: try fields.require("duration", positiveDuration(_:at:)),
            replications: replications ?? 1,
            sampleInterval: try fields.optional("sample_interval", positiveDuration(_:at:)) ?? .seconds(10),
            fidelity: fidelity, torrent: torrent, catalog: catalog,
            network: try fields.optional("network") { n, p throws(ScenarioError) in
                try network(n, at: p, defaults: fidelity)
            } ?? fidelity.networkDefaults,
            protocolSettings: protocolSettings,
            peers: peers,
            incentives: incentives, storage: storage,
            variants: try fields.optional("variants", variants(_:at:)) ?? [],
            sweep: sweep.axes, sweepList: sweep.points, sweepReference: sweep.reference)
    }

    /// The one torrent, or for a catalogue the piece size its torrents share (the size of
    /// each is drawn per run); exactly one of `torrent:` and `catalog:` is given.
    private func torrentSpec(_ fields: MappingReader, catalog: CatalogSpec?, storageOnly: Bool)
        throws(ScenarioError) -> TorrentSpec
    {
        if storageOnly { return TorrentSpec(sizeBytes: 0) }
        guard let catalog else { return try fields.require("torrent", torrent(_:at:)) }
        if let node = fields.value("torrent") {
            throw error(
                "give either torrent (one torrent) or catalog (many), not both", at: node,
                path: KeyPath.root.key("torrent"))
        }
        return TorrentSpec(sizeBytes: 0, pieceSizeBytes: catalog.pieceSizeBytes)
    }

    /// Scenario and variant names become folder names under `Results/`, so they are kept
    /// to characters every file system and shell takes without quoting.
    private func folderName(_ node: YAMLNode, at path: KeyPath, example: String) throws(ScenarioError) -> String {
        let name = try text(node, at: path, expected: "expected a name such as \(example)")
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard !name.isEmpty, allowed, name != ".", name != ".." else {
            throw error(
                "must be a non-empty folder name of letters, digits, \"-\", \"_\" and \".\", got \(quoted(name))",
                at: node, path: path)
        }
        return name
    }

    private func scenarioName(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> String {
        try folderName(node, at: path, example: "flash-crowd")
    }

    private func fidelity(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Fidelity {
        let name = try choice(node, at: path, among: Fidelity.allCases.map(\.rawValue), noun: "fidelity tier")
        return Fidelity(rawValue: name) ?? .block
    }

    /// Keys not given take `defaults`' values.
    private func network(_ node: YAMLNode, at path: KeyPath, defaults: Fidelity) throws(ScenarioError) -> NetworkSpec {
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.network, context: self,
            expected: "expected a mapping such as {latency: {uniform: {min: 10 ms, max: 100 ms}}}")
        var spec = defaults.networkDefaults
        spec.latency = try fields.optional("latency", distribution(_:at:)) ?? spec.latency
        let overlap = try fields.optional("control_overlap") { n, p throws(ScenarioError) in
            try choice(n, at: p, among: ControlOverlap.allCases.map(\.rawValue), noun: "control overlap")
        }
        spec.controlOverlap = overlap.flatMap(ControlOverlap.init(rawValue:)) ?? spec.controlOverlap
        return spec
    }

    // MARK: Variants and sweeps

    /// Variants are read here as data; `ScenarioLoader` then applies each one and reads
    /// the result, so a variant that breaks the scenario fails `btsim check`, not a run.
    private func variants(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> [Variant] {
        var variants: [Variant] = []
        for (index, item) in try list(node, at: path, expected: "expected a list of {name, set}").enumerated() {
            let fields = try MappingReader(
                item, at: path.index(index), keys: ScenarioSchema.variant, context: self,
                expected: "expected a mapping such as {name: fast, set: {torrent.size: 1 GiB}}")
            let nameNode = try fields.required("name")
            let name = try folderName(nameNode, at: path.index(index).key("name"), example: "speed-fixed")
            let reserved = [
                "base": "is reserved for the scenario without variants", "sweep": "is reserved for sweep results",
            ]
            guard reserved[name] == nil, !variants.contains(where: { $0.name == name }) else {
                let why = reserved[name] ?? "is used by another variant"
                throw error("the name \(quoted(name)) \(why)", at: nameNode, path: path.index(index).key("name"))
            }
            let entries = try assignments(try fields.required("set"), at: path.index(index).key("set"))
            var overrides: [Override] = []
            for entry in entries {
                overrides.append(
                    Override(
                        path: entry.key, value: try entry.value.flowText(),
                        origin: .variant(name: name, line: entry.keySource.line)))
            }
            variants.append(Variant(name: name, overrides: overrides))
        }
        return variants
    }

    /// `sweep:` in one of three forms (docs/scenarios.md, "Sweeps"): a grid (a mapping of
    /// dotted paths to lists of values), a list of points (each a mapping of paths to
    /// values, for keys that move together), or `{grid: …, reference: N}` /
    /// `{points: …, reference: N}` naming the point the others are compared with.
    private func sweep(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> SweepDesign {
        if case .sequence = node.kind { return SweepDesign(points: try sweepList(node, at: path)) }
        if case .mapping(let entries) = node.kind, entries.contains(where: { ["grid", "points"].contains($0.key) }) {
            let fields = try MappingReader(
                node, at: path, keys: ScenarioSchema.sweep, context: self,
                expected:
                    "expected {grid: {KEY: [values]}} or {points: [{KEY: value}, ...]}, with an optional reference")
            var design = SweepDesign()
            if let grid = fields.value("grid") { design.axes = try sweepGrid(grid, at: path.key("grid")) }
            if let points = fields.value("points") { design.points = try sweepList(points, at: path.key("points")) }
            if fields.value("grid") != nil && fields.value("points") != nil {
                throw error("give either grid or points, not both", at: node, path: path)
            }
            let count = design.points.isEmpty ? design.axes.reduce(1) { $0 * $1.values.count } : design.points.count
            design.reference = try fields.optional("reference") { n, p throws(ScenarioError) in
                let k = try integer(n, at: p, minimum: 1)
                guard k <= count else {
                    throw error("must be a point number from 1 to \(count), got \(k)", at: n, path: p)
                }
                return k
            }
            return design
        }
        return SweepDesign(axes: try sweepGrid(node, at: path))
    }

    private func sweepGrid(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> [SweepAxis] {
        var axes: [SweepAxis] = []
        for entry in try assignments(node, at: path) {
            let values = try list(
                entry.value, at: path.key(entry.key), expected: "expected a list of values such as [4, 8]")
            guard !values.isEmpty else {
                throw error("must list at least one value", at: entry.value, path: path.key(entry.key))
            }
            var texts: [String] = []
            for value in values { texts.append(try value.flowText()) }
            axes.append(SweepAxis(path: entry.key, values: texts, line: entry.keySource.line))
        }
        return axes
    }

    private func sweepList(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> [[Override]] {
        var points: [[Override]] = []
        let items = try list(
            node, at: path, expected: "expected a list of points such as [{incentives.price: 4 BTT/GiB}]")
        guard !items.isEmpty else { throw error("must list at least one point", at: node, path: path) }
        for (index, item) in items.enumerated() {
            var point: [Override] = []
            for entry in try assignments(item, at: path.index(index)) {
                point.append(
                    Override(
                        path: entry.key, value: try entry.value.flowText(), origin: .sweep(line: entry.keySource.line)))
            }
            points.append(point)
        }
        return points
    }

    /// A non-empty mapping of dotted paths to values, as in a variant's `set:`.
    private func assignments(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> [YAMLNode.Entry] {
        let expected = "expected a mapping of dotted paths to values such as {protocol.unchoke_slots: 8}"
        guard case .mapping(let entries) = node.kind else {
            throw error("\(expected), got \(node.kindName)", at: node, path: path)
        }
        guard !entries.isEmpty else { throw error("\(expected), got an empty mapping", at: node, path: path) }
        return entries
    }
}

/// What `sweep:` says, in whichever form it was written.
struct SweepDesign {
    var axes: [SweepAxis] = []
    var points: [[Override]] = []
    var reference: Int?
}

extension NodeSource {
    /// The file line, for values that came from the file.
    var line: Int? {
        guard case .file(let line) = self else { return nil }
        return line
    }
}
