import Incentives
import SimKernel
import Testing

@testable import Storage

/// The storage market's contracts, payouts, renewals and repair on small deterministic
/// setups; the availability model is checked against the binomial law in
/// StorageAvailabilityTests.
@Suite struct StorageMarketTests {
    static let day = SimTime.hours(24)

    /// One host always online, one renter with one 1 GiB file on one replica, 3-day
    /// contracts paid daily at 1 BTT/GiB/day, challenged about hourly.
    static func single(budget: TokenAmount) -> StorageSettings {
        var s = StorageSettings(
            hosts: [HostGroupSpec(name: "h", count: 1, capacityBytes: 4 << 30, price: .constant(1_000_000))],
            renters: [
                RenterGroupSpec(
                    name: "r", count: 1, files: 1, fileSize: .constant(Double(1 << 30)), redundancy: .replicas(1),
                    contractLength: .hours(72), budget: budget)
            ])
        s.challengeInterval = .hours(1)
        return s
    }

    static func advance(_ m: StorageMarket, to t: SimTime) {
        m.advance(through: t)
        m.advanceClock(to: t)
    }

    @Test func escrowPaysOnlyThePeriodsWhoseChallengesPassedAndTheContractRenews() {
        let market = StorageMarket(settings: Self.single(budget: .btt(100)), seed: 1, sampleInterval: .hours(1))
        let renter = market.renters[0].account
        Self.advance(market, to: .hours(29))
        #expect(market.files.count == 1 && market.contracts.count == 1)
        let perPeriod = market.contracts[0].perPeriod
        #expect(perPeriod == .btt(1), "1 GiB at 1 BTT/GiB/day, daily")
        let fee = market.bank.fee
        let locked = TokenAmount(baseUnits: 3 * perPeriod.baseUnits) + fee
        #expect(market.bank.spendable(renter) == .btt(100) - locked)
        // Offline for most of day 2: that period's challenges fail.
        market.setOnline(0, false)
        Self.advance(market, to: .hours(43))
        market.setOnline(0, true)
        Self.advance(market, to: .hours(73))
        let first = market.contracts[0]
        #expect(first.ended == Self.day + Self.day + Self.day)
        #expect(first.periodsReleased == 3 && first.periodsPaid == 2)
        #expect(market.hosts[0].earned == .btt(2))
        #expect(market.hosts[0].failed > 0 && market.hosts[0].passed > 0)
        // Renewed with the same host; the refunded period came back to the renter.
        #expect(market.contracts.count == 2 && market.tally.renewals == 1)
        #expect(market.contracts[1].host == 0 && market.files[0].holders == [0])
        #expect(market.bank.spendable(renter) == .btt(100) - .btt(2) - fee - locked)
        #expect(market.files[0].cost == .btt(2) + fee)
        #expect(market.contracts[0].paid == .btt(2) && market.contracts[0].refunded == .btt(1))
        #expect(market.bank.isConserved)
    }

    @Test func aContractTheRenterCannotRenewEndsAndItsOnlyShardIsLost() {
        let market = StorageMarket(settings: Self.single(budget: .btt(3.015)), seed: 2, sampleInterval: .hours(1))
        Self.advance(market, to: .hours(80))
        #expect(market.contracts.count == 1 && market.contracts[0].ended == .hours(72))
        #expect(market.files[0].lostAt == .hours(72) && market.tally.filesLost == 1)
        #expect(market.hosts[0].usedBytes == 0 && market.hosts[0].activeContracts.isEmpty)
        #expect(market.bank.isConserved)
    }

    @Test func aRenterThatCannotCoverEveryShardsEscrowStoresNothing() {
        let market = StorageMarket(settings: Self.single(budget: .btt(1)), seed: 3, sampleInterval: .hours(1))
        Self.advance(market, to: .hours(1))
        #expect(market.files.isEmpty && market.tally.failedUploads == 1 && market.contracts.isEmpty)
    }

    /// Hosts come and go and leave for good; the same seed with and without repair.
    static func churn(repair: Bool) -> StorageMarket {
        var s = StorageSettings(
            hosts: [
                HostGroupSpec(
                    name: "h", count: 300, capacityBytes: 1 << 40, price: .uniform(min: 50_000, max: 150_000),
                    online: .exponential(mean: 20 * 3600), offline: .exponential(mean: 4 * 3600),
                    departure: .exponential(mean: 40 * 86_400))
            ],
            renters: [
                RenterGroupSpec(
                    name: "r", count: 10, files: 10, fileSize: .uniform(min: 1e8, max: 1e9), redundancy: .btfsDefault,
                    contractLength: .hours(30 * 24), budget: .btt(100_000), upload: .uniform(min: 0, max: 86_400))
            ])
        s.repair = repair
        let market = StorageMarket(settings: s, seed: 7, sampleInterval: .hours(6))
        _ = market.run(until: .hours(60 * 24))
        return market
    }

    @Test func repairRaisesDurabilityAndCost() throws {
        let without = Self.churn(repair: false)
        let with = Self.churn(repair: true)
        #expect(without.tally.filesUploaded == 100 && with.tally.filesUploaded == 100)
        #expect(without.tally.repairs == 0 && with.tally.repairs > 0 && with.tally.repairBytes > 0)
        let d0 = without.tally.durability!
        let d1 = with.tally.durability!
        #expect(d1 > d0, "durability: repair \(d1), none \(d0)")
        #expect(d0 < 1, "without repair some files must be lost for the test to mean anything")
        let cost = { (m: StorageMarket) in m.files.reduce(TokenAmount.zero) { $0 + $1.cost } }
        #expect(cost(with) > cost(without))
        for market in [without, with] {
            #expect(market.bank.isConserved)
            // Escrow holds at least every running contract's unreleased periods.
            let owed = market.contracts.filter { $0.ended == nil }.reduce(Int64(0)) {
                $0 + Int64($1.periods - $1.periodsReleased) * $1.perPeriod.baseUnits + market.bank.fee.baseUnits
            }
            let bank = try #require(market.bank as? StorageBank, "a market alone keeps its own bank")
            #expect(bank.balance(bank.escrow).baseUnits >= owed)
            // The tallies agree with the files.
            #expect(market.tally.filesReadable == market.files.filter(\.readable).count)
            #expect(
                market.tally.shardsPresent
                    == market.files.filter { $0.lostAt == nil }.reduce(0) { $0 + $1.presentShards })
        }
    }
}
