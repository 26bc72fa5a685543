import BitTorrent

extension ScenarioLoader {
    /// The protocol settings a Live peer runs with (`btsim live seed|get --protocol FILE
    /// --set protocol.…`), so that a real peer reproduces a scenario's protocol.
    ///
    /// With `scenario`, the whole file is read and checked as `btsim check` would and its
    /// `protocol:` block is used, or with `group` that peer group's settings (its own
    /// `protocol:` over the scenario-wide one); without, the defaults. `overrides` apply
    /// on top, each a `protocol.` or `peers.GROUP.protocol.` path: the rest of a scenario
    /// (peers, network, incentives) describes a simulated swarm, not one real peer, and is
    /// refused rather than ignored.
    public static func liveProtocol(scenario path: String?, group: String? = nil, overrides: [Override])
        throws(ScenarioError) -> ProtocolSettings
    {
        let isProtocolPath = { (path: String) in
            path.hasPrefix("protocol.") || (path.hasPrefix("peers.") && path.contains(".protocol."))
        }
        if let other = overrides.first(where: { !isProtocolPath($0.path) }) {
            throw ScenarioError(
                file: "", line: nil, keyPath: "",
                message: "a live peer takes only protocol.… settings; \(other.path) describes the simulated swarm",
                override: other)
        }
        let file = path ?? "--set"
        let settings: ProtocolSettings
        if let path {
            let scenario = try load(path: path, overrides: overrides)
            guard scenario.fidelity == .block else {
                throw ScenarioError(
                    file: file, line: nil, keyPath: "fidelity",
                    message: "\(scenario.fidelity.rawValue) is a simulator tier; a live peer moves real blocks")
            }
            if let group {
                guard let spec = scenario.peers.first(where: { $0.name == group }) else {
                    throw ScenarioError(
                        file: file, line: nil, keyPath: "peers",
                        message:
                            "has no group \(group); its groups are \(scenario.peers.map(\.name).joined(separator: ", "))"
                    )
                }
                settings = spec.protocolSettings ?? scenario.protocolSettings
            } else {
                settings = scenario.protocolSettings
            }
        } else {
            if let group {
                throw ScenarioError(
                    file: file, line: nil, keyPath: "",
                    message: "a group (\(group)) needs the scenario that has it: give --protocol FILE too")
            }
            let source = ScenarioSource(file: file, text: "protocol: {}\n", overrides: overrides)
            let context = ParseContext(file: source.file)
            let root = try tree(of: source, context: context)
            let fields = try MappingReader(
                root, at: .root, keys: ["protocol"], context: context, expected: "a mapping with protocol settings")
            settings =
                try fields.optional("protocol") { n, p throws(ScenarioError) in
                    try context.protocolSettings(n, at: p)
                } ?? ProtocolSettings()
        }
        try refuseSimulatorOnly(settings, file: file)
        return settings
    }

    /// Settings that coarsen what goes on the wire exist only in the simulator: real
    /// clients request 16 KiB blocks and need not serve larger ones (btsim's own decoder
    /// refuses them), and holding `have`s back is a fidelity tier's shortcut, not what a
    /// client does (docs/model.md, "Fidelity tiers").
    private static func refuseSimulatorOnly(_ settings: ProtocolSettings, file: String) throws(ScenarioError) {
        let standard = ProtocolSettings()
        if settings.blockLength != standard.blockLength {
            throw ScenarioError(
                file: file, line: nil, keyPath: "protocol.block_size",
                message: "is simulator-only; a live peer requests 16 KiB blocks, as every client does")
        }
        if settings.haveBatch != standard.haveBatch {
            throw ScenarioError(
                file: file, line: nil, keyPath: "protocol.have_batch",
                message: "is simulator-only; a live peer sends each have at once")
        }
    }
}

/// A rate from a command line (`btsim live seed --max-upload-rate 8Mbit/s`), read with
/// the units a scenario's rates take (docs/scenarios.md), so the two cannot differ.
public enum CommandLineRate {
    /// Bytes per second, or why the text is not a positive rate.
    public static func bytesPerSecond(_ text: String) -> Result<Double, CommandLineRateError> {
        do throws(Units.Problem) {
            return .success(try Units.rate(text) / 8)
        } catch {
            return .failure(CommandLineRateError(description: error.message))
        }
    }
}

public struct CommandLineRateError: Error, CustomStringConvertible {
    public let description: String
}
