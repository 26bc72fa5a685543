import Incentives
import SimKernel
import Storage

/// The `storage:` block: BTFS hosts and renters (docs/storage.md). Prices are in µBTT per
/// GiB per day, BTFS's unit; chain fees come from `incentives.chain`, the chain both
/// markets settle on.
extension ParseContext {
    /// `peerGroups`: the scenario's peer group names, which renter groups may rent for.
    func storage(_ node: YAMLNode, at path: KeyPath, chain: ChainSettings, peerGroups: [String])
        throws(ScenarioError) -> StorageSettings
    {
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.storage, context: self,
            expected: "expected a mapping of storage settings such as {hosts: [...], renters: [...]}")
        var tied: [String] = []
        var settings = StorageSettings(
            hosts: try fields.require("hosts") { n, p throws(ScenarioError) in
                try groups(n, at: p, noun: "host group", read: storageHost(_:at:))
            },
            renters: try fields.require("renters") { n, p throws(ScenarioError) in
                try groups(n, at: p, noun: "renter group") { n, p throws(ScenarioError) in
                    try storageRenter(n, at: p, peerGroups: peerGroups, tied: &tied)
                }
            })
        settings.chain = chain
        settings.payoutPeriod = try fields.optional("payout_period", positiveDuration(_:at:)) ?? settings.payoutPeriod
        settings.sampleInterval =
            try fields.optional("sample_interval", positiveDuration(_:at:)) ?? settings.sampleInterval
        if let rate = try fields.optional("challenge_rate", eventRate(_:at:)) {
            settings.challengeInterval = .seconds(1 / rate)
        }
        if let repair = fields.value("repair") { try self.repair(repair, at: path.key("repair"), into: &settings) }
        if let score = fields.value("host_score") { try hostScore(score, at: path.key("host_score"), into: &settings) }
        return settings
    }

    /// A non-empty list of named groups with distinct names.
    private func groups<T>(
        _ node: YAMLNode, at path: KeyPath, noun: String, read: (YAMLNode, KeyPath) throws(ScenarioError) -> T
    ) throws(ScenarioError) -> [T] {
        let items = try list(node, at: path, expected: "expected a list of \(noun)s")
        guard !items.isEmpty else { throw error("must list at least one \(noun)", at: node, path: path) }
        var names: [String] = []
        var groups: [T] = []
        for (index, item) in items.enumerated() {
            let nameNode = (try? MappingReader(item, at: path.index(index), keys: [], context: self, expected: ""))?
                .value("group")
            if let name = nameNode?.scalarText, names.contains(name) {
                throw error(
                    "group name \(quoted(name)) is used twice", at: nameNode!, path: path.index(index).key("group"))
            }
            groups.append(try read(item, path.index(index)))
            names.append(nameNode?.scalarText ?? "")
        }
        return groups
    }

    private func storageHost(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> HostGroupSpec {
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.storageHost, context: self,
            expected: "expected a host group such as {group: hosts, count: 100, capacity: 1 TiB, price: 250 µBTT/GiB/d}"
        )
        var spec = HostGroupSpec(
            name: try fields.require("group") { n, p throws(ScenarioError) in
                try text(n, at: p, expected: "expected a group name such as hosts")
            },
            count: try fields.require("count") { n, p throws(ScenarioError) in try integer(n, at: p, minimum: 0) },
            capacityBytes: try fields.require("capacity", size(_:at:)),
            price: try fields.require("price") { n, p throws(ScenarioError) in
                try distribution(n, at: p, of: .storagePrice)
            },
            departure: try fields.optional("departure", distribution(_:at:)),
            version: try fields.optional("version") { n, p throws(ScenarioError) in try score(n, at: p) } ?? 1)
        if let uptime = try fields.optional("uptime", uptime(_:at:)) {
            spec.online = uptime.on
            spec.offline = uptime.off
        }
        return spec
    }

    /// A renter group; `tied` collects the peer groups already renting (one renter group each).
    private func storageRenter(_ node: YAMLNode, at path: KeyPath, peerGroups: [String], tied: inout [String])
        throws(ScenarioError) -> RenterGroupSpec
    {
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.storageRenter, context: self,
            expected:
                "expected a renter group such as {group: renters, count: 10, files: 5, file_size: 100 MiB, budget: 100 BTT}"
        )
        if let peersNode = fields.value("peers") {
            let group = try text(peersNode, at: path.key("peers"), expected: "expected a peer group name such as crowd")
            guard peerGroups.contains(group) else {
                let hint = Suggestions.hint(for: group, among: peerGroups, listIntro: "peer groups are")
                throw error("no peer group is named \(quoted(group))\(hint)", at: peersNode, path: path.key("peers"))
            }
            guard !tied.contains(group) else {
                throw error(
                    "peer group \(quoted(group)) already rents through another renter group", at: peersNode,
                    path: path.key("peers"))
            }
            tied.append(group)
            for key in ["count", "budget"] {
                guard let node = fields.value(key) else { continue }
                throw error(
                    "a renter group with `peers` has one renter per arriving peer, paying from the peer's ledger "
                        + "(its `wallet`); remove \(key)", at: node, path: path.key(key))
            }
            var spec = try renterTerms(fields, count: 0, budget: .zero)
            spec.peers = group
            return spec
        }
        return try renterTerms(
            fields,
            count: try fields.require("count") { n, p throws(ScenarioError) in try integer(n, at: p, minimum: 0) },
            budget: try fields.require("budget", amount(_:at:)))
    }

    /// The rest of a renter group: its files and contract terms.
    private func renterTerms(_ fields: MappingReader, count: Int, budget: TokenAmount)
        throws(ScenarioError) -> RenterGroupSpec
    {
        let defaults = RenterGroupSpec(name: "", count: 0, files: 0, fileSize: .constant(1), budget: .zero)
        return RenterGroupSpec(
            name: try fields.require("group") { n, p throws(ScenarioError) in
                try text(n, at: p, expected: "expected a group name such as renters")
            },
            count: count,
            files: try fields.require("files") { n, p throws(ScenarioError) in try integer(n, at: p, minimum: 1) },
            fileSize: try fields.require("file_size") { n, p throws(ScenarioError) in
                try distribution(n, at: p, of: .fileSize)
            },
            redundancy: try fields.optional("redundancy", redundancy(_:at:)) ?? defaults.redundancy,
            contractLength: try fields.optional("contract", positiveDuration(_:at:)) ?? defaults.contractLength,
            budget: budget,
            maxPrice: try fields.optional("max_price") { n, p throws(ScenarioError) in
                try quantity(n, at: p, expected: Units.storagePriceExample) { text throws(Units.Problem) in
                    try Units.storagePrice(text, allowZero: true)
                }
            },
            upload: try fields.optional("upload", distribution(_:at:)) ?? defaults.upload)
    }

    /// `{reed_solomon: {data: 10, parity: 20}}` or `{replicas: 3}`.
    private func redundancy(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Redundancy {
        let entry = try tagged(
            node, at: path, kinds: ScenarioSchema.redundancyKinds, noun: "redundancy",
            expected: "expected {reed_solomon: {data: 10, parity: 20}} or {replicas: 3}")
        let bodyPath = path.key(entry.key)
        if entry.key == "replicas" {
            let copies = try integer(entry.value, at: bodyPath, minimum: 1)
            guard copies <= Redundancy.maxShards else {
                throw error(
                    "replicas must be at most \(Redundancy.maxShards), got \(copies)", at: entry.value, path: bodyPath)
            }
            return .replicas(copies)
        }
        let fields = try MappingReader(
            entry.value, at: bodyPath, keys: ScenarioSchema.reedSolomon, context: self,
            expected: "expected a mapping such as {data: 10, parity: 20}")
        let data = try fields.require("data") { n, p throws(ScenarioError) in try integer(n, at: p, minimum: 1) }
        let parity = try fields.require("parity") { n, p throws(ScenarioError) in try integer(n, at: p, minimum: 0) }
        // Bounded one by one first: the sum of two huge values would overflow.
        guard data <= Redundancy.maxShards, parity <= Redundancy.maxShards, data + parity <= Redundancy.maxShards else {
            let total = data.addingReportingOverflow(parity)
            throw error(
                "data + parity must be at most 255 (Reed–Solomon over GF(2⁸)), got \(total.overflow ? "more than Int's range" : "\(total.partialValue)")",
                at: entry.value, path: bodyPath)
        }
        return .reedSolomon(data: data, parity: parity)
    }

    /// `repair: false`, `repair: true` (the defaults), or `{threshold: 1, delay: 1 h}`.
    private func repair(_ node: YAMLNode, at path: KeyPath, into settings: inout StorageSettings) throws(ScenarioError)
    {
        if case .scalar = node.kind, !node.isNull {
            settings.repair = try bool(node, at: path)
            return
        }
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.repair, context: self,
            expected: "expected true, false, or a mapping such as {threshold: 1, delay: 1 h}")
        settings.repairThreshold =
            try fields.optional("threshold") { n, p throws(ScenarioError) in try integer(n, at: p, minimum: 1) }
            ?? settings.repairThreshold
        settings.repairDelay =
            try fields.optional("delay") { n, p throws(ScenarioError) in try duration(n, at: p, allowZero: true) }
            ?? settings.repairDelay
    }

    /// `{weights: {uptime: 0.6, age: 0.2, version: 0.1, activity: 0.1}, minimum: 0.5}`.
    private func hostScore(_ node: YAMLNode, at path: KeyPath, into settings: inout StorageSettings)
        throws(ScenarioError)
    {
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.hostScore, context: self,
            expected:
                "expected a mapping such as {weights: {uptime: 0.6, age: 0.2, version: 0.1, activity: 0.1}, minimum: 0.5}"
        )
        settings.minimumScore = try fields.optional("minimum", score(_:at:)) ?? settings.minimumScore
        guard let weightsNode = fields.value("weights") else { return }
        let weightsPath = path.key("weights")
        let weights = try MappingReader(
            weightsNode, at: weightsPath, keys: ScenarioSchema.scoreWeights, context: self,
            expected: "expected a mapping such as {uptime: 0.6, age: 0.2, version: 0.1, activity: 0.1}")
        var w = settings.scoreWeights
        w.uptime = try weights.optional("uptime", score(_:at:)) ?? w.uptime
        w.age = try weights.optional("age", score(_:at:)) ?? w.age
        w.version = try weights.optional("version", score(_:at:)) ?? w.version
        w.activity = try weights.optional("activity", score(_:at:)) ?? w.activity
        guard w.total > 0 else {
            throw error("at least one weight must be positive", at: weightsNode, path: weightsPath)
        }
        settings.scoreWeights = w
    }

    /// A number from 0 to 1.
    private func score(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Double {
        let value = try number(node, at: path, example: "0.5")
        guard (0...1).contains(value) else {
            throw error("must be from 0 to 1, got \(quoted(node.scalarText ?? ""))", at: node, path: path)
        }
        return value
    }
}
