import BitTorrent
import Incentives
import SimKernel
import Speed

/// One incentive strategy as a scenario names it (`strategy:` of a peer group): what it
/// needs from the run and how a peer running it is built (docs/model.md, "Strategies and
/// BitTorrent Speed").
///
/// The drivers know markets, not strategies: they create the Speed market when some
/// group's strategy needs it, open an account on it for each peer of such a group, and
/// ask the definition for the peer's `PeerStrategy`. So a new strategy is its own file,
/// one line in `StrategyRegistry.all`, and its tests.
public struct StrategyDefinition: Sendable {
    /// The name scenarios, CSVs and `--strategy` use.
    public let name: String
    /// One sentence for documentation and error messages.
    public let summary: String
    /// The market a peer of this strategy trades on.
    public let market: StrategyMarket
    /// Whether a rational seeder of this strategy stays (`seeding.rational`).
    public let seeding: SeedingRule
    private let build: @Sendable (StrategyContext) -> StrategyInstance

    public init(
        name: String, summary: String, market: StrategyMarket = .none, seeding: SeedingRule = .earningsCoverCost,
        build: @escaping @Sendable (StrategyContext) -> StrategyInstance
    ) {
        self.name = name
        self.summary = summary
        self.market = market
        self.seeding = seeding
        self.build = build
    }

    /// A new strategy object for one peer.
    public func makeStrategy(_ context: StrategyContext) -> StrategyInstance { build(context) }
}

extension StrategyDefinition: Hashable, CustomStringConvertible {
    /// Names are unique in the registry (a test checks), so a name is the identity.
    public static func == (a: StrategyDefinition, b: StrategyDefinition) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    public var description: String { name }
}

/// The market a strategy trades on; the driver creates one only when some group needs it.
public enum StrategyMarket: String, Sendable, CaseIterable {
    /// No tokens change hands.
    case none
    /// BitTorrent Speed: bids, escrowed channels and vouchers on the shared ledger.
    case speed
}

/// What the driver gives a definition to build one peer's strategy.
public struct StrategyContext {
    /// The peer's account on the Speed market, when the strategy's `market` is `.speed`
    /// (the driver opens it: from the scenario's wallet in the simulator, from the ledger
    /// file in Live).
    public var speed: SpeedAccountContext?
    /// The BEP 10 handshake a strategy without extension messages announces (Live names
    /// its client there; nil in the simulator, which sends none).
    public var extensionHandshake: ExtensionHandshake?
    /// The peer's upload capacity in bytes per second, when the driver knows it: the
    /// host's uplink in the simulator, `--max-upload-rate` in Live.
    public var uploadBytesPerSecond: Double?

    public init(
        speed: SpeedAccountContext? = nil, extensionHandshake: ExtensionHandshake? = nil,
        uploadBytesPerSecond: Double? = nil
    ) {
        self.speed = speed
        self.extensionHandshake = extensionHandshake
        self.uploadBytesPerSecond = uploadBytesPerSecond
    }
}

/// A peer's place on the Speed market.
public struct SpeedAccountContext {
    public let market: SpeedMarket
    public let account: SpeedAccount
    /// Most the peer spends on one download (nil: the market's default).
    public let budget: TokenAmount?

    public init(market: SpeedMarket, account: SpeedAccount, budget: TokenAmount? = nil) {
        self.market = market
        self.account = account
        self.budget = budget
    }
}

/// One peer's strategy object, and its market side when it trades.
public struct StrategyInstance {
    public let strategy: any PeerStrategy
    /// What the driver settles when the run ends and withdraws from when the peer leaves.
    public let trader: (any SpeedTrader)?

    public init(strategy: any PeerStrategy, trader: (any SpeedTrader)? = nil) {
        self.strategy = strategy
        self.trader = trader
    }
}

/// Whether a rational seeder stays for another review interval, given what it earned
/// per hour over the review window and its private cost per hour (both in BTT).
public struct SeedingRule: Sendable {
    public let name: String
    private let stays: @Sendable (_ earnedPerHour: Double, _ costPerHour: Double) -> Bool

    public init(name: String, stays: @escaping @Sendable (_ earnedPerHour: Double, _ costPerHour: Double) -> Bool) {
        self.name = name
        self.stays = stays
    }

    public func staysSeeding(earnedPerHour: Double, costPerHour: Double) -> Bool {
        stays(earnedPerHour, costPerHour)
    }

    /// The rule of docs/model.md: stay while earnings cover the private cost. A strategy
    /// that earns nothing leaves at its first review unless seeding costs it nothing.
    public static let earningsCoverCost = SeedingRule(name: "earnings cover cost") { $0 >= $1 }
}
