import BitTorrent
import Crypto
import Incentives
import SimKernel

/// The selling side: a uniform-price auction for the regular slots, tit-for-tat for the
/// slots no bid won, escrow-bounded uploads on sold slots, and settlement.
extension SpeedStrategy {
    /// Auction winners first (best bid first), then non-bidders ranked by tit-for-tat
    /// for the slots left; a losing bidder gets no free slot. Winners whose price changed
    /// are told the new clearing price.
    public func rankRegular(
        _ candidates: inout [ChokeCandidate], slots: Int, client: TorrentClient, now: SimTime,
        out: inout [ClientAction]
    ) -> Int {
        var bids: [Bid] = []
        var others: [ChokeCandidate] = []
        for c in candidates {
            if isRefused(c.connection) {
                continue  // ranked last, like a losing bidder: no sold slot, no free one
            } else if let bid = links[c.connection]?.bid {
                bids.append(Bid(bidder: Int(c.connection.slot), price: bid, tieBreak: c.tieBreak))
            } else {
                others.append(c)
            }
        }
        let outcome = SpeedAuction.clear(bids, slots: slots, reserve: market.settings.reserve)
        var ranked: [ChokeCandidate] = []
        for slot in outcome.winners {
            guard let c = candidates.first(where: { Int($0.connection.slot) == slot }) else { continue }
            ranked.append(c)
        }
        let free = Choker.rankRegular(&others, slots: slots - ranked.count)
        let winners = ranked.count
        let count = winners + free
        ranked += others
        for c in candidates where !ranked.contains(where: { $0.connection == c.connection }) { ranked.append(c) }
        candidates = ranked
        for (k, c) in candidates.enumerated() {
            let sold: Price? = k < winners ? outcome.clearingPrice : nil
            guard links[c.connection] != nil, links[c.connection]?.soldPrice != sold else { continue }
            links[c.connection]?.soldPrice = sold
            send(sold.map { .accept($0) } ?? .release, on: c.connection, client: client, out: &out)
        }
        return count
    }

    /// The remote on `id` defaulted on one of our channels and the defence is on.
    func isRefused(_ id: ConnectionID) -> Bool {
        guard market.settings.refuseDefaulters, let account = links[id]?.remoteAccount else { return false }
        return defaulters.contains(account)
    }

    func receivedBid(
        _ price: Price, on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction]
    ) {
        // Computed first: an optional-chained assignment holds `links` while its right side runs.
        let standing = price > .zero && !isRefused(id) ? price : nil
        links[id]?.bid = standing
        if price == .zero, links[id]?.soldPrice != nil {
            // Withdrawn (it could not fund a channel): what we held for payment goes free
            // until the next round takes the slot back.
            links[id]?.soldPrice = nil
            client.resumeUpload(id, out: &out)
        }
        // A free regular slot need not wait for the next round.
        if price >= market.settings.reserve, client.hasFreeRegularSlot { client.rechokeNow(now: now, out: &out) }
    }

    /// Admits a block on a sold slot only while the channel's deposit covers everything
    /// admitted under it; free slots are not charged.
    public func admitUpload(_ block: BlockRequest, on id: ConnectionID, client: TorrentClient) -> Bool {
        // Only a regular slot is sold; the optimistic one is free even for a past winner.
        guard let link = links[id], let price = link.soldPrice, client.session(id)?.slot == .regular else {
            return true
        }
        guard let payee = link.payee, delivery == .honest else { return false }
        let cost = price.cost(bytes: Int64(block.length))
        guard link.servedCost + cost <= payee.terms.deposit else { return false }
        links[id]?.servedCost += cost
        return true
    }

    /// Accepts a channel only as the ledger records it: paid by this remote, to us.
    func receivedOpen(
        _ channel: UInt64, deposit: TokenAmount, key: Curve25519.Signing.PublicKey, on id: ConnectionID,
        client: TorrentClient, now: SimTime, out: inout [ClientAction]
    ) throws(ProtocolViolation) {
        // The requester may already have settled it (it renewed again before this arrived).
        if market.terms(of: channel) == nil && market.existed(channel) { return }
        guard let link = links[id], let terms = market.terms(of: channel), terms.payee == account.ledger,
            terms.payer == link.remoteAccount, terms.deposit == deposit,
            terms.payerKey.rawRepresentation == key.rawRepresentation
        else { throw .malformedExtensionMessage }
        // A refused requester's channel is left for it to close: nothing is served on it.
        guard !isRefused(id) else { return }
        if let old = link.payee { settle(old, link: link, now: now) }
        links[id]?.payee = ChannelPayee(terms: terms)
        links[id]?.servedCost = .zero
        links[id]?.vouchers = 0
        client.resumeUpload(id, out: &out)
    }

    /// Keeps a valid voucher; a forged, replayed or decreasing one ends the connection
    /// (the channel then settles with the last good voucher).
    func receivedVoucher(_ voucher: Voucher, on id: ConnectionID, now: SimTime) throws(ProtocolViolation) {
        guard var payee = links[id]?.payee else { return }
        let before = payee.owed
        do {
            try payee.accept(voucher, verifySignature: market.shouldVerify())
        } catch {
            throw .malformedExtensionMessage
        }
        market.accrue(payee.owed - before, on: payee.terms.id)
        links[id]?.payee = payee
        links[id]?.vouchers += 1
        links[id]?.lastVoucherAt = now
    }

    func receivedClose(
        _ channel: UInt64, on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction]
    ) {
        guard let link = links[id], let payee = link.payee, payee.terms.id == channel else { return }
        settle(payee, link: link, now: now)
        links[id]?.payee = nil
        // Its slot is re-ranked now rather than at the next round.
        if noteDefault(link, payee, client: client), market.settings.refuseDefaulters {
            client.rechokeNow(now: now, out: &out)
        }
    }

    /// An honest requester pays per piece, so more than a piece's worth unpaid when its
    /// channel closes is a default; true when this one was.
    func noteDefault(_ link: SpeedLink, _ payee: ChannelPayee, client: TorrentClient) -> Bool {
        guard let price = link.soldPrice, let account = link.remoteAccount,
            link.servedCost - payee.owed > price.cost(bytes: Int64(client.config.layout.pieceLength))
        else { return false }
        defaulters.insert(account)
        return true
    }

    /// Settles a channel we are paid on, and records what it left unpaid.
    func settle(_ payee: ChannelPayee, link: SpeedLink, now: SimTime) {
        market.settle(
            payee.terms, voucher: payee.lastVoucher, vouchers: link.vouchers, lastVoucherAt: link.lastVoucherAt,
            now: now)
        let unpaid = link.servedCost > payee.owed ? link.servedCost - payee.owed : .zero
        unpaidService += unpaid
        largestUnpaidChannel = max(largestUnpaidChannel, unpaid)
    }

    /// Closes every channel we are paid on (the run ended with this peer online).
    public func settleAll(now: SimTime) {
        for id in links.ids {
            guard let link = links[id], let payee = link.payee else { continue }
            settle(payee, link: link, now: now)
            links[id]?.payee = nil
        }
    }
}
