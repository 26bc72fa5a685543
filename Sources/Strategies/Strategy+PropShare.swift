import BitTorrent

extension StrategyDefinition {
    /// Proportional share (`PropShare`, Levin et al. 2008).
    public static let propshare = StrategyDefinition(
        name: "propshare", summary: "regular slots drawn in proportion to what each peer gave us"
    ) { _ in
        StrategyInstance(strategy: PropShare())
    }
}
