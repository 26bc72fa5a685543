import Incentives
import SimKernel

/// One peer's presence on the market: its ledger account (pays and earns), its chain
/// wallet, and its voucher-signing key.
public struct SpeedAccount: Sendable {
    public let peer: Int
    public let ledger: AccountID
    public let wallet: AccountID
    public let signer: VoucherSigner
}

/// The shared money of one run: the in-app ledger, the chain it settles on, the open
/// channels' terms, and the payment log. In the simulator every Speed strategy of a run
/// holds the same instance; Live peers in different processes each hold one on the same
/// `MarketStore` (a ledger file).
///
/// The world account holds BTT's whole supply at genesis and the ledger is sealed, so
/// every later change is a transfer and conservation can be checked exactly.
public final class SpeedMarket {
    public let settings: SpeedSettings
    let world: AccountID
    let escrow: AccountID
    private let seed: UInt64
    private let sampler: any RandomSource
    var state: MarketState
    private let store: (any MarketStore)?

    /// `store`: where the state is shared with other processes (nil: only here). A store
    /// that already holds a state brings its own, chain settings included. `sampler`
    /// draws which vouchers get their signature checked (nil: a stream seeded from `seed`,
    /// as the simulator needs).
    public init(
        settings: SpeedSettings, chain chainSettings: ChainSettings, seed: UInt64, store: (any MarketStore)? = nil,
        sampler: (any RandomSource)? = nil
    ) {
        self.settings = settings
        self.seed = seed
        self.store = store
        self.sampler = sampler ?? RandomStream(seed: SeedDerivation.seed(master: seed, purpose: .voucherSampling))
        let genesis = Genesis(chain: chainSettings)
        world = genesis.world
        escrow = genesis.escrow
        state = MarketState(ledger: genesis.ledger, chain: genesis.chain, owner: [nil, nil, nil, nil])
        if let saved = store?.load() { state = saved }
    }

    /// Brings in another process's last change (a no-op without a store).
    private func refresh() {
        if let latest = store?.load() { state = latest }
    }

    /// Runs a change on the latest state and saves it, under the store's lock.
    func change<T>(_ body: () -> T) -> T {
        guard let store else { return body() }
        return store.exclusively {
            refresh()
            defer { store.save(state) }
            return body()
        }
    }

    public var ledger: TokenLedger {
        refresh()
        return state.ledger
    }
    public var chain: Chain {
        refresh()
        return state.chain
    }
    public var records: [PaymentRecord] {
        refresh()
        return state.records
    }
    /// Voucher value accepted by all providers so far.
    public var transferred: TokenAmount {
        refresh()
        return state.transferred
    }
    /// Everything paid to providers in settled channels.
    public var volume: TokenAmount {
        refresh()
        return state.volume
    }

    /// BTT not yet given to anyone: what is left of the genesis supply to fund peers with.
    public var unallocated: TokenAmount {
        refresh()
        return state.ledger.balance(world)
    }

    /// Opens `peer`'s accounts with its starting balances (taken from the world) and
    /// derives its signing key from the run's seed. The caller has checked `unallocated`
    /// (a run when a peer arrives, `live ledger` under the ledger file's lock), as
    /// `EscrowBank.openAccount` requires.
    public func join(peer: Int, ledger ledgerFunds: TokenAmount, wallet walletFunds: TokenAmount) -> SpeedAccount {
        let (l, w) = change {
            let l = state.ledger.openAccount(.ledger(peer: peer))
            let w = state.ledger.openAccount(.wallet(peer: peer))
            state.owner += [peer, peer]
            while state.spent.count <= peer {
                state.spent.append(.zero)
                state.earned.append(.zero)
                state.accrued.append(.zero)
            }
            for (account, amount) in [(l, ledgerFunds), (w, walletFunds)] where amount > .zero {
                do { try state.ledger.transfer(amount, from: world, to: account) } catch {
                    preconditionFailure("the caller checked what is left of the supply: \(error)")
                }
            }
            return (l, w)
        }
        var bytes: [UInt8] = []
        for k in 0..<4 {
            let word = SeedDerivation.seed(master: seed, purpose: .signingKey, UInt64(peer), UInt64(k))
            withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
        }
        guard let signer = try? VoucherSigner(seed: bytes) else { preconditionFailure("32-byte Ed25519 seed") }
        return SpeedAccount(peer: peer, ledger: l, wallet: w, signer: signer)
    }

    /// Opens `peer`'s accounts as aliases of `user`'s (`AccountKind.alias`): one balance
    /// and one key for all of a catalogue user's peers, while the payment log and each
    /// peer's spent and earned still name the peer.
    public func join(peer: Int, sharing user: SpeedAccount) -> SpeedAccount {
        let (l, w) = change {
            let l = state.ledger.openAlias(of: user.ledger, for: peer)
            let w = state.ledger.openAlias(of: user.wallet, for: peer)
            state.owner += [peer, peer]
            while state.spent.count <= peer {
                state.spent.append(.zero)
                state.earned.append(.zero)
                state.accrued.append(.zero)
            }
            return (l, w)
        }
        return SpeedAccount(peer: peer, ledger: l, wallet: w, signer: user.signer)
    }

