import BitTorrent

extension StrategyDefinition {
    /// Plain BitTorrent: tit-for-tat (`TitForTat`).
    public static let bittorrent = StrategyDefinition(
        name: "bittorrent", summary: "tit-for-tat: regular slots to the peers that upload to us fastest, no tokens"
    ) { context in
        StrategyInstance(strategy: TitForTat(extensionHandshake: context.extensionHandshake))
    }
}
