import Incentives
import SimKernel

/// Contracts: signing with escrow, challenges, per-period payouts, the end and renewal.
extension StorageMarket {
    /// Periods per contract, and the host's pay per period for one shard of `f`.
    func terms(file f: Int, host h: Int) -> (periods: Int, perPeriod: TokenAmount) {
        let length = settings.renters[renters[files[f].renter].group].contractLength
        let periods = max(1, Int((length.seconds / settings.payoutPeriod.seconds).rounded(.up)))
        let gib = Double(files[f].shardBytes) / Double(1 << 30)
        let days = settings.payoutPeriod.seconds / 86_400
        return (periods, TokenAmount(baseUnits: Int64((hosts[h].price * gib * days).rounded())))
    }

    /// What the renter locks in escrow for a contract: every period's pay and the fee of
    /// the settlement that ends it.
    func escrowNeeded(file f: Int, host h: Int) -> TokenAmount {
        let t = terms(file: f, host: h)
        return TokenAmount(baseUnits: Int64(t.periods) * t.perPeriod.baseUnits) + bank.fee
    }

    /// Signs a contract for `shard` of `f` with `h`, locking its escrow; nil when the
    /// renter cannot pay. A renewal keeps the shard where it is; a new placement puts it.
    @discardableResult
    func sign(file f: Int, shard: Int, host h: Int, renewal: Bool) -> Int? {
        let t = terms(file: f, host: h)
        guard bank.lock(escrowNeeded(file: f, host: h), from: renters[files[f].renter].account) else { return nil }
        let c = contracts.count
        contracts.append(
            StorageContract(
                id: c, file: f, shard: shard, host: h, renter: files[f].renter, start: now, periods: t.periods,
                perPeriod: t.perPeriod))
        hosts[h].contractsSigned += 1
        hosts[h].activeContracts.insert(c)
        files[f].contracts[shard] = c
        files[f].hostsUsed.insert(h)
        if !renewal {
            files[f].holders[shard] = h
            hosts[h].usedBytes += files[f].shardBytes
            tally.shardBytesHeld += files[f].shardBytes
            tally.shardsPresent += 1
            if hosts[h].online { changeOnlineShards(f, by: 1) }
        }
        scheduleChallenge(c)
        queue.push(.periodEnd(contract: c), at: now + settings.payoutPeriod)
        return c
    }

    private func contractEnd(_ c: Int) -> SimTime {
        contracts[c].start + SimTime(nanoseconds: settings.payoutPeriod.nanoseconds * Int64(contracts[c].periods))
    }

    private func scheduleChallenge(_ c: Int) {
        let at = now + .seconds(challengeDraws.exponential(mean: settings.challengeInterval.seconds))
        if at < contractEnd(c) { queue.push(.challenge(contract: c), at: at) }
    }

    /// A proof-of-storage challenge: answered when the host is online and still holds the
    /// shard (in the simulator the answer's bytes are not computed; tests and Live do).
    func challenge(_ c: Int) {
        guard contracts[c].ended == nil else { return }
        let h = contracts[c].host
        let passes =
            hosts[h].online && hosts[h].departed == nil && files[contracts[c].file].holders[contracts[c].shard] == h
        if passes {
            hosts[h].passed += 1
            contracts[c].passedThisPeriod += 1
        } else {
            hosts[h].failed += 1
            contracts[c].failedThisPeriod += 1
        }
        tally.challenges += 1
        scheduleChallenge(c)
    }

    /// The end of a payout period: the host is paid if it passed at least one challenge
    /// and failed none, else the period's pay goes back to the renter. After the last
    /// period the contract ends and is renewed with the same host while the file lives.
    func endPeriod(_ c: Int) {
        guard contracts[c].ended == nil else { return }
        let contract = contracts[c]
        let good = contract.passedThisPeriod > 0 && contract.failedThisPeriod == 0
        release(c, amount: contract.perPeriod, toHost: good)
        contracts[c].periodsReleased += 1
        contracts[c].passedThisPeriod = 0
        contracts[c].failedThisPeriod = 0
        if contracts[c].periodsReleased < contract.periods {
            queue.push(.periodEnd(contract: c), at: now + settings.payoutPeriod)
            return
        }
        endContract(c)
        let f = contract.file
        let h = contract.host
        if files[f].lostAt == nil && hosts[h].departed == nil
            && sign(file: f, shard: contract.shard, host: h, renewal: true) != nil
        {
            tally.renewals += 1
        } else {
            shardLost(file: f, shard: contract.shard)
        }
    }

    /// Returns the periods not yet released to the renter (a host that left, a file lost).
    func refundRest(_ c: Int) {
        let left = contracts[c].periods - contracts[c].periodsReleased
        guard left > 0, contracts[c].ended == nil else { return }
        release(c, amount: TokenAmount(baseUnits: Int64(left) * contracts[c].perPeriod.baseUnits), toHost: false)
        contracts[c].periodsReleased = contracts[c].periods
    }

    /// Moves `amount` out of escrow to the host (paid) or back to the renter.
    private func release(_ c: Int, amount: TokenAmount, toHost: Bool) {
        let contract = contracts[c]
        bank.release(amount, to: toHost ? hosts[contract.host].account : renters[contract.renter].account)
        if toHost {
            files[contract.file].cost += amount
            hosts[contract.host].earned += amount
            contracts[c].periodsPaid += 1
            contracts[c].paid += amount
            tally.paidToHosts += amount
        } else {
            contracts[c].refunded += amount
        }
    }

    /// The contract stops and settles on the chain (its fee prepaid in escrow); the shard
    /// stays with its host until the caller says otherwise. Every period must be released.
    func endContract(_ c: Int) {
        guard contracts[c].ended == nil else { return }
        precondition(contracts[c].periodsReleased == contracts[c].periods, "a contract ends with its escrow released")
        let contract = contracts[c]
        let settlement = Settlement(
            channel: UInt64(c), payer: renters[contract.renter].account, payee: hosts[contract.host].account,
            paid: contract.paid, refunded: contract.refunded)
        bank.settle(settlement, now: now)
        files[contract.file].cost += bank.fee
        tally.feesPaid += bank.fee
        contracts[c].ended = now
        hosts[contracts[c].host].activeContracts.remove(c)
        if files[contracts[c].file].contracts[contracts[c].shard] == c {
            files[contracts[c].file].contracts[contracts[c].shard] = nil
        }
    }
}