    /// The accounts `peer` joined with, signing with `signer`: a Live peer trading on a
    /// shared ledger signs with its own key (the ledger records it in each channel's
    /// terms). Nil when `peer` never joined.
    public func account(of peer: Int, signer: VoucherSigner) -> SpeedAccount? {
        let kinds = ledger.kinds
        guard let l = kinds.firstIndex(of: .ledger(peer: peer)), let w = kinds.firstIndex(of: .wallet(peer: peer))
        else { return nil }
        return SpeedAccount(peer: peer, ledger: AccountID(index: l), wallet: AccountID(index: w), signer: signer)
    }

    /// The account a remote names in its BEP 10 handshake, if it is some peer's ledger
    /// account on this market; nil for anything else (out of range, a wallet, escrow or a
    /// system account), so an index from the wire is never used unchecked.
    public func peerLedgerAccount(index: Int64) -> AccountID? {
        refresh()
        let kinds = state.ledger.kinds
        guard index >= 0, index < Int64(kinds.count) else { return nil }
        switch kinds[Int(index)] {
        case .ledger: break
        case .alias(_, let holder): guard case .ledger = kinds[holder] else { return nil }
        default: return nil
        }
        return AccountID(index: Int(index))
    }

    public func balance(_ account: AccountID) -> TokenAmount {
        refresh()
        return state.ledger.balance(account)
    }

    public func spent(by peer: Int) -> TokenAmount {
        refresh()
        return peer < state.spent.count ? state.spent[peer] : .zero
    }
    public func earned(by peer: Int) -> TokenAmount {
        refresh()
        return peer < state.earned.count ? state.earned[peer] : .zero
    }
    public func accrued(by peer: Int) -> TokenAmount {
        refresh()
        return peer < state.accrued.count ? state.accrued[peer] : .zero
    }

    // MARK: channels

    /// Locks `deposit` from the payer's ledger account for a new channel to `payee`.
    public func openChannel(from payer: SpeedAccount, to payee: AccountID, deposit: TokenAmount, now: SimTime)
        throws(LedgerError) -> ChannelTerms
    {
        let opened: Result<ChannelTerms, LedgerError> = change {
            let terms = ChannelTerms(
                id: state.nextChannel, payer: payer.ledger, payee: payee, deposit: deposit,
                payerKey: payer.signer.publicKey)
            do throws(LedgerError) {
                try PaymentChannel.open(terms, escrow: escrow, ledger: &state.ledger)
            } catch {
                return .failure(error)
            }
            state.nextChannel += 1
            state.channels[terms.id] = terms
            state.records.append(
                PaymentRecord(
                    time: now, kind: .open, payer: payer.peer, payee: state.owner[payee.index], amount: deposit,
                    channel: terms.id, vouchers: 0))
            return .success(terms)
        }
        return try opened.get()
    }

    /// The terms of an open channel, as the ledger holds them: the provider trusts these,
    /// not what the requester's `open` message claims.
    public func terms(of channel: UInt64) -> ChannelTerms? {
        refresh()
        return state.channels[channel]
    }

    /// The channel was opened on this ledger once (it may be settled since).
    public func existed(_ channel: UInt64) -> Bool {
        refresh()
        return channel >= 1 && channel < state.nextChannel
    }

    /// Whether the provider checks this voucher's signature (always in Live).
    public func shouldVerify() -> Bool { sampler.bernoulli(settings.verifyFraction) }

    /// A provider accepted a voucher on `channel` raising what it is owed by `amount`.
    public func accrue(_ amount: TokenAmount, on channel: UInt64) {
        change {
            guard let terms = state.channels[channel], let peer = state.owner[terms.payee.index] else { return }
            state.accrued[peer] += amount
            state.transferred += amount
            state.accruedOnChannel[channel, default: .zero] += amount
        }
    }

