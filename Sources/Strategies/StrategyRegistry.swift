/// Every strategy a scenario may name, declared once: the scenario parser's choices and
/// messages, Live's `--strategy`, and docs/model.md's list follow this array.
public enum StrategyRegistry {
    /// In documentation order; `bittorrent` first, as the default.
    public static let all: [StrategyDefinition] = [
        .bittorrent, .speed, .freerider, .propshare, .bittyrant, .fairtorrent, .speedNonpayer, .speedWithholder,
        .speedShader,
    ]

    public static var names: [String] { all.map(\.name) }

    public static func named(_ name: String) -> StrategyDefinition? { all.first { $0.name == name } }

    /// The strategy of a group that names none.
    public static var standard: StrategyDefinition { .bittorrent }
}
