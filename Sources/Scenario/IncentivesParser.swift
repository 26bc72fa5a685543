import Incentives
import SimKernel

/// The `incentives:` block (docs/model.md, "Strategies and BitTorrent Speed"), every key optional with defaults from
/// `IncentivesSpec`, and the per-group keys that belong to it: `wallet`, `budget` and
/// `seeding.rational`.
extension ParseContext {
    func incentives(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> IncentivesSpec {
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.incentives, context: self,
            expected: "expected a mapping of incentive settings such as {bid: fixed, price: 1 BTT/GiB}")
        var spec = IncentivesSpec()
        let rules = BidRule.allCases.map(\.rawValue)
        let bid = try fields.optional("bid") { n, p throws(ScenarioError) in
            try choice(n, at: p, among: rules, noun: "bid rule")
        }
        spec.bid = bid.flatMap(BidRule.init(rawValue:)) ?? spec.bid
        spec.price = try fields.optional("price", price(_:at:)) ?? spec.price
        spec.spendingRate = try fields.optional("spending_rate", fraction(example: "0.5")) ?? spec.spendingRate
        spec.budget = try fields.optional("budget", positiveAmount(_:at:)) ?? spec.budget
        spec.reserve = try fields.optional("reserve", price(_:at:)) ?? spec.reserve
        spec.channelDeposit = try fields.optional("channel_deposit", positiveAmount(_:at:)) ?? spec.channelDeposit
        spec.verifyFraction = try fields.optional("verify_fraction", fraction(example: "0.01")) ?? spec.verifyFraction
        spec.refuseDefaulters = try fields.optional("refuse_defaulters", bool(_:at:)) ?? spec.refuseDefaulters
        spec.leaveWithholders = try fields.optional("leave_withholders", bool(_:at:)) ?? spec.leaveWithholders
        spec.chain = try fields.optional("chain", chainSettings(_:at:)) ?? spec.chain
        let delay = try fields.optional("exchange_delay") { n, p throws(ScenarioError) in
            try duration(n, at: p, allowZero: true)
        }
        spec.chain.confirmationDelay = delay ?? spec.chain.confirmationDelay
        return spec
    }

    /// `incentives.chain`: a zero block time would put every block at the same instant;
    /// fees and minimum amounts may be zero (a free chain, no minimum).
    private func chainSettings(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> ChainSettings {
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.chain, context: self,
            expected: "expected a mapping of chain settings such as {block_time: 3 s, fee: 0.01 BTT}")
        var settings = ChainSettings()
        settings.blockTime = try fields.optional("block_time", positiveDuration(_:at:)) ?? settings.blockTime
        settings.fee = try fields.optional("fee", amount(_:at:)) ?? settings.fee
        settings.minimumDeposit = try fields.optional("min_deposit", amount(_:at:)) ?? settings.minimumDeposit
        settings.minimumWithdrawal = try fields.optional("min_withdrawal", amount(_:at:)) ?? settings.minimumWithdrawal
        return settings
    }

    /// A share such as `spending_rate` or `verify_fraction`, from 0 to 1 inclusive.
    private func fraction(example: String) -> (YAMLNode, KeyPath) throws(ScenarioError) -> Double {
        { node, path throws(ScenarioError) in
            let value = try self.number(node, at: path, example: example)
            guard value >= 0, value <= 1 else {
                throw self.error(
                    "must be from 0 to 1, got \(quoted(node.scalarText ?? ""))", at: node, path: path)
            }
            return value
        }
    }

    // MARK: Per group

    /// `wallet: 50 BTT` (all on the ledger) or `wallet: {ledger: 20 BTT, chain: 30 BTT}`;
    /// either balance may be zero.
    func wallet(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> WalletSpec {
        let expected = "expected an amount such as \"50 BTT\" or a mapping such as {ledger: 20 BTT, chain: 30 BTT}"
        if case .scalar = node.kind, !node.isNull {
            let text = try self.text(node, at: path, expected: expected)
            guard Units.scanNumber(text) != nil else {
                throw error("\(expected), got \(quoted(text))", at: node, path: path)
            }
            return WalletSpec(ledger: try amount(node, at: path))
        }
        let fields = try MappingReader(node, at: path, keys: ScenarioSchema.wallet, context: self, expected: expected)
        return WalletSpec(
            ledger: try fields.optional("ledger", amount(_:at:)) ?? .zero,
            chain: try fields.optional("chain", amount(_:at:)) ?? .zero)
    }

    /// `seeding.rational`: stay past the seeding floor while earnings beat a private cost.
    func rationalSeeding(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> RationalSeeding {
        let fields = try MappingReader(
            node, at: path, keys: ScenarioSchema.rationalSeeding, context: self,
            expected: "expected a mapping such as {cost: 2 BTT/h, interval: 10 min, window: 30 min}")
        let cost = try fields.require("cost") { n, p throws(ScenarioError) in
            try distribution(n, at: p, of: .seedingCost)
        }
        var rational = RationalSeeding(costPerHour: cost)
        rational.interval = try fields.optional("interval", positiveDuration(_:at:)) ?? rational.interval
        rational.window = try fields.optional("window", positiveDuration(_:at:)) ?? rational.window
        return rational
    }

    // MARK: BTT quantities

    /// An amount of at least zero, such as a wallet balance or a fee.
    func amount(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> TokenAmount {
        try quantity(node, at: path, expected: Units.amountExample) { text throws(Units.Problem) in
            try Units.tokenAmount(text, allowZero: true)
        }
    }

    /// A positive amount, such as a budget or a channel deposit.
    func positiveAmount(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> TokenAmount {
        try quantity(node, at: path, expected: Units.amountExample) { text throws(Units.Problem) in
            try Units.tokenAmount(text, allowZero: false)
        }
    }

    func price(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Price {
        try quantity(node, at: path, expected: Units.priceExample) { text throws(Units.Problem) in
            try Units.price(text)
        }
    }
}
