import BitTorrent
import Incentives
import SimKernel

/// The buying side: bid, open a channel when a bid is accepted, pay each piece's worth of
/// received data with a voucher, and close when the escrow or the download is done.
extension SpeedStrategy {
    public func interestChanged(on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction]) {
        if client.session(id)?.amInterested == true { bidIfNeeded(on: id, client: client, now: now, out: &out) }
    }

    /// Each rechoke round: bid where we are interested and have no standing bid (funds
    /// may have arrived from the wallet since, or a bid was withdrawn for lack of them).
    public func roundStarted(client: TorrentClient, now: SimTime, out: inout [ClientAction]) {
        guard !client.isSeed else { return }
        if market.settings.leaveWithholders { leaveWithholders(client: client, now: now, out: &out) }
        for id in links.ids where links[id]?.sentBid == nil && client.session(id)?.amInterested == true {
            bidIfNeeded(on: id, client: client, now: now, out: &out)
        }
    }

    /// Escrow locked in our open channels and not yet paid out.
    private var locked: TokenAmount {
        var sum = TokenAmount.zero
        for link in links.all { if let p = link.payer { sum += p.remaining } }
        return sum
    }

    /// What a new channel may lock: the ledger balance, within what the budget leaves
    /// after what is promised and locked already.
    func spendable() -> TokenAmount {
        let balance = market.balance(account.ledger)
        guard let budget else { return balance }
        return max(.zero, min(balance, budget - promised - locked))
    }

    /// The money the auto-bid rule spends from: the ledger balance plus our unspent
    /// escrow (still ours), within the budget.
    private func funds() -> TokenAmount {
        let total = market.balance(account.ledger) + locked
        guard let budget else { return total }
        return max(.zero, min(total, budget - promised))
    }

    /// The bid the rule gives now: the fixed price, or the standing auto-bid (set on first
    /// use, so the 10 % rule applies from the first re-bid on).
    func currentPrice(client: TorrentClient) -> Price {
        switch market.settings.bidding {
        case .fixed(let price): return price
        case .auto(_, let ceiling) where bidStyle == .ceiling: return ceiling
        case .auto:
            if let standing = autoBidder?.standing { return standing }
            return autoBidder?.update(balance: funds(), remainingBytes: client.bytesLeft) ?? .zero
        }
    }

    /// Leaves the providers that sold us a slot and served nothing on it: a fresh channel
    /// (no voucher yet, nothing received unpaid) whose requests the client timed out
    /// (`protocol.request_timeout`). An honest provider serves a fresh channel at
    /// once, since its whole deposit is there to cover it; one that stalls later is
    /// not blamed, since the requester cannot tell a withholder from a provider waiting
    /// for a renewal. The channel is closed (its escrow comes back) and the bid withdrawn.
    func leaveWithholders(client: TorrentClient, now: SimTime, out: inout [ClientAction]) {
        for id in links.ids {
            guard let link = links[id], link.boughtPrice != nil, let payer = link.payer,
                let provider = link.remoteAccount,
                payer.remaining == payer.terms.deposit, link.unpaidBytes == 0, client.session(id)?.timedOut == true
            else { continue }
            withholders.insert(provider)
            closeChannel(on: id, client: client, now: now, out: &out)
            links[id]?.boughtPrice = nil
            links[id]?.sentBid = nil
            send(.bid(.zero), on: id, client: client, out: &out)
        }
    }

    /// Sends our bid to an interested connection that speaks Speed and has none yet; with
    /// nothing to spend, asks the wallet for a deposit instead.
    func bidIfNeeded(on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction]) {
        guard let link = links[id], link.speaksSpeed, link.sentBid == nil, !client.isSeed,
            !(link.remoteAccount.map(withholders.contains) ?? false)
        else { return }
        guard spendable() > .zero else {
            requestDeposit(now: now)
            return
        }
        let price = bid(on: id, rule: currentPrice(client: client))
        guard price > .zero else { return }
        links[id]?.sentBid = price
        send(.bid(price), on: id, client: client, out: &out)
    }

    /// Auto-bid: re-bid everywhere when the rule's price moved by more than 10 %.
    func rebidIfChanged(client: TorrentClient, out: inout [ClientAction]) {
        guard autoBidder != nil, let price = autoBidder?.update(balance: funds(), remainingBytes: client.bytesLeft),
            price > .zero
        else { return }
        for id in links.ids {
            let bid = bid(on: id, rule: price)
            guard let sent = links[id]?.sentBid, sent != bid else { continue }
            links[id]?.sentBid = bid
            send(.bid(bid), on: id, client: client, out: &out)
        }
    }

    /// What we bid on `id` when the rule says `rule`: the rule's price, or under
    /// `shaded` the least above this provider's last clearing price, if that is lower.
    func bid(on id: ConnectionID, rule: Price) -> Price {
        guard bidStyle == .shaded, let shaded = links[id]?.shadedBid else { return rule }
        return min(rule, shaded)
    }

    /// `shaded`: what a sale at `clearing` tells us, sent as our new bid when it lowers
    /// it; nil (the slot was taken back) restores the rule's price.
    func shade(on id: ConnectionID, clearing: Price?, client: TorrentClient, out: inout [ClientAction]) {
        guard bidStyle == .shaded, let sent = links[id]?.sentBid else { return }
        links[id]?.shadedBid = clearing.map { Price(baseUnitsPerGiB: $0.baseUnitsPerGiB + 1) }
        let price = bid(on: id, rule: currentPrice(client: client))
        guard price != sent, price > .zero else { return }
        links[id]?.sentBid = price
        send(.bid(price), on: id, client: client, out: &out)
    }

    func receivedAccept(
        _ price: Price, on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction]
    ) {
        // Only an accept of the bid we stand by, at most at that bid: a seller cannot name
        // its own price, and an accept crossing our withdrawal is moot.
        guard var link = links[id], !client.isSeed, let bid = link.sentBid, price <= bid else { return }
        link.boughtPrice = price
        links[id] = link
        if link.payer == nil { openChannel(on: id, price: price, client: client, now: now, out: &out) }
        shade(on: id, clearing: price, client: client, out: &out)
    }

    /// Locks escrow for a channel to the provider on `id`, enough for at least the
    /// renewal margin (two blocks: a smaller channel could never admit a block); without
    /// that much, withdraws the bid and asks the wallet for a deposit.
    func openChannel(on id: ConnectionID, price: Price, client: TorrentClient, now: SimTime, out: inout [ClientAction])
    {
        guard let payee = links[id]?.remoteAccount else { return }
        let deposit = min(market.settings.channelDeposit, spendable())
        guard deposit > max(.zero, Self.renewalMargin(price, client.config.layout)),
            let terms = try? market.openChannel(from: account, to: payee, deposit: deposit, now: now)
        else {
            links[id]?.sentBid = nil
            links[id]?.boughtPrice = nil
            send(.bid(.zero), on: id, client: client, out: &out)
            requestDeposit(now: now)
            return
        }
        links[id]?.payer = ChannelPayer(terms: terms, signer: account.signer)
        send(
            .open(channel: terms.id, deposit: deposit, key: account.signer.publicKey), on: id, client: client, out: &out
        )
    }

    /// Tops the ledger up from the wallet when the wallet can pay the minimum and the fee.
    func requestDeposit(now: SimTime) {
        let amount = market.balance(account.wallet) - market.chain.settings.fee
        guard !market.hasPendingDeposit(account), amount >= market.chain.settings.minimumDeposit, amount > .zero
        else { return }
        market.deposit(amount, for: account, now: now)
    }

    /// Escrow worth two blocks: the requester renews below it, and no channel opens with less.
    static func renewalMargin(_ price: Price, _ layout: PieceLayout) -> TokenAmount {
        price.cost(bytes: 2 * Int64(layout.blockLength))
    }

    /// The provider took the slot back: pay for what came while it was sold.
    func receivedRelease(on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction]) {
        payUnpaid(on: id, client: client, now: now, out: &out)
        links[id]?.boughtPrice = nil
        shade(on: id, clearing: nil, client: client, out: &out)
    }

    /// Pays once a piece's worth has arrived, or earlier when the escrow left could not
    /// cover two more blocks: the provider stops at its deposit, so the requester must
    /// pay up and renew before that, or both would wait for each other.
    public func downloaded(
        _ block: BlockRequest, on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction]
    ) {
        guard links[id]?.payer != nil, links[id]?.boughtPrice != nil else { return }
        links[id]?.unpaidBytes += Int64(block.length)
        guard let link = links[id], let payer = link.payer, let price = link.boughtPrice else { return }
        let layout = client.config.layout
        let margin = Self.renewalMargin(price, layout)
        guard payment == .honest else {
            // The provider stops at the deposit: take it all, then start again unpaid.
            guard payer.terms.deposit - price.cost(bytes: link.unpaidBytes) < margin else { return }
            closeChannel(on: id, client: client, now: now, out: &out)
            links[id]?.unpaidBytes = 0
            openChannel(on: id, price: price, client: client, now: now, out: &out)
            return
        }
        let escrowLow = payer.remaining - price.cost(bytes: link.unpaidBytes) < margin
        guard escrowLow || link.unpaidBytes >= Int64(layout.pieceLength) else { return }
        pay(
            on: id, renewBelow: max(price.cost(bytes: Int64(layout.pieceLength)), margin), client: client, now: now,
            out: &out)
        rebidIfChanged(client: client, out: &out)
    }

    /// Signs a voucher for everything received on `id` and not yet paid, within the escrow.
    func payUnpaid(on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction]) {
        guard payment == .honest, var link = links[id], var payer = link.payer, let price = link.boughtPrice,
            link.unpaidBytes > 0
        else {
            return
        }
        let amount = min(price.cost(bytes: link.unpaidBytes), payer.remaining)
        if amount > .zero, let voucher = try? payer.pay(amount) {
            promised += amount
            link.lastPaidAt = now
            send(.voucher(voucher), on: id, client: client, out: &out)
        }
        link.unpaidBytes = 0
        link.payer = payer
        links[id] = link
    }

    /// Pays what `id` delivered; when the escrow left is below `renewBelow`, closes the
    /// channel and opens the next one.
    func pay(
        on id: ConnectionID, renewBelow: TokenAmount, client: TorrentClient, now: SimTime, out: inout [ClientAction]
    ) {
        payUnpaid(on: id, client: client, now: now, out: &out)
        guard let payer = links[id]?.payer, let price = links[id]?.boughtPrice else { return }
        if payer.remaining < max(renewBelow, TokenAmount(baseUnits: 1)) {
            closeChannel(on: id, client: client, now: now, out: &out)
            openChannel(on: id, price: price, client: client, now: now, out: &out)
        }
    }

    /// Settles the channel on `id` with our last voucher, and tells the provider.
    func closeChannel(on id: ConnectionID, client: TorrentClient, now: SimTime, out: inout [ClientAction]) {
        guard let link = links[id], let payer = link.payer else { return }
        market.settle(
            payer.terms, voucher: payer.lastVoucher, vouchers: payer.vouchers, lastVoucherAt: link.lastPaidAt, now: now)
        send(.close(channel: payer.terms.id), on: id, client: client, out: &out)
        links[id]?.payer = nil
    }

    /// Done downloading: pay what is owed and close every channel we pay on.
    public func downloadCompleted(client: TorrentClient, now: SimTime, out: inout [ClientAction]) {
        for id in links.ids where links[id]?.payer != nil {
            payUnpaid(on: id, client: client, now: now, out: &out)
            closeChannel(on: id, client: client, now: now, out: &out)
            links[id]?.boughtPrice = nil
        }
    }
}