    /// Closes a channel with the best voucher either side holds (the requester closing
    /// with the last one it signed, or the provider with the last one it received; the
    /// first close settles): pays it, refunds the rest, and logs the settlement on chain
    /// (fee from the provider's ledger account). A voucher whose signature fails pays
    /// nothing.
    public func settle(
        _ terms: ChannelTerms, voucher: Voucher?, vouchers: Int, lastVoucherAt: SimTime, now: SimTime
    ) {
        change {
            guard state.channels.removeValue(forKey: terms.id) != nil else { return }
            var payee = ChannelPayee(terms: terms)
            if let voucher { try? payee.accept(voucher, verifySignature: false) }
            let settlement: Settlement
            do { settlement = try PaymentChannel.close(payee, escrow: escrow, ledger: &state.ledger) } catch {
                // `close` checks the last voucher's signature: a forged one pays nothing.
                do {
                    settlement = try PaymentChannel.close(
                        ChannelPayee(terms: terms), escrow: escrow, ledger: &state.ledger)
                } catch {
                    preconditionFailure("a channel without vouchers always closes: \(error)")
                }
            }
            // A last voucher still in flight when the channel closed counts as earned now.
            let unseen = settlement.paid - (state.accruedOnChannel.removeValue(forKey: terms.id) ?? .zero)
            if unseen > .zero, let peer = state.owner[terms.payee.index] {
                state.accrued[peer] += unseen
                state.transferred += unseen
            }
            let payer = state.owner[terms.payer.index]
            let receiver = state.owner[terms.payee.index]
            if vouchers > 0 && settlement.paid > .zero {
                state.records.append(
                    PaymentRecord(
                        time: lastVoucherAt, kind: .voucher, payer: payer, payee: receiver, amount: settlement.paid,
                        channel: terms.id, vouchers: vouchers))
            }
            for (kind, amount, to) in [
                (PaymentRecord.Kind.close, settlement.paid, receiver), (.refund, settlement.refunded, payer),
            ]
            where amount > .zero {
                state.records.append(
                    PaymentRecord(
                        time: now, kind: kind, payer: payer, payee: to, amount: amount, channel: terms.id, vouchers: 0))
            }
            if let payer { state.spent[payer] += settlement.paid }
            if let receiver { state.earned[receiver] += settlement.paid }
            state.volume += settlement.paid
            submit(.settlement(settlement), feePayer: terms.payee, now: now)
        }
    }

    // MARK: chain

    /// Moves wallet funds to the ledger (fee from the wallet); credited after the
    /// exchange delay. False when below the chain's minimum.
    @discardableResult
    public func deposit(_ amount: TokenAmount, for account: SpeedAccount, now: SimTime) -> Bool {
        change {
            let tx = ChainTransaction.deposit(wallet: account.wallet, ledger: account.ledger, amount: amount)
            guard let id = submit(tx, feePayer: account.wallet, now: now) else { return false }
            state.deposits[id] = account.ledger
            return true
        }
    }

    /// A deposit to `account`'s ledger is on its way.
    public func hasPendingDeposit(_ account: SpeedAccount) -> Bool {
        refresh()
        return state.deposits.values.contains(account.ledger)
    }

    /// Fees that `account` will pay for transactions already submitted.
    public func pendingFees(of account: AccountID) -> TokenAmount {
        refresh()
        return state.pendingFees(of: account)
    }

    /// Moves ledger funds to the wallet (fee from the ledger).
    @discardableResult
    public func withdraw(_ amount: TokenAmount, for account: SpeedAccount, now: SimTime) -> Bool {
        change {
            submit(
                .withdrawal(ledger: account.ledger, wallet: account.wallet, amount: amount),
                feePayer: account.ledger, now: now) != nil
        }
    }

    /// Part of a change: queues `tx` and remembers who pays its fee.
    @discardableResult
    private func submit(_ tx: ChainTransaction, feePayer: AccountID, now: SimTime) -> TransactionID? {
        guard let id = try? state.chain.submit(tx, feePayer: feePayer, now: now) else { return nil }
        state.feePayers[id] = feePayer
        return id
    }

    /// When the chain next has work (a block with transactions, or a credit due).
    public var nextChainDeadline: SimTime? { chain.nextDeadline }

    /// Produces the blocks and credits due by `now`, logging fees and credits.
    public func advanceChain(to now: SimTime) {
        guard let due = nextChainDeadline, due <= now else { return }
        change {
            for event in state.advanceChain(to: now) { log(event) }
        }
    }

    /// Part of a change: the payment records of one chain event.
    private func log(_ event: ChainEvent) {
        switch event {
        case .included(let id, _, _, let fee, let at):
            // Transactions of other markets on this chain (storage contracts) log elsewhere.
            guard let feePayer = state.feePayers.removeValue(forKey: id) else { return }
            let payer = state.owner[feePayer.index]
            if fee > .zero {
                state.records.append(
                    PaymentRecord(
                        time: at, kind: .fee, payer: payer, payee: nil, amount: fee, channel: nil, vouchers: 0))
            }
        case .failed(let id, _, _, _):
            state.feePayers[id] = nil
            state.deposits[id] = nil
        case .credited(let id, .deposit(_, let to, let amount), let at):
            state.deposits[id] = nil
            state.records.append(
                PaymentRecord(
                    time: at, kind: .deposit, payer: state.owner[to.index], payee: state.owner[to.index],
                    amount: amount, channel: nil, vouchers: 0))
        case .credited(_, .withdrawal(let from, _, let amount), let at):
            state.records.append(
                PaymentRecord(
                    time: at, kind: .withdraw, payer: state.owner[from.index], payee: state.owner[from.index],
                    amount: amount, channel: nil, vouchers: 0))
        case .credited:
            break
        }
    }

    /// Total supply unchanged and no balance negative.
    public var isConserved: Bool { ledger.isConserved }
}
