/// The keys valid at each level of a scenario (docs/scenarios.md), in documentation order.
///
/// One source of truth for the readers, which reject unknown keys with a did-you-mean,
/// and for override paths, which must name a key that could exist.
enum ScenarioSchema {
    static let topLevel = [
        "name", "seed", "duration", "replications", "sample_interval", "fidelity", "torrent", "catalog",
        "network", "protocol",
        "incentives", "peers", "storage", "variants", "sweep",
    ]
    static let torrent = ["size", "piece_size"]
    static let catalog = ["torrents", "size", "piece_size", "popularity", "release", "bundle"]
    static let network = ["latency", "control_overlap"]
    static let protocolSettings = [
        "unchoke_slots", "rechoke_interval", "optimistic_interval", "snub_timeout", "request_timeout",
        "max_connections",
        "min_connections", "min_announce_interval", "numwant", "announce_interval", "request_queue_time",
        "end_game", "piece_picker", "random_first_pieces", "fast_extension", "block_size", "have_batch",
    ]
    /// A peer group's own `protocol:` block: the client's settings, not the torrent's
    /// block layout, which every peer shares.
    static let groupProtocolSettings = protocolSettings.filter { !runWideProtocolSettings.contains($0) }
    static let runWideProtocolSettings: Set<String> = ["block_size"]
    static let incentives = [
        "bid", "price", "spending_rate", "budget", "reserve", "channel_deposit", "verify_fraction",
        "refuse_defaulters", "leave_withholders", "exchange_delay", "chain",
    ]
    static let chain = ["block_time", "fee", "min_deposit", "min_withdrawal"]
    static let peerGroup = [
        "group", "count", "arrival", "has_file", "up", "down", "bandwidth", "abort", "seeding", "strategy", "wallet",
        "budget", "protocol", "downloads", "uptime", "identities", "farm",
    ]
    static let downloads = ["count", "interval"]
    static let bandwidthClass = ["share", "down", "up"]
    static let arrivalKinds = ["at", "poisson", "decaying"]
    static let poisson = ["rate", "until"]
    static let decaying = ["rate", "tau", "until"]
    static let seeding = ["for", "rational"]
    static let rationalSeeding = ["cost", "interval", "window"]
    static let wallet = ["ledger", "chain"]
    static let variant = ["name", "set"]
    static let sweep = ["grid", "points", "reference"]
    static let storage = [
        "hosts", "renters", "payout_period", "challenge_rate", "repair", "host_score", "sample_interval",
    ]
    static let storageHost = ["group", "count", "capacity", "price", "uptime", "departure", "version"]
    static let uptime = ["on", "off"]
    static let storageRenter = [
        "group", "count", "peers", "files", "file_size", "redundancy", "contract", "budget", "max_price", "upload",
    ]
    static let redundancyKinds = ["reed_solomon", "replicas"]
    static let reedSolomon = ["data", "parity"]
    static let repair = ["threshold", "delay"]
    static let hostScore = ["weights", "minimum"]
    static let scoreWeights = ["uptime", "age", "version", "activity"]

    /// What an override path may address at each level.
    indirect enum Shape: Sendable {
        /// Known keys; any other key is an error with a did-you-mean.
        case mapping([(key: String, shape: Shape)])
        /// A list of named groups (`peers`, `storage.hosts`, `storage.renters`), addressed
        /// by group name (`peers.crowd`) or index (`peers[1]`); `noun` names one in messages.
        case groups(noun: String, Shape)
        /// Any YAML: paths may go into it freely; the reader checks it afterwards.
        case value
        /// Not overridable, for the reason given.
        case fixed(String)
    }

    static let shape: Shape = .mapping(
        topLevel.map { key in
            switch key {
            case "torrent": return (key, .mapping(torrent.map { ($0, .value) }))
            case "catalog": return (key, .mapping(catalog.map { ($0, .value) }))
            case "network": return (key, .mapping(network.map { ($0, .value) }))
            case "protocol": return (key, .mapping(protocolSettings.map { ($0, .value) }))
            case "incentives":
                let chainShape = Shape.mapping(chain.map { ($0, .value) })
                return (key, .mapping(incentives.map { ($0, $0 == "chain" ? chainShape : .value) }))
            case "peers":
                // Every protocol key, so that a scenario-wide one gets the parser's reason.
                let protocolShape = Shape.mapping(protocolSettings.map { ($0, .value) })
                return (
                    key,
                    .groups(
                        noun: "peer group", .mapping(peerGroup.map { ($0, $0 == "protocol" ? protocolShape : .value) }))
                )
            case "storage":
                return (
                    key,
                    .mapping(
                        storage.map { k in
                            switch k {
                            case "hosts":
                                (k, .groups(noun: "storage host group", .mapping(storageHost.map { ($0, .value) })))
                            case "renters":
                                (k, .groups(noun: "storage renter group", .mapping(storageRenter.map { ($0, .value) })))
                            default: (k, .value)
                            }
                        })
                )
            case "variants", "sweep":
                return (key, .fixed("variants and sweeps cannot be overridden; edit the file instead"))
            default: return (key, .value)
            }
        })
}
