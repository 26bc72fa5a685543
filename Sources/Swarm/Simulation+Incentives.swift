import BitTorrent
import Incentives
import Scenario
import SimKernel
import Speed
import Strategies

/// Strategies, the market's chain, and seeding that depends on earnings.
extension Simulation {
    static func speedSettings(_ spec: IncentivesSpec) -> SpeedSettings {
        let bidding: Bidding =
            switch spec.bid {
            case .fixed: .fixed(spec.price)
            case .auto: .auto(spendingRate: spec.spendingRate, ceiling: spec.price)
            }
        return SpeedSettings(
            bidding: bidding, budget: spec.budget, reserve: spec.reserve, channelDeposit: spec.channelDeposit,
            verifyFraction: spec.verifyFraction, refuseDefaulters: spec.refuseDefaulters,
            leaveWithholders: spec.leaveWithholders)
    }

    /// The group's strategy object for peer `index`; a peer whose strategy trades on the
    /// Speed market gets its accounts there first: its own, or aliases of `sharing` (its
    /// user's, for a catalogue user's later downloads).
    func makeStrategy(
        _ spec: PeerGroup, peer index: Int, upBitsPerSecond: Double, sharing: SpeedAccount? = nil,
        as definition: StrategyDefinition
    ) -> StrategyInstance {
        var context = StrategyContext(uploadBytesPerSecond: upBitsPerSecond / 8)
        if definition.market == .speed {
            // The market exists whenever some group's strategy needs it (`init`).
            guard let market else { preconditionFailure("a Speed group without a market") }
            // `shortfall(funding:)` checked the supply when the peer (or its user) arrived.
            let account =
                sharing.map { market.join(peer: index, sharing: $0) }
                ?? market.join(peer: index, ledger: spec.wallet.ledger, wallet: spec.wallet.chain)
            context.speed = SpeedAccountContext(market: market, account: account, budget: spec.budget)
        }
        return definition.makeStrategy(context)
    }

    /// What a peer of `spec` would take from the supply on arrival (its Speed balances, or
    /// a renter's own budget), when that is more than is left; nil when it can be funded.
    /// Open-ended arrivals can exhaust the supply mid-run; the parser has already checked
    /// what fixed counts need (docs/scenarios.md, "Funding and the supply").
    func shortfall(funding spec: PeerGroup) -> FundingShortfall? {
        let rents = storage?.settings.renters.contains { $0.peers == spec.name } ?? false
        let needed =
            spec.strategy.market == .speed ? spec.wallet.ledger + spec.wallet.chain : rents ? spec.wallet.ledger : .zero
        guard needed > .zero, let left = market?.unallocated ?? storage?.bank.unallocated, needed > left else {
            return nil
        }
        return FundingShortfall(group: spec.name, time: now, needed: needed, left: left)
    }

    /// The peer has the whole file: it leaves after its drawn time or, seeding
    /// rationally, is reviewed then (and at least one review interval from now).
    func startSeeding(_ index: Int) {
        let peer = Int32(index)
        let floor = peers[index].seedingDuration
        // A farm's leechers leave when done, whatever their farmer's group does.
        guard let rational = scenario.peers[peers[index].group].rationalSeeding, !isFarmhand(index) else {
            // A time drawn from a long tail can be past the end of time: then it seeds on.
            if let floor, let end = now.adding(floor) { queue.push(.departure(peer: peer, .seedingOver), at: end) }
            return
        }
        peers[index].earningsMarks = [(now, earnings(of: index))]
        guard let review = now.adding(max(floor ?? .zero, rational.interval)) else { return }
        queue.push(.departure(peer: peer, .seedingReview), at: review)
    }

    /// Stays while BTT earned over the last window, per hour, is at least the peer's cost.
    func reviewSeeding(_ index: Int) {
        guard peers[index].online, let cost = peers[index].seedingCost,
            let rational = scenario.peers[peers[index].group].rationalSeeding
        else { return }
        let earned = earnings(of: index)
        let windowStart = now - rational.window
        while peers[index].earningsMarks.count > 1, peers[index].earningsMarks[1].time <= windowStart {
            peers[index].earningsMarks.removeFirst()
        }
        let base = peers[index].earningsMarks[0]
        let hours = (now - base.time).seconds / 3600
        let rate = hours > 0 ? (earned - base.earned).btt / hours : 0
        peers[index].earningsMarks.append((now, earned))
        if scenario.peers[peers[index].group].strategy.seeding.staysSeeding(earnedPerHour: rate, costPerHour: cost) {
            if let review = now.adding(rational.interval) {
                queue.push(.departure(peer: Int32(index), .seedingReview), at: review)
            }
        } else {
            depart(index, reason: .seedingOver)
        }
    }

    private func earnings(of index: Int) -> TokenAmount { market?.accrued(by: index) ?? .zero }

    /// A leaving Speed peer moves its ledger balance to its wallet, when the amount
    /// after the fee meets the chain's minimum.
    func withdrawEarnings(_ index: Int) {
        // A user's balance stays on its ledger for its other downloads.
        // So does a Sybil user's, for its first identity to withdraw.
        guard peers[index].record.user == nil, !sharesBalance(index), let market, let trader = peers[index].trader
        else { return }
        let ledger = trader.account.ledger
        let amount = market.balance(ledger) - market.pendingFees(of: ledger) - market.chain.settings.fee
        guard amount > .zero, amount >= market.chain.settings.minimumWithdrawal else { return }
        market.withdraw(amount, for: trader.account, now: now)
    }
}
