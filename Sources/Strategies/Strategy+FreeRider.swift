import BitTorrent

extension StrategyDefinition {
    /// Downloads, never uploads (`FreeRider`).
    public static let freerider = StrategyDefinition(
        name: "freerider", summary: "downloads, never unchokes anyone, never pays"
    ) { _ in
        StrategyInstance(strategy: FreeRider())
    }
}
